import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { CHANNELS } from '@replywatch/contracts';
import type { Channel } from '@replywatch/contracts';
import { AppError } from '@replywatch/platform';
import { OpsApiKeyGuard } from './ops-api-key.guard';
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
    const details: { path: string; code: string; message: string }[] = [];
    if (channel !== undefined && !(CHANNELS as readonly string[]).includes(channel)) {
      details.push({
        path: 'channel',
        code: 'invalid_value',
        message: `must be one of ${CHANNELS.join(', ')}`,
      });
    }
    const size = limit === undefined ? 50 : Number(limit);
    if (!Number.isInteger(size) || size < 1 || size > MAX_LIMIT) {
      details.push({
        path: 'limit',
        code: 'invalid_value',
        message: `must be an integer from 1 to ${MAX_LIMIT}`,
      });
    }
    if (details.length > 0)
      throw new AppError('OPS.INVALID_QUERY', 'invalid query parameters', 400, details);
    const now = Date.now();
    const page = await this.queue.waiting(channel as Channel | undefined, size, now);
    return { ...page, generatedAt: new Date(now).toISOString() };
  }
}
