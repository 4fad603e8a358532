export type { EmailParseOptions } from './email-parse.options';
export { verifyMailgunWebhook } from './mailgun-signature';
export { parseMailgunWebhook } from './mailgun.parser';
export { parseSendGridInbound } from './sendgrid-inbound.parser';
export { parsePostmarkInbound } from './postmark-inbound.parser';
