import { Body, Controller, Get, Inject, Put, Req, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EscalationDocumentError, parseEscalationDocument } from '@replywatch/escalation-rules';
import type { EscalationDocumentInput } from '@replywatch/escalation-rules';
import { AppError } from '@replywatch/platform';
import { ApiAuthenticated, ERROR_SCHEMA } from './openapi';
import { EscalationDocumentRepository } from './escalation-document.repository';
import type { CurrentEscalationDocument } from './escalation-document.repository';
import { OpsApiKeyGuard, RequireAdmin } from './ops-api-key.guard';
import type { AuthenticatedRequest } from './ops-api-key.guard';
import { problemDetails } from './problem-details';

/**
 * `GET/PUT /v1/chains`: the escalation document (people, teams, rotations, endpoints, chains,
 * routes). A saved document is the newest `escalation_document` row, which the escalation service
 * applies to new alerts within seconds and prefers to ESCALATION_FILE.
 */
@ApiTags('configuration')
@ApiAuthenticated('admin to change')
@Controller('v1/chains')
@UseGuards(OpsApiKeyGuard)
export class ChainsController {
  constructor(
    @Inject(EscalationDocumentRepository) private readonly documents: EscalationDocumentRepository,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The escalation document in force (people, chains, routes)' })
  async get(): Promise<CurrentEscalationDocument> {
    return this.documents.current();
  }

  @Put()
  @ApiOperation({ summary: 'Save a new escalation document (admin)' })
  @ApiBody({ schema: { type: 'object' } })
  @ApiBadRequestResponse({
    description: 'OPS.INVALID_CHAINS: details name each invalid field',
    schema: ERROR_SCHEMA,
  })
  @RequireAdmin()
  async put(
    @Body() body: unknown,
    @Req() request: AuthenticatedRequest,
  ): Promise<CurrentEscalationDocument> {
    try {
      parseEscalationDocument(body ?? null, 'the request body');
    } catch (error) {
      if (!(error instanceof EscalationDocumentError)) throw error;
      throw new AppError(
        'OPS.INVALID_CHAINS',
        'the escalation document was not saved',
        400,
        problemDetails(error.problems),
      );
    }
    // Store what was sent, not the parsed form: it is re-parsed by the escalation service.
    return this.documents.save(body as EscalationDocumentInput, savedBy(request));
  }
}

/** The audit name of the caller: the key's name if it has one, and always its fingerprint. */
function savedBy(request: AuthenticatedRequest): string {
  const caller = request.caller;
  return `${caller?.name ? `${caller.name}, ` : ''}api key ${caller?.keyFingerprint ?? 'unknown'}`;
}
