export * from './zendesk-signature';
export * from './zendesk.parser';
