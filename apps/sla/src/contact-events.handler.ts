import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Topic, validateContactEvent } from '@replywatch/contracts';
import { decodeBatch } from '@replywatch/kafka';
import type { KafkaMessageBatch } from '@replywatch/kafka';
import { ContactSlaService } from './contact-sla.service';
import { latestBySource } from './heartbeat.monitor';
import { SlaMetrics } from './sla.metrics';
import { SourceActivityRepository } from './source-activity.repository';

/** Thin: validate contact events against the contract and hand them on (bad ones are dead-lettered). */
@Controller()
export class ContactEventsHandler {
  constructor(
    @Inject(ContactSlaService) private readonly sla: ContactSlaService,
    @Inject(SourceActivityRepository) private readonly activity: SourceActivityRepository,
    @Inject(SlaMetrics) private readonly metrics: SlaMetrics,
  ) {}

  @EventPattern(Topic.ContactEvents)
  async handle(@Payload() batch: KafkaMessageBatch): Promise<void> {
    const { valid, deadLetters } = decodeBatch(batch, validateContactEvent);
    await Promise.all([
      this.sla.applyBatch(valid, deadLetters),
      this.activity.recordSeen(latestBySource(valid)),
    ]);
    for (const event of valid) {
      this.metrics.eventsConsumed.inc({ channel: event.channel, type: event.type });
    }
    if (deadLetters.length > 0) this.metrics.eventsDeadLettered.inc(deadLetters.length);
  }
}
