import { Body, Controller, Get, Inject, Put, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { parsePolicyFile, PolicyFileError } from '@replywatch/sla-clock';
import type { PolicyFileInput } from '@replywatch/sla-clock';
import { AppError } from '@replywatch/platform';
import { ApiAuthenticated, ERROR_SCHEMA } from './openapi';
import { OpsApiKeyGuard, RequireAdmin } from './ops-api-key.guard';
import { PolicyRepository } from './policy.repository';
import { problemDetails } from './problem-details';

type Calendars = NonNullable<PolicyFileInput['calendars']>;

interface CalendarsView {
  source: 'api' | 'file';
  calendars: Calendars;
}

const invalid = (details: ReturnType<typeof problemDetails>) =>
  new AppError('OPS.INVALID_CALENDARS', 'the calendars were not saved', 400, details);

/**
 * `GET/PUT /v1/calendars`: the `calendars` section of the policy document (GET/PUT /v1/policies).
 * A change is checked against the whole document, so a calendar a policy or heartbeat still uses
 * cannot be removed, and reaches every SLA instance like a saved policy document.
 */
@ApiTags('configuration')
@ApiAuthenticated('admin to change')
@Controller('v1/calendars')
@UseGuards(OpsApiKeyGuard)
export class CalendarsController {
  constructor(@Inject(PolicyRepository) private readonly policies: PolicyRepository) {}

  @Get()
  @ApiOperation({ summary: 'The business-hours calendars' })
  async get(): Promise<CalendarsView> {
    const { source, document } = await this.policies.current();
    return { source, calendars: document.calendars ?? [] };
  }

  @Put()
  @ApiOperation({
    summary: 'Replace the calendars; the whole policy document is re-validated (admin)',
  })
  @ApiBody({ schema: { type: 'object' } })
  @ApiBadRequestResponse({
    description: 'OPS.INVALID_CALENDARS: details name each invalid field',
    schema: ERROR_SCHEMA,
  })
  @RequireAdmin()
  async put(@Body() body: unknown): Promise<CalendarsView> {
    const calendars = calendarsOf(body);
    const { document } = await this.policies.current();
    const next: PolicyFileInput = { ...document, calendars };
    try {
      parsePolicyFile(JSON.stringify(next), 'the policy document with these calendars');
    } catch (error) {
      if (!(error instanceof PolicyFileError)) throw error;
      throw invalid(problemDetails(error.problems));
    }
    const saved = await this.policies.save(next);
    return { source: 'api', calendars: saved.calendars ?? [] };
  }
}

/** The body is `{ "calendars": [...] }`, as GET answers (paths in errors then match the document). */
function calendarsOf(body: unknown): Calendars {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid([{ path: '(root)', code: 'invalid', message: 'must be {"calendars": [...]}' }]);
  }
  const extra = Object.keys(body).filter((key) => key !== 'calendars' && key !== 'source');
  if (extra.length > 0) {
    throw invalid(
      extra.map((key) => ({ path: key, code: 'invalid', message: 'unknown field' }) as const),
    );
  }
  const calendars = (body as { calendars?: unknown }).calendars;
  if (!Array.isArray(calendars)) {
    throw invalid([{ path: 'calendars', code: 'invalid', message: 'must be an array' }]);
  }
  return calendars as Calendars;
}
