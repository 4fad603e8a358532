import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { readRawBody } from '@replywatch/platform';
import { ConnectorKeyAuthenticator } from './connector-key.authenticator';
import { EventIntakeService } from './event-intake.service';
import type { IntakeResult } from './event-intake.service';
import { INGEST_LIMITS } from './ingest.tokens';
import type { IngestLimits } from './ingest.tokens';

/** `POST /v1/events`: the generic connector API (one event or a batch). */
@Controller('v1/events')
export class EventsController {
  constructor(
    @Inject(ConnectorKeyAuthenticator) private readonly auth: ConnectorKeyAuthenticator,
    @Inject(EventIntakeService) private readonly intake: EventIntakeService,
    @Inject(INGEST_LIMITS) private readonly limits: IngestLimits,
  ) {}

  @Post()
  @HttpCode(202)
  async post(@Req() request: Request): Promise<IntakeResult> {
    const source = this.auth.authenticate(request.headers.authorization);
    const body = await readRawBody(request, this.limits.maxBodyBytes);
    return this.intake.intake(body, source);
  }
}
