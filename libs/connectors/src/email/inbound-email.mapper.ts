import { validateContactEventInput, type ContactEventInput } from '@replywatch/contracts';
import { z } from 'zod';
import type { ParseResult } from '../connector.types';
import { previewOf, stableId } from '../social-event.helpers';
import { machineSentReason } from './auto-reply.classifier';
import { firstAddress, parseAddressList, supportMatcher } from './email-address.normaliser';
import { parseEmailDate } from './email-date.parser';
import type { EmailParseOptions } from './email-parse.options';
import { resolveThread } from './email-thread.resolver';
import { decodeEncodedWords } from './encoded-word.decoder';
import type { MailHeaders } from './mail-headers';

const ACCOUNT = /^[\x21-\x7e]{1,100}$/;
const MAX_SUBJECT_LENGTH = 200;
const MAX_AGENT_ID_LENGTH = 200;
const contractEmail = z.email().max(320);

/** One received message as every provider's parser hands it over: headers plus a few extras. */
export interface InboundEmail {
  headers: MailHeaders;
  /** The From header as the provider reports it (its own field when it has one). */
  from: string;
  /** To and Cc header values: the customer of an agent's reply is among them. */
  recipients: readonly string[];
  subject?: string;
  /** SMTP MAIL FROM when the provider reports it (`''` for a bounce's null sender). */
  envelopeSender?: string;
  /** The new text of a reply, quotes and signature stripped by the provider. */
  replyText?: string;
  /** The whole text body, for the preview when there is no stripped reply. */
  bodyText?: string;
  /** The provider's own time for the message (ISO 8601), used when Date is unusable. */
  providerTimeIso?: string;
}

/**
 * Maps one received e-mail to its contact event, without state:
 * - the contact is the thread (`email:<account>:<root Message-ID>`, see resolveThread), so the
 *   opening message, the customer's replies and the agents' answers land on one contact;
 * - the event id is the message's own Message-ID (`email:<account>:msg:<id>`), so a provider
 *   retrying the delivery produces the same event and ingest deduplicates it;
 * - from a support address it is `agent.replied`; from anyone else `contact.opened` when it
 *   starts a thread and `customer.replied` when it answers one;
 * - auto-replies and bounces are ignored (machineSentReason).
 * Bodies never go on the event, only the opt-in preview.
 */
export function mapInboundEmail(email: InboundEmail, options: EmailParseOptions): ParseResult {
  if (!ACCOUNT.test(options.account)) {
    return { kind: 'unmappable', reason: 'account must be 1-100 printable ASCII characters' };
  }
  const { headers } = email;
  const machine = machineSentReason(headers, email.from, email.envelopeSender);
  if (machine !== undefined) return { kind: 'ignored', reason: machine };

  const fromAddress = firstAddress(email.from);
  if (fromAddress === undefined) return { kind: 'unmappable', reason: 'From names no address' };

  const subject = subjectOf(email.subject ?? headers.get('subject'));
  const thread = resolveThread({
    messageId: headers.get('message-id'),
    inReplyTo: headers.get('in-reply-to'),
    references: headers.get('references'),
    from: fromAddress,
    date: headers.get('date'),
    subject,
  });
  const occurredAt =
    parseEmailDate(headers.get('date')) ?? email.providerTimeIso ?? options.receivedAtIso;
  if (occurredAt === undefined) {
    return {
      kind: 'unmappable',
      reason: 'no usable Date header, provider timestamp or receivedAtIso',
    };
  }

  const base = {
    eventId: stableId('email', options.account, 'msg', thread.messageId),
    contactId: stableId('email', options.account, thread.rootId),
    channel: 'email' as const,
    occurredAt,
  };
  const isSupport = supportMatcher(options.supportAddresses);
  let event: ContactEventInput;
  if (isSupport(fromAddress)) {
    const customer = email.recipients
      .flatMap((value) => parseAddressList(value))
      .find((address) => !isSupport(address) && isContractEmail(address));
    event = {
      ...base,
      type: 'agent.replied',
      ...(customer !== undefined && { customer: { email: customer } }),
      ...(fromAddress.length <= MAX_AGENT_ID_LENGTH && { data: { agentId: fromAddress } }),
    };
  } else {
    const preview = previewOf(
      nonBlank(email.replyText) ?? email.bodyText,
      options.includePreview === true,
    );
    const data = {
      ...(subject !== undefined && { subject }),
      ...(preview !== undefined && { preview }),
    };
    event = {
      ...base,
      type: thread.isReply ? 'customer.replied' : 'contact.opened',
      // An address the contract's e-mail check refuses (a quoted local part, say) is left out
      // rather than losing the message: the thread still names the contact.
      ...(isContractEmail(fromAddress) && { customer: { email: fromAddress } }),
      ...(Object.keys(data).length > 0 && { data }),
    };
  }

  const validation = validateContactEventInput(event);
  if (!validation.ok) {
    const issues = validation.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    return { kind: 'unmappable', reason: `event fails the contact-event contract: ${issues}` };
  }
  return { kind: 'events', events: [event] };
}

/** The subject decoded, on one line, cut to the contract's 200 characters by code point. */
function subjectOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const flat = decodeEncodedWords(raw).replace(/\s+/g, ' ').trim();
  if (flat === '') return undefined;
  let out = '';
  for (const char of flat) {
    if (out.length + char.length > MAX_SUBJECT_LENGTH) break;
    out += char;
  }
  return out;
}

function nonBlank(text: string | undefined): string | undefined {
  return text !== undefined && text.trim() !== '' ? text : undefined;
}

function isContractEmail(address: string): boolean {
  return contractEmail.safeParse(address).success;
}
