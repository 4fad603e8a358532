export * from './twilio-signature';
export * from './twilio-voice.parser';
export { normaliseE164 } from './e164-phone.normaliser';
export { parseRfc2822 } from './rfc2822-date.parser';
