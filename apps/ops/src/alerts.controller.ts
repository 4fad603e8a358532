import { ApiConflictResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CHANNELS } from '@replywatch/contracts';
import {
  acknowledgeAlert,
  AlertQueryRepository,
  CursorError,
  resolveAlert,
} from '@replywatch/persistence';
import type { AlertSummary, AlertTimeline } from '@replywatch/persistence';
import { AppError } from '@replywatch/platform';
import { ApiAuthenticated, ApiInvalidQuery, ApiOptionalQuery, ERROR_SCHEMA } from './openapi';
import { OpsApiKeyGuard, RequireRoles } from './ops-api-key.guard';
import { QueryParams } from './query-params';
import type { AuthenticatedRequest } from './ops-api-key.guard';

export const OPS_DATA_SOURCE = Symbol('OPS_DATA_SOURCE');
export const ACK_SETTINGS = Symbol('ACK_SETTINGS');

export interface AckSettings {
  secret: string;
  leadMs: number;
  dashboardUrl: string;
  /** `click`: opening the link acknowledges; `confirm`: it shows a button that does. */
  mode: 'click' | 'confirm';
}

const STATES = ['open', 'acknowledged', 'resolved'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_LIMIT = 200;

function alertId(id: string): string {
  if (!UUID.test(id)) {
    throw new AppError('OPS.ALERT_NOT_FOUND', `no alert ${id}`, 404);
  }
  return id;
}

/** Who acted, for the audit trail: the name the caller gives, else their key's fingerprint. */
function actorName(request: AuthenticatedRequest, body: unknown): string {
  const by = (body as { by?: unknown } | undefined)?.by;
  const caller = request.caller;
  const key = `${caller?.name ? `${caller.name}, ` : ''}api key ${caller?.keyFingerprint ?? 'unknown'}`;
  if (by === undefined) return key;
  if (typeof by !== 'string' || by.trim() === '' || by.length > 200) {
    throw new AppError('OPS.INVALID_BODY', 'invalid body', 400, [
      { path: 'by', code: 'invalid_value', message: 'must be a name of 1-200 characters' },
    ]);
  }
  return `${by.trim()} (${key})`;
}

/**
 * `GET /v1/alerts`, `GET /v1/alerts/:id/timeline`, `POST /v1/alerts/:id/ack` and `/resolve`:
 * the alerts and their audit trail, and acting on them with an ops or admin key.
 */
@ApiTags('alerts')
@ApiAuthenticated()
@Controller('v1/alerts')
@UseGuards(OpsApiKeyGuard)
export class AlertsController {
  private readonly queries: AlertQueryRepository;

  constructor(
    @Inject(OPS_DATA_SOURCE) private readonly db: DataSource,
    @Inject(ACK_SETTINGS) private readonly ack: AckSettings,
  ) {
    this.queries = new AlertQueryRepository(db);
  }

  @Get()
  @ApiOperation({ summary: 'Alerts, newest first, paged by cursor' })
  @ApiOptionalQuery('state', 'Only alerts in this state', STATES)
  @ApiOptionalQuery('channel', 'Only alerts on contacts of this channel', CHANNELS)
  @ApiOptionalQuery('contactId', 'Only alerts of this contact')
  @ApiOptionalQuery('limit', `Page size, 1 to ${MAX_LIMIT} (default 50)`, undefined, 'integer')
  @ApiOptionalQuery('cursor', 'nextCursor of the previous page')
  @ApiInvalidQuery()
  async list(
    @Query('state') state?: string,
    @Query('channel') channel?: string,
    @Query('contactId') contactId?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<{ items: AlertSummary[]; nextCursor: string | null }> {
    const params = new QueryParams();
    const wantedState = params.oneOf('state', state, STATES);
    const wantedChannel = params.oneOf('channel', channel, CHANNELS);
    const size = params.limit(limit, MAX_LIMIT, 50);
    params.check();
    try {
      return await this.queries.list({
        state: wantedState,
        channel: wantedChannel,
        contactId,
        limit: size,
        cursor,
      });
    } catch (error) {
      if (error instanceof CursorError) {
        throw new AppError('OPS.INVALID_QUERY', 'invalid query parameters', 400, [
          { path: 'cursor', code: 'invalid_value', message: error.message },
        ]);
      }
      throw error;
    }
  }

  @Get(':id/timeline')
  @ApiOperation({ summary: "An alert's audit trail: steps, notifications, acks, resolution" })
  @ApiNotFoundResponse({ description: 'OPS.ALERT_NOT_FOUND', schema: ERROR_SCHEMA })
  async timeline(@Param('id') id: string): Promise<AlertTimeline> {
    const timeline = await this.queries.timeline(alertId(id));
    if (timeline === undefined) throw new AppError('OPS.ALERT_NOT_FOUND', `no alert ${id}`, 404);
    return timeline;
  }

  @Post(':id/ack')
  @ApiOperation({ summary: 'Acknowledge: stops the escalation (role lead, ops or admin)' })
  @ApiNotFoundResponse({ description: 'OPS.ALERT_NOT_FOUND', schema: ERROR_SCHEMA })
  @ApiConflictResponse({
    description: 'OPS.ALERT_ALREADY_ACKNOWLEDGED or OPS.ALERT_RESOLVED',
    schema: ERROR_SCHEMA,
  })
  @HttpCode(200)
  @RequireRoles('lead', 'ops')
  async acknowledge(
    @Param('id') id: string,
    @Req() request: AuthenticatedRequest,
    @Body() body: unknown,
  ): Promise<{
    outcome: 'acknowledged';
    alertId: string;
    acknowledgedBy: string;
    expiresAt: string | null;
  }> {
    const by = actorName(request, body);
    const result = await acknowledgeAlert(this.db, alertId(id), { by, via: 'api' }, Date.now(), {
      leadMs: this.ack.leadMs,
    });
    switch (result.outcome) {
      case 'acknowledged':
        return {
          outcome: 'acknowledged',
          alertId: id,
          acknowledgedBy: by,
          expiresAt: result.expiresAt?.toISOString() ?? null,
        };
      case 'not_found':
      case 'link_used':
        throw new AppError('OPS.ALERT_NOT_FOUND', `no alert ${id}`, 404);
      case 'already_acknowledged':
        throw new AppError(
          'OPS.ALERT_ALREADY_ACKNOWLEDGED',
          `already acknowledged by ${result.alert.ackedBy ?? 'someone'} at ${result.alert.ackedAt?.toISOString() ?? '?'}`,
          409,
        );
      case 'resolved':
        throw new AppError('OPS.ALERT_RESOLVED', 'the alert is already resolved', 409);
    }
  }

  @Post(':id/resolve')
  @ApiOperation({ summary: 'Resolve the alert by hand (role lead, ops or admin)' })
  @ApiNotFoundResponse({ description: 'OPS.ALERT_NOT_FOUND', schema: ERROR_SCHEMA })
  @ApiConflictResponse({ description: 'OPS.ALERT_RESOLVED', schema: ERROR_SCHEMA })
  @HttpCode(200)
  @RequireRoles('lead', 'ops')
  async resolve(
    @Param('id') id: string,
    @Req() request: AuthenticatedRequest,
    @Body() body: unknown,
  ): Promise<{ outcome: 'resolved'; alertId: string; resolvedBy: string }> {
    const by = actorName(request, body);
    const result = await resolveAlert(this.db, alertId(id), { by, via: 'api' }, Date.now());
    switch (result.outcome) {
      case 'resolved':
        return { outcome: 'resolved', alertId: id, resolvedBy: by };
      case 'not_found':
        throw new AppError('OPS.ALERT_NOT_FOUND', `no alert ${id}`, 404);
      case 'already_resolved':
        throw new AppError('OPS.ALERT_RESOLVED', 'the alert is already resolved', 409);
    }
  }
}
