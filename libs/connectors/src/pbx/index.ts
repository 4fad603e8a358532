export * from './pbx.parser';
export { normalisePbxPhone, PBX_NATIONAL_NUMBER_COUNTRIES } from './pbx-phone.normaliser';
