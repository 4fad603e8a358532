import {
  isXCrcToken,
  metaVerificationChallenge,
  parseIntercomWebhook,
  parseMailgunWebhook,
  parseMetaWebhook,
  parsePbxWebhook,
  parsePostmarkInbound,
  parseSendGridInbound,
  parseTwilioVoice,
  parseXActivity,
  parseZendeskWebhook,
  sameSecret,
  verifyBasicAuth,
  verifyGenericSignature,
  verifyIntercomSignature,
  verifyMailgunWebhook,
  verifyMetaSignature,
  verifyTwilioSignature,
  verifyXSignature,
  verifyZendeskSignature,
  xCrcResponse,
} from '@replywatch/connectors';
import type { ParseResult, SignatureCheck, WebhookRequest } from '@replywatch/connectors';
import type { AccountOf, WebhookProvider } from './webhook-accounts.config';

/** What a provider's GET handshake (Meta verification, X CRC) answers. */
export type ChallengeAnswer =
  | { ok: true; contentType: 'text/plain' | 'application/json'; body: string }
  | { ok: false; reason: string };

/** A provider request with what the adapters need beyond the signed bytes. */
export interface ProviderRequest extends WebhookRequest {
  query: Record<string, string | undefined>;
  receivedAtIso: string;
}

/**
 * How ingest talks to one provider: check what it signs, map what it sent, answer its handshake.
 * Thin on purpose: the parsing and signature rules live, tested, in libs/connectors.
 */
export interface ProviderAdapter<P extends WebhookProvider> {
  verify(request: ProviderRequest, account: AccountOf<P>): SignatureCheck;
  parse(request: ProviderRequest, account: AccountOf<P>): ParseResult;
  challenge?(query: Record<string, string | undefined>, account: AccountOf<P>): ChallengeAnswer;
  /** The 2xx body the provider expects back, when it cares (Twilio reads TwiML). */
  reply?: { contentType: string; body: string };
}

/** SendGrid Inbound Parse signs nothing: basic auth in the URL or a `?token=` secret stands in. */
function verifySendGrid(request: ProviderRequest, account: AccountOf<'sendgrid'>): SignatureCheck {
  if (account.basicAuth !== undefined) {
    const check = verifyBasicAuth(request.headers.authorization, account.basicAuth);
    if (check.ok || account.urlToken === undefined) return check;
  }
  if (account.urlToken !== undefined) {
    const token = request.query.token;
    if (token === undefined) return { ok: false, reason: 'missing ?token= in the URL' };
    return sameSecret(token, account.urlToken)
      ? { ok: true }
      : { ok: false, reason: 'URL token does not match' };
  }
  return { ok: false, reason: 'no credentials configured' };
}

const emailOptions = (
  request: ProviderRequest,
  account: AccountOf<'mailgun' | 'sendgrid' | 'postmark'>,
) => ({
  account: account.account,
  supportAddresses: account.supportAddresses,
  includePreview: account.includePreview,
  receivedAtIso: request.receivedAtIso,
});

export const PROVIDER_ADAPTERS: { [P in WebhookProvider]: ProviderAdapter<P> } = {
  twilio: {
    verify: (request, account) => verifyTwilioSignature(request, account.authToken),
    parse: (request, account) =>
      parseTwilioVoice(request.rawBody, {
        accountLabel: account.account,
        agentNumbers: account.agentNumbers,
        receivedAtIso: request.receivedAtIso,
      }),
    // Status callbacks ignore the body; `<Record action>` / `<Enqueue action>` requests run it as
    // TwiML, and an empty <Response/> simply ends the call there.
    reply: {
      contentType: 'text/xml',
      body: '<?xml version="1.0" encoding="UTF-8"?><Response/>',
    },
  },
  mailgun: {
    verify: (request, account) =>
      verifyMailgunWebhook(request, account.signingKey, account.replayWindowSeconds),
    parse: (request, account) => parseMailgunWebhook(request, emailOptions(request, account)),
  },
  sendgrid: {
    verify: verifySendGrid,
    parse: (request, account) => parseSendGridInbound(request, emailOptions(request, account)),
  },
  postmark: {
    verify: (request, account) => verifyBasicAuth(request.headers.authorization, account.basicAuth),
    parse: (request, account) => parsePostmarkInbound(request, emailOptions(request, account)),
  },
  intercom: {
    verify: (request, account) => verifyIntercomSignature(request, account.clientSecret),
    parse: (request, account) =>
      parseIntercomWebhook(request.rawBody, {
        account: account.account,
        includePreview: account.includePreview,
      }),
  },
  zendesk: {
    verify: (request, account) =>
      verifyZendeskSignature(request, account.signingSecret, account.replayWindowSeconds),
    parse: (request, account) =>
      parseZendeskWebhook(request.rawBody, {
        account: account.account,
        includePreview: account.includePreview,
      }),
  },
  meta: {
    verify: (request, account) => verifyMetaSignature(request, account.appSecret),
    parse: (request, account) =>
      parseMetaWebhook(request.rawBody, { includePreview: account.includePreview }),
    challenge: (query, account) => {
      const result = metaVerificationChallenge(query, account.verifyToken);
      return result.ok
        ? { ok: true, contentType: 'text/plain', body: result.challenge }
        : { ok: false, reason: result.reason };
    },
  },
  x: {
    verify: (request, account) => verifyXSignature(request, account.consumerSecret),
    parse: (request, account) =>
      parseXActivity(request.rawBody, { includePreview: account.includePreview }),
    challenge: (query, account) => {
      const token = query.crc_token;
      if (token === undefined || token === '') return { ok: false, reason: 'missing crc_token' };
      if (!isXCrcToken(token)) {
        return { ok: false, reason: 'crc_token is not a CRC token (letters, digits, -_+/=)' };
      }
      return {
        ok: true,
        contentType: 'application/json',
        body: JSON.stringify({ response_token: xCrcResponse(token, account.consumerSecret) }),
      };
    },
  },
  pbx: {
    verify: (request, account) =>
      verifyGenericSignature(request, account.signingSecrets, account.replayWindowSeconds),
    parse: (request, account) =>
      parsePbxWebhook(request.rawBody, {
        account: account.account,
        defaultCountry: account.defaultCountry,
        receivedAtIso: request.receivedAtIso,
      }),
  },
};
