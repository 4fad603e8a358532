export * from './connector.types';
export * from './signature';
export * from './meta/meta-signature';
export * from './meta/meta.parser';
export * from './x/x-signature';
export * from './x/x.parser';
export * from './twilio-voice';
export * from './generic/generic-signature';
