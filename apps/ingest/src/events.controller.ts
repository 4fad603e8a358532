import { Controller, Get, Header, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { REPLYWATCH_SIGNATURE_HEADER } from '@replywatch/connectors';
import { contactEventInputJsonSchema } from '@replywatch/contracts';
import { AppError, readRawBody } from '@replywatch/platform';
import { ConnectorKeyAuthenticator } from './connector-key.authenticator';
import { EventIntakeService } from './event-intake.service';
import type { IntakeResult } from './event-intake.service';
import { IngestMetrics } from './ingest.metrics';
import { INGEST_LIMITS } from './ingest.tokens';
import type { IngestLimits } from './ingest.tokens';
import { flatHeaders } from './request-parts';
import { SignedConnectorAuthenticator } from './signed-connector.authenticator';

const CONTACT_EVENT_JSON_SCHEMA = contactEventInputJsonSchema();

/**
 * `POST /v1/events`: the generic connector API (one event or a batch), authenticated by a bearer
 * key or, for connectors that cannot keep one secret, by a body signature.
 */
@Controller('v1/events')
export class EventsController {
  constructor(
    @Inject(ConnectorKeyAuthenticator) private readonly auth: ConnectorKeyAuthenticator,
    @Inject(SignedConnectorAuthenticator) private readonly signedAuth: SignedConnectorAuthenticator,
    @Inject(EventIntakeService) private readonly intake: EventIntakeService,
    @Inject(IngestMetrics) private readonly metrics: IngestMetrics,
    @Inject(INGEST_LIMITS) private readonly limits: IngestLimits,
  ) {}

  /** The contract as JSON Schema, for connector authors in any language (public, no key). */
  @Get('schema')
  @Header('Content-Type', 'application/schema+json')
  @Header('Cache-Control', 'public, max-age=300')
  schema(): Record<string, unknown> {
    return CONTACT_EVENT_JSON_SCHEMA;
  }

  @Post()
  @HttpCode(202)
  async post(@Req() request: Request): Promise<IntakeResult> {
    let source = 'unknown';
    try {
      let body: Buffer;
      if (typeof request.headers[REPLYWATCH_SIGNATURE_HEADER] === 'string') {
        const nowMs = Date.now();
        body = await readRawBody(request, this.limits.maxBodyBytes);
        source = this.signedAuth.authenticate(flatHeaders(request), body, nowMs);
      } else {
        source = await this.auth.authenticate(request.headers.authorization);
        body = await readRawBody(request, this.limits.maxBodyBytes);
      }
      return await this.intake.intake(body, source);
    } catch (error) {
      if (error instanceof AppError) {
        this.metrics.requestsRejected.inc({ source, code: error.code });
      }
      throw error;
    }
  }
}
