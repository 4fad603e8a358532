import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { readRawBody } from '@replywatch/platform';
import { INGEST_LIMITS } from '../ingest.tokens';
import { flatHeaders, flatQuery, headerValue } from '../request-parts';
import type { IngestLimits } from '../ingest.tokens';
import type { ProviderRequest } from './provider-adapters';
import { WebhookIntakeService } from './webhook-intake.service';

/**
 * Provider webhooks: `POST /v1/webhooks/<provider>/<account>` (the delivery) and `GET` on the same
 * URL (Meta's verification, X's CRC). Each provider account has its own secret.
 */
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    @Inject(WebhookIntakeService) private readonly intake: WebhookIntakeService,
    @Inject(INGEST_LIMITS) private readonly limits: IngestLimits,
  ) {}

  @Post(':provider/:account')
  async deliver(
    @Param('provider') provider: string,
    @Param('account') account: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const nowMs = Date.now();
    const rawBody = await readRawBody(request, this.limits.maxBodyBytes);
    const outcome = await this.intake.receive({
      provider,
      account,
      request: {
        url: this.publicUrl(request),
        headers: flatHeaders(request),
        query: flatQuery(request),
        rawBody,
        nowMs,
        receivedAtIso: new Date(nowMs).toISOString(),
      } satisfies ProviderRequest,
    });
    const reply = this.intake.replyFor(provider);
    if (reply !== undefined) {
      response.status(202).type(reply.contentType).send(reply.body);
      return;
    }
    response.status(202).json(outcome);
  }

  @Get(':provider/:account')
  handshake(
    @Param('provider') provider: string,
    @Param('account') account: string,
    @Req() request: Request,
    @Res() response: Response,
  ): void {
    const answer = this.intake.challenge(provider, account, flatQuery(request));
    response.status(200).type(answer.contentType).send(answer.body);
  }

  /**
   * The URL the provider called, as it signed it (Twilio signs the full URL): INGEST_PUBLIC_URL
   * when ingest sits behind a proxy that rewrites the host, else what the request says.
   */
  private publicUrl(request: Request): string {
    const base =
      this.limits.publicUrl ??
      `${headerValue(request, 'x-forwarded-proto') ?? request.protocol}://${
        headerValue(request, 'x-forwarded-host') ?? headerValue(request, 'host') ?? 'localhost'
      }`;
    return `${base.replace(/\/+$/, '')}${request.originalUrl}`;
  }
}
