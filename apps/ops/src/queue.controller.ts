import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CHANNELS, PRIORITIES } from '@replywatch/contracts';
import { AppError } from '@replywatch/platform';
import { QUEUE_SORTS, QUEUE_STATES, segmentMatches } from '@replywatch/redis';
import type { QueueFilter } from '@replywatch/redis';
import { ApiAuthenticated, ApiInvalidQuery, ApiOptionalQuery } from './openapi';
import { QUEUE_PAGE_SCHEMA } from './openapi.schemas';
import { OpsApiKeyGuard } from './ops-api-key.guard';
import { QueryParams } from './query-params';
import { QueueCursorError, QueueRepository } from './queue.repository';
import type { QueuePage } from './queue.repository';

const MAX_LIMIT = 500;

/**
 * `GET /v1/queue`: who is waiting, on which channel, for how long. Filters combine freely; sorted
 * by wait (longest first) or by time left (nearest deadline first); paged by an opaque cursor.
 */
@ApiTags('queue')
@ApiAuthenticated()
@Controller('v1/queue')
@UseGuards(OpsApiKeyGuard)
export class QueueController {
  constructor(@Inject(QueueRepository) private readonly queue: QueueRepository) {}

  @Get()
  @ApiOperation({ summary: 'Waiting contacts, filtered, sorted and paged (never a scan)' })
  @ApiOptionalQuery('channel', 'Only this channel', CHANNELS)
  @ApiOptionalQuery('priority', 'Only this priority', PRIORITIES)
  @ApiOptionalQuery('team', 'Only contacts assigned to this team')
  @ApiOptionalQuery('policy', 'Only contacts under this SLA policy id')
  @ApiOptionalQuery('state', 'Only contacts in this state', QUEUE_STATES)
  @ApiOptionalQuery(
    'sort',
    'wait: longest first (default); time-left: nearest deadline first',
    QUEUE_SORTS,
  )
  @ApiOptionalQuery('limit', `Page size, 1 to ${MAX_LIMIT} (default 50)`, undefined, 'integer')
  @ApiOptionalQuery('cursor', 'nextCursor of the previous page (same sort)')
  @ApiOkResponse({ schema: QUEUE_PAGE_SCHEMA })
  @ApiInvalidQuery()
  async list(
    @Query('channel') channel?: string,
    @Query('priority') priority?: string,
    @Query('team') team?: string,
    @Query('policy') policy?: string,
    @Query('state') state?: string,
    @Query('sort') sort?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<QueuePage & { generatedAt: string }> {
    const params = new QueryParams();
    const filter: QueueFilter = {
      channel: params.oneOf('channel', channel, CHANNELS),
      priority: params.oneOf('priority', priority, PRIORITIES),
      team: params.text('team', team),
      policyId: params.text('policy', policy),
      state: params.oneOf('state', state, QUEUE_STATES),
    };
    const order = params.oneOf('sort', sort, QUEUE_SORTS) ?? 'wait';
    const size = params.limit(limit, MAX_LIMIT, 50);
    params.check();
    const now = Date.now();
    try {
      const page = await this.queue.page(
        (segment) => segmentMatches(segment, filter),
        order,
        size,
        cursor,
        now,
      );
      return { ...page, generatedAt: new Date(now).toISOString() };
    } catch (error) {
      if (error instanceof QueueCursorError) {
        throw new AppError('OPS.INVALID_QUERY', 'invalid query parameters', 400, [
          { path: 'cursor', code: 'invalid_value', message: error.message },
        ]);
      }
      throw error;
    }
  }
}
