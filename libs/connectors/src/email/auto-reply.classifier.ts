import { firstAddress, localPartOf } from './email-address.normaliser';
import type { MailHeaders } from './mail-headers';
import { parseParameterizedHeader } from './mime-header.parser';

const BULK_PRECEDENCE = new Set(['bulk', 'junk', 'list', 'auto_reply']);
const MAILER_DAEMONS = new Set(['mailer-daemon', 'postmaster']);

/**
 * Why a message is machine-sent rather than a person writing (an auto-reply, an out-of-office, a
 * bounce or other report), or undefined when it looks written. Such messages are not customer
 * contacts, and an agent's out-of-office is not an answer.
 *
 * `X-Auto-Response-Suppress` is deliberately not a rule: it asks the recipient not to auto-answer
 * ([MS-OXCMAIL] 2.1.3.2.20), and Exchange and mailing systems put it on ordinary mail too; the
 * auto-replies that carry it also carry `Auto-Submitted`, which is checked.
 *
 * @param envelopeSender the SMTP MAIL FROM when the provider reports it (`''` for the null sender
 *   of a bounce); undefined when it does not.
 */
export function machineSentReason(
  headers: MailHeaders,
  from: string | undefined,
  envelopeSender?: string,
): string | undefined {
  const autoSubmitted = headers.get('auto-submitted');
  if (autoSubmitted !== undefined) {
    // RFC 3834 section 5: anything but `no` (keywords may carry parameters) is automatic.
    const keyword = parseParameterizedHeader(withoutComments(autoSubmitted)).value.slice(0, 40);
    if (keyword !== 'no' && keyword !== '') {
      return `auto-submitted message (Auto-Submitted: ${keyword})`;
    }
  }
  const precedence = headers.get('precedence')?.trim().toLowerCase();
  if (precedence !== undefined && BULK_PRECEDENCE.has(precedence)) {
    return `bulk or automatic message (Precedence: ${precedence})`;
  }
  if (flagged(headers.get('x-autoreply'))) return 'auto-reply (X-Autoreply)';
  if (flagged(headers.get('x-autorespond'))) return 'auto-reply (X-Autorespond)';

  const contentType = headers.get('content-type');
  if (
    contentType !== undefined &&
    parseParameterizedHeader(contentType).value === 'multipart/report'
  ) {
    return 'delivery or read report (Content-Type: multipart/report)';
  }
  const returnPath = headers.get('return-path');
  if (returnPath !== undefined && /^<\s*>$/.test(returnPath.trim())) {
    return 'bounce or report (empty Return-Path <>)';
  }
  if (envelopeSender !== undefined && /^(<\s*>)?$/.test(envelopeSender.trim())) {
    return 'bounce or report (null envelope sender)';
  }
  for (const [role, value] of [
    ['From', from],
    ['envelope sender', envelopeSender],
  ] as const) {
    const address = firstAddress(value);
    if (address !== undefined && MAILER_DAEMONS.has(localPartOf(address))) {
      return `bounce or report (${role} ${localPartOf(address)}@)`;
    }
  }
  return undefined;
}

/** Set to anything but an explicit no (`X-Autoreply: yes`, `X-Autorespond: vacation`). */
function flagged(value: string | undefined): boolean {
  return value !== undefined && !['', 'no', 'false', '0'].includes(value.trim().toLowerCase());
}

function withoutComments(value: string): string {
  return value.replace(/\((?:[^()\\]|\\.)*\)/g, ' ');
}
