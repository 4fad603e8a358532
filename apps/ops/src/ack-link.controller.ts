import { Controller, Get, Head, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { verifyAckToken } from '@replywatch/escalation-rules';
import { acknowledgeAlert } from '@replywatch/persistence';
import { ACK_SETTINGS, OPS_DATA_SOURCE } from './alerts.controller';
import type { AckSettings } from './alerts.controller';
import { renderAckPage } from './ack-link.page';
import type { AckPage } from './ack-link.page';
import { RateLimitPerAddress } from './rate-limit.guard';

// Chat apps and mail security scanners that fetch links to preview or vet them.
const PREVIEW_AGENTS =
  /Slackbot-LinkExpanding|Slack-ImgProxy|SkypeUriPreview|MicrosoftPreview|BingPreview|Discordbot|TelegramBot|WhatsApp|facebookexternalhit|LinkedInBot|Twitterbot|Google-Safety|Proofpoint|Mimecast|Barracuda/i;

const REFUSED: Record<'malformed' | 'forged' | 'expired', Omit<AckPage, 'message'>> = {
  malformed: { status: 400, code: 'ACK.LINK_INVALID', title: 'This is not an acknowledge link' },
  forged: { status: 403, code: 'ACK.LINK_FORGED', title: 'This link was not issued by Replywatch' },
  expired: { status: 410, code: 'ACK.LINK_EXPIRED', title: 'This acknowledge link has expired' },
};

/**
 * `GET /ack/:token`: the link in alert e-mails and chat messages. The signed token names the
 * page it came with and who it was sent to; it works once and changes nothing when refused.
 * No API key: the signature is the credential.
 */
@ApiTags('acknowledge links')
@Controller('ack')
@RateLimitPerAddress('ack')
export class AckLinkController {
  constructor(
    @Inject(OPS_DATA_SOURCE) private readonly db: DataSource,
    @Inject(ACK_SETTINGS) private readonly ack: AckSettings,
  ) {}

  /** Declared before GET: link checkers that only HEAD a URL must not acknowledge anything. */
  @Head(':token')
  @ApiOperation({ summary: 'Link checkers: 204, acknowledges nothing' })
  @HttpCode(204)
  head(): void {}

  /**
   * One click acknowledges (`ACK_LINK_MODE=click`, the default). Link-preview bots, and every
   * visitor in `confirm` mode, get a page with a button instead: mail scanners that open each
   * link then cannot acknowledge alerts nobody read.
   */
  @Get(':token')
  @ApiOperation({
    summary: 'The signed link in alert e-mails and chat: acknowledges (or asks to confirm)',
  })
  async open(
    @Param('token') token: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const preview = PREVIEW_AGENTS.test(request.headers['user-agent'] ?? '');
    if (this.ack.mode === 'confirm' || preview) {
      const check = verifyAckToken(token, this.ack.secret, Date.now());
      const page: AckPage = check.ok
        ? {
            status: 200,
            code: 'ACK.CONFIRM',
            title: 'Acknowledge this alert?',
            message: 'Acknowledging stops paging others; the customer still needs a reply.',
          }
        : { ...REFUSED[check.reason], message: check.message };
      this.send(request, response, page, check.ok);
      return;
    }
    this.send(request, response, await this.outcome(token), false);
  }

  /** The confirm page's button (and API clients that prefer POST for a change). */
  @Post(':token')
  @ApiOperation({ summary: 'The confirm button of an acknowledge link' })
  async acknowledge(
    @Param('token') token: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    this.send(request, response, await this.outcome(token), false);
  }

  private send(request: Request, response: Response, page: AckPage, confirm: boolean): void {
    // The token is in the URL: keep it out of caches and Referer headers.
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.status(page.status);
    if ((request.headers.accept ?? '').includes('application/json')) {
      const body =
        page.status < 300
          ? { outcome: confirm ? 'confirm' : 'acknowledged', message: page.message }
          : { error: { code: page.code, message: page.message } };
      response.json(body);
      return;
    }
    response.type('html').send(renderAckPage(page, this.ack.dashboardUrl, confirm));
  }

  private async outcome(token: string): Promise<AckPage> {
    const check = verifyAckToken(token, this.ack.secret, Date.now());
    if (!check.ok) return { ...REFUSED[check.reason], message: check.message };
    const { claims } = check;
    const result = await acknowledgeAlert(
      this.db,
      claims.alertId,
      { by: claims.recipient, via: 'link', linkNotificationId: claims.notificationId },
      Date.now(),
      { leadMs: this.ack.leadMs },
    );
    switch (result.outcome) {
      case 'acknowledged': {
        const alert = result.alert;
        const lapse = result.expiresAt
          ? ` If the customer still has no reply at ${result.expiresAt.toISOString()}, paging resumes.`
          : '';
        return {
          status: 200,
          code: 'ACK.ACKNOWLEDGED',
          title: 'Acknowledged',
          message: `Thanks, ${claims.recipient}: paging for ${alert.channel} contact ${alert.contactId} has stopped. The customer still needs a reply.${lapse}`,
        };
      }
      case 'link_used':
        return {
          status: 409,
          code: 'ACK.LINK_USED',
          title: 'This link was already used',
          message: 'Each acknowledge link works once. Nothing was changed.',
        };
      case 'already_acknowledged':
        return {
          status: 409,
          code: 'ACK.ALREADY_ACKNOWLEDGED',
          title: 'Already acknowledged',
          message: `${result.alert.ackedBy ?? 'Someone'} acknowledged this alert at ${result.alert.ackedAt?.toISOString() ?? '?'}. Nothing was changed.`,
        };
      case 'resolved':
        return {
          status: 409,
          code: 'ACK.ALERT_RESOLVED',
          title: 'Already resolved',
          message: 'The customer has had a reply (or the contact was closed). Nothing to do.',
        };
      case 'not_found':
        return {
          status: 404,
          code: 'ACK.ALERT_NOT_FOUND',
          title: 'Alert not found',
          message: 'The alert this link names does not exist here.',
        };
    }
  }
}
