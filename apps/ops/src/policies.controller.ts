import { Body, Controller, Get, Inject, Put, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { parsePolicyFile, PolicyFileError } from '@replywatch/sla-clock';
import type { PolicyFileInput } from '@replywatch/sla-clock';
import { AppError } from '@replywatch/platform';
import { ApiAuthenticated, ERROR_SCHEMA } from './openapi';
import { RequireAdmin, OpsApiKeyGuard } from './ops-api-key.guard';
import { PolicyRepository } from './policy.repository';

/**
 * `GET/PUT /v1/policies`: the SLA policies and calendars (the same document as POLICY_FILE).
 * A saved document reaches every SLA instance within seconds and takes precedence over the file.
 */
@ApiTags('configuration')
@ApiAuthenticated('admin to change')
@Controller('v1/policies')
@UseGuards(OpsApiKeyGuard)
export class PoliciesController {
  constructor(@Inject(PolicyRepository) private readonly policies: PolicyRepository) {}

  @Get()
  @ApiOperation({ summary: 'The SLA policies and calendars in force' })
  async get(): Promise<{ source: 'api' | 'file'; document: PolicyFileInput }> {
    return this.policies.current();
  }

  @Put()
  @ApiOperation({ summary: 'Replace the SLA policies (admin)' })
  @ApiBody({ schema: { type: 'object' } })
  @ApiBadRequestResponse({
    description: 'OPS.INVALID_POLICIES: details name each invalid field',
    schema: ERROR_SCHEMA,
  })
  @RequireAdmin()
  async put(@Body() body: unknown): Promise<{ source: 'api'; document: PolicyFileInput }> {
    try {
      parsePolicyFile(JSON.stringify(body ?? null), 'the request body');
    } catch (error) {
      if (!(error instanceof PolicyFileError)) throw error;
      const details = error.problems.map((problem) => {
        const at = problem.indexOf(': ');
        return { path: problem.slice(0, at), code: 'invalid', message: problem.slice(at + 2) };
      });
      throw new AppError('OPS.INVALID_POLICIES', 'the policies were not saved', 400, details);
    }
    return { source: 'api', document: await this.policies.save(body as PolicyFileInput) };
  }
}
