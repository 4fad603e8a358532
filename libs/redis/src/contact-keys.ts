import type { Channel } from '@replywatch/contracts';

/**
 * Every Redis key Replywatch uses, in one place, under a deployment prefix (tests use a unique one).
 * The SLA service writes them; the ops API reads them.
 */
export class ContactKeys {
  constructor(readonly prefix: string) {}

  /** Hash: the compact state of one open contact. */
  contact(contactId: string): string {
    return `${this.prefix}:c:${contactId}`;
  }

  /** Sorted set of waiting contacts (score = waiting since, ms): the queue view, oldest first. */
  waiting(): string {
    return `${this.prefix}:q:waiting`;
  }

  waitingOnChannel(channel: Channel): string {
    return `${this.waitingOnChannelPrefix()}${channel}`;
  }

  /** For scripts that append the channel they read from the contact. */
  waitingOnChannelPrefix(): string {
    return `${this.prefix}:q:waiting:`;
  }

  /** Sorted set of contacts with an overdue target still running (score = due instant, ms). */
  breached(): string {
    return `${this.prefix}:q:breached`;
  }

  /** Sorted set of contacts that were warned about and are not yet breached (score = due, ms). */
  atRisk(): string {
    return `${this.prefix}:q:at-risk`;
  }

  /** Sorted set of contacts waiting on the customer (score = paused since, ms). */
  paused(): string {
    return `${this.prefix}:q:paused`;
  }

  /** Sorted set of contacts with SLA events written but not yet published (score = since, ms). */
  outbox(): string {
    return `${this.prefix}:q:outbox`;
  }

  /** Sorted set of each open contact's nearest pending deadline (score = due instant, ms). */
  due(): string {
    return `${this.prefix}:q:due`;
  }

  /** Processed event ids, kept for a while so redeliveries and connector retries apply once. */
  processedEvent(eventId: string): string {
    return `${this.prefix}:e:${eventId}`;
  }

  /** The policy file managed through the ops API (JSON); when set it takes precedence over POLICY_FILE. */
  policyDocument(): string {
    return `${this.prefix}:config:policies`;
  }

  /** Hash of every policy version ever used (`id@version` → resolved policy JSON), so a contact
   * keeps the version it started with across restarts and instances. */
  policyVersions(): string {
    return `${this.prefix}:config:policy-versions`;
  }

  /** Pub/sub channel telling SLA instances that the policies changed. */
  policyChannel(): string {
    return `${this.prefix}:config:policies:changed`;
  }

  /** BullMQ's own key prefix for this deployment's queues. */
  /** Hash: source id → the last time (ms) a contact event from it arrived (heartbeats). */
  sourceLastSeen(): string {
    return `${this.prefix}:src:last`;
  }

  /** Hash: source id → when heartbeat monitoring of it began (a source never heard from). */
  sourceWatchedSince(): string {
    return `${this.prefix}:src:watched`;
  }

  /** Hash: source id → the instant (ms) its reported silence began. */
  sourceSilent(): string {
    return `${this.prefix}:src:silent`;
  }

  bullPrefix(): string {
    return `${this.prefix}:bull`;
  }
}
