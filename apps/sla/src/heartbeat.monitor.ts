import { Logger } from '@nestjs/common';
import { Topic, topicName } from '@replywatch/contracts';
import type { ContactEvent, SourceEvent } from '@replywatch/contracts';
import type { MessagePublisher } from '@replywatch/kafka';
import { backoffMs, delay } from '@replywatch/platform';
import { heartbeatVerdict } from '@replywatch/sla-clock';
import type { ResolvedHeartbeat } from '@replywatch/sla-clock';
import type { SourceActivityRepository } from './source-activity.repository';

/** The latest receivedAt per source in a batch: what proves each connector alive. */
export function latestBySource(events: readonly ContactEvent[]): Map<string, number> {
  const latest = new Map<string, number>();
  for (const event of events) {
    const ms = Date.parse(event.receivedAt);
    if (ms > (latest.get(event.source) ?? 0)) latest.set(event.source, ms);
  }
  return latest;
}

/**
 * Connector heartbeats: every interval, each source with a heartbeat is checked against its
 * expected activity window. Silence past it publishes `source.silent` (the escalation service
 * alerts on it), traffic after it `source.recovered`. Event ids are deterministic and the event is
 * published before the state is written, so a crash or two instances racing repeat an event
 * (deduplicated downstream) but never lose one.
 */
export class HeartbeatMonitor {
  private readonly logger = new Logger(HeartbeatMonitor.name);
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly heartbeats: () => readonly ResolvedHeartbeat[],
    private readonly activity: SourceActivityRepository,
    private readonly publisher: MessagePublisher,
    private readonly topicPrefix: string,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  /** One check of every heartbeat; returns the events it published. */
  async checkOnce(): Promise<SourceEvent[]> {
    const heartbeats = this.heartbeats();
    const nowMs = this.now();
    const activity = await this.activity.activityOf(
      heartbeats.map((heartbeat) => heartbeat.source),
      nowMs,
    );
    const published: SourceEvent[] = [];
    for (const [i, heartbeat] of heartbeats.entries()) {
      const { lastSeenMs, watchedSinceMs, silentSinceMs } = activity[i];
      const reference = lastSeenMs ?? watchedSinceMs ?? nowMs;
      const verdict = heartbeatVerdict(heartbeat, reference, silentSinceMs, nowMs);
      if (verdict.kind === 'unchanged') continue;
      const event: SourceEvent = {
        eventId: `source.${verdict.kind}:${heartbeat.source}:${verdict.silentFromMs}`,
        type: verdict.kind === 'silent' ? 'source.silent' : 'source.recovered',
        schemaVersion: 1,
        source: heartbeat.source,
        ...(heartbeat.channel === undefined ? {} : { channel: heartbeat.channel }),
        ...(lastSeenMs === undefined ? {} : { lastSeenAt: new Date(lastSeenMs).toISOString() }),
        silentSince: new Date(verdict.silentFromMs).toISOString(),
        expectedWithinSeconds: Math.max(1, Math.round(heartbeat.windowMs / 1000)),
        ...(heartbeat.calendar === undefined ? {} : { calendarId: heartbeat.calendar.id }),
        occurredAt: new Date(verdict.kind === 'silent' ? nowMs : reference).toISOString(),
        emittedAt: new Date(nowMs).toISOString(),
      };
      await this.publisher.publish(topicName(Topic.SourceEvents, this.topicPrefix), [
        { key: event.source, value: JSON.stringify(event), headers: { type: event.type } },
      ]);
      if (verdict.kind === 'silent') {
        await this.activity.markSilent(heartbeat.source, verdict.silentFromMs);
        this.logger.warn(
          `source ${heartbeat.source} silent since ${event.silentSince} (no contact event for ${event.expectedWithinSeconds}s of its window)`,
        );
      } else {
        await this.activity.clearSilent(heartbeat.source);
        this.logger.log(`source ${heartbeat.source} recovered`);
      }
      published.push(event);
    }
    return published;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        await this.checkOnce();
        failures = 0;
      } catch (error) {
        failures += 1;
        this.logger.warn(`heartbeat check failed: ${(error as Error).message}`);
      }
      await delay(
        failures > 0 ? backoffMs(failures, this.intervalMs, 30000) : this.intervalMs,
        this.abort.signal,
      );
    }
  }
}
