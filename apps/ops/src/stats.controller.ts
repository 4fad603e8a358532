import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAuthenticated, ApiInvalidQuery, ApiOptionalQuery } from './openapi';
import { STATS_SCHEMA } from './openapi.schemas';
import { OpsApiKeyGuard } from './ops-api-key.guard';
import { QueryParams } from './query-params';
import { STATS_WINDOWS, StatsService } from './stats.service';
import type { QueueStats } from './stats.service';

/** `GET /v1/stats?window=today|1h|24h|7d`: per channel and overall queue health. */
@ApiTags('queue')
@ApiAuthenticated()
@Controller('v1/stats')
@UseGuards(OpsApiKeyGuard)
export class StatsController {
  constructor(@Inject(StatsService) private readonly stats: StatsService) {}

  @Get()
  @ApiOperation({ summary: 'Queue health per channel and overall, with attainment over a window' })
  @ApiOptionalQuery('window', 'Attainment window (default today, a UTC day)', STATS_WINDOWS)
  @ApiOkResponse({ schema: STATS_SCHEMA })
  @ApiInvalidQuery()
  async get(@Query('window') window?: string): Promise<QueueStats> {
    const params = new QueryParams();
    const wanted = params.oneOf('window', window, STATS_WINDOWS) ?? 'today';
    params.check();
    return this.stats.stats(wanted, Date.now());
  }
}
