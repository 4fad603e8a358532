import { validateContactEventInput, type ContactEventInput } from '@replywatch/contracts';
import type { ParseResult } from '../connector.types';

/**
 * The events of one delivery, or `unmappable` naming the first one the contact-event contract
 * refuses (an id past 200 characters, say): ingest would refuse it anyway, and a dead letter keeps it.
 */
export function contractChecked(events: ContactEventInput[]): ParseResult {
  for (const event of events) {
    const validation = validateContactEventInput(event);
    if (!validation.ok) {
      const issues = validation.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
      return { kind: 'unmappable', reason: `event fails the contact-event contract: ${issues}` };
    }
  }
  return { kind: 'events', events };
}
