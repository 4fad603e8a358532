import {
  REPLYWATCH_SIGNATURE_HEADER,
  REPLYWATCH_SOURCE_HEADER,
  REPLYWATCH_TIMESTAMP_HEADER,
  signGenericBody,
} from '@replywatch/connectors';
import type { ClientAuth } from './replywatch-client.options';

/**
 * The headers that authenticate one attempt. Signed requests get a fresh timestamp on every
 * attempt (the body stays the same bytes), so a long retry never falls out of the replay window.
 */
export function authHeaders(auth: ClientAuth, body: Buffer, nowMs: number): Record<string, string> {
  switch (auth.kind) {
    case 'bearer':
      return { authorization: `Bearer ${auth.apiKey}` };
    case 'signed': {
      const timestamp = Math.floor(nowMs / 1000);
      return {
        [REPLYWATCH_SOURCE_HEADER]: auth.source,
        [REPLYWATCH_TIMESTAMP_HEADER]: String(timestamp),
        [REPLYWATCH_SIGNATURE_HEADER]: signGenericBody(body, auth.signingSecret, timestamp),
      };
    }
  }
}
