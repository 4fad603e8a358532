import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Topic, validateSlaEvent, validateSourceEvent } from '@replywatch/contracts';
import { decodeBatch } from '@replywatch/kafka';
import type { KafkaMessageBatch } from '@replywatch/kafka';
import { AlertService } from './alert.service';

/** Thin: validate SLA and source events against the contract and hand them on (bad ones are dead-lettered). */
@Controller()
export class SlaEventsHandler {
  constructor(@Inject(AlertService) private readonly alerts: AlertService) {}

  @EventPattern(Topic.SlaEvents)
  async handle(@Payload() batch: KafkaMessageBatch): Promise<void> {
    const { valid, deadLetters } = decodeBatch(batch, validateSlaEvent);
    await this.alerts.handle(valid, deadLetters);
  }

  @EventPattern(Topic.SourceEvents)
  async handleSourceEvents(@Payload() batch: KafkaMessageBatch): Promise<void> {
    const { valid, deadLetters } = decodeBatch(batch, validateSourceEvent);
    await this.alerts.handleSourceEvents(valid, deadLetters);
  }
}
