import type { ContactEventInput } from '@replywatch/contracts';
import type { ParseResult } from './connector.types';

/**
 * Collects what one delivery holds. A delivery with any item that cannot be mapped is dead-lettered
 * whole (nothing is lost; a replay after a fix is deduplicated by eventId), rather than half-applied.
 */
export class DeliveryOutcome {
  private readonly events: ContactEventInput[] = [];
  private readonly ignored = new Set<string>();
  private readonly unmappable = new Set<string>();

  add(event: ContactEventInput): void {
    this.events.push(event);
  }

  ignore(reason: string): void {
    this.ignored.add(reason);
  }

  reject(reason: string): void {
    this.unmappable.add(reason);
  }

  result(): ParseResult {
    if (this.unmappable.size > 0) {
      return { kind: 'unmappable', reason: [...this.unmappable].join('; ') };
    }
    if (this.events.length > 0) return { kind: 'events', events: [...this.events] };
    return {
      kind: 'ignored',
      reason: this.ignored.size > 0 ? [...this.ignored].join('; ') : 'no entries in the delivery',
    };
  }
}
