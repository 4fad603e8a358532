import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { SLA_TARGETS } from '@replywatch/contracts';
import { REPORT_GROUPS, SlaOutcomeRepository } from '@replywatch/persistence';
import type { ReportGroup, SlaReportRow } from '@replywatch/persistence';
import { ApiAuthenticated, ApiInvalidQuery, ApiOptionalQuery } from './openapi';
import { OPS_DATA_SOURCE } from './alerts.controller';
import { OpsApiKeyGuard } from './ops-api-key.guard';
import { QueryParams } from './query-params';

const DAY_MS = 86400000;
const MAX_RANGE_DAYS = 366;

function instant(params: QueryParams, name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    params.problem(
      name,
      'must be an ISO 8601 date or instant, e.g. 2026-11-01 or 2026-11-01T08:00:00Z',
    );
    return undefined;
  }
  return date;
}

/**
 * `GET /v1/reports/sla?from&to&groupBy=channel|policy|day&target=first_response`: attainment and
 * breach counts from the SLA history in PostgreSQL (default: the last 7 days, by channel).
 */
@ApiTags('reports')
@ApiAuthenticated()
@Controller('v1/reports')
@UseGuards(OpsApiKeyGuard)
export class ReportsController {
  private readonly outcomes: SlaOutcomeRepository;

  constructor(@Inject(OPS_DATA_SOURCE) db: DataSource) {
    this.outcomes = new SlaOutcomeRepository(db);
  }

  @Get('sla')
  @ApiOperation({ summary: 'SLA attainment, breaches and reply-time percentiles from history' })
  @ApiOptionalQuery('from', 'Start (ISO date or instant; default 7 days before to)')
  @ApiOptionalQuery('to', 'End, exclusive (default now)')
  @ApiOptionalQuery('groupBy', 'Grouping (default channel)', REPORT_GROUPS)
  @ApiOptionalQuery('target', 'SLA target (default first_response)', SLA_TARGETS)
  @ApiInvalidQuery()
  async sla(
    @Query('from') fromText?: string,
    @Query('to') toText?: string,
    @Query('groupBy') groupByText?: string,
    @Query('target') targetText?: string,
  ): Promise<{
    from: string;
    to: string;
    groupBy: ReportGroup;
    target: string;
    rows: SlaReportRow[];
  }> {
    const params = new QueryParams();
    const to = instant(params, 'to', toText) ?? new Date();
    const from = instant(params, 'from', fromText) ?? new Date(to.getTime() - 7 * DAY_MS);
    const groupBy = params.oneOf('groupBy', groupByText, REPORT_GROUPS) ?? 'channel';
    const target = params.oneOf('target', targetText, SLA_TARGETS) ?? 'first_response';
    if (from.getTime() >= to.getTime()) params.problem('from', 'must be before to');
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
      params.problem('from', `the range may span at most ${MAX_RANGE_DAYS} days`);
    }
    params.check();
    const rows = await this.outcomes.report(from, to, groupBy, target);
    return { from: from.toISOString(), to: to.toISOString(), groupBy, target, rows };
  }
}
