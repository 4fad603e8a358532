export * from './chat-parse.options';
export * from './intercom-signature';
export * from './intercom.parser';
