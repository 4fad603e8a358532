import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { CHANNELS } from '@replywatch/contracts';
import { OpsApiKeyGuard } from './ops-api-key.guard';
import { QueryParams } from './query-params';
import { QueueRepository } from './queue.repository';
import type { QueuePage } from './queue.repository';

const MAX_LIMIT = 500;

/** `GET /v1/queue`: who is waiting, on which channel, for how long; oldest first. */
@Controller('v1/queue')
@UseGuards(OpsApiKeyGuard)
export class QueueController {
  constructor(@Inject(QueueRepository) private readonly queue: QueueRepository) {}

  @Get()
  async list(
    @Query('channel') channel?: string,
    @Query('limit') limit?: string,
  ): Promise<QueuePage & { generatedAt: string }> {
    const params = new QueryParams();
    const wanted = params.oneOf('channel', channel, CHANNELS);
    const size = params.limit(limit, MAX_LIMIT, 50);
    params.check();
    const now = Date.now();
    const page = await this.queue.waiting(wanted, size, now);
    return { ...page, generatedAt: new Date(now).toISOString() };
  }
}
