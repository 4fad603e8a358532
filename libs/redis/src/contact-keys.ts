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

  /**
   * Prefix of the queue-view segment sets (see queue-view.ts): `…:q:v:w:<segment>` ordered by
   * waiting since, `…:q:v:d:<segment>` by next deadline.
   */
  queueViewPrefix(): string {
    return `${this.prefix}:q:v:`;
  }

  queueView(order: 'w' | 'd', encodedSegment: string): string {
    return `${this.queueViewPrefix()}${order}:${encodedSegment}`;
  }

  /** Hash: encoded segment → how many contacts are in it (the view's registry and its counts). */
  queueSegments(): string {
    return `${this.prefix}:q:segments`;
  }

  /** Counter bumped whenever the queue view changes, so readers can tell without reading it. */
  queueSeq(): string {
    return `${this.prefix}:q:seq`;
  }

  /** Prefix of the per-UTC-day hashes of contacts opened (`<hour>:<channel>` → count). */
  openedPerDayPrefix(): string {
    return `${this.prefix}:stats:opened:`;
  }

  openedOnDay(dayIndex: number): string {
    return `${this.openedPerDayPrefix()}${dayIndex}`;
  }

  /** Hash: sample bucket (ms) → waiting counts JSON, the last hour of queue sizes for charts. */
  waitingHistory(): string {
    return `${this.prefix}:stats:waiting-history`;
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
