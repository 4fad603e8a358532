import { Controller, Get, Inject, Res, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiAuthenticated } from './openapi';
import { LiveUpdates } from './live-updates';
import type { LiveUpdate } from './live-updates';
import { OpsApiKeyGuard } from './ops-api-key.guard';

const KEEPALIVE_MS = 15_000;

const frame = (update: LiveUpdate) =>
  `event: ${update.type}\ndata: ${JSON.stringify(update.data)}\n\n`;

/**
 * `GET /v1/stream`: Server-Sent Events of queue changes (`queue`, the live counts, sent on
 * connect and on every change) and alert timeline events (`alert`). Browsers read it with
 * fetch() so the API key travels in the Authorization header, never in the URL.
 */
@ApiTags('queue')
@ApiAuthenticated()
@Controller('v1/stream')
@UseGuards(OpsApiKeyGuard)
export class StreamController {
  constructor(@Inject(LiveUpdates) private readonly live: LiveUpdates) {}

  @Get()
  @ApiOperation({
    summary: 'Server-Sent Events: `queue` (live counts, on connect and on change) and `alert`',
    description:
      'Read with fetch() and the Authorization header. Events: `queue` {seq, totals, channels}; ' +
      '`alert` {alertId, kind, contactId, channel, at}; a `: keepalive` comment every 15 s.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An endless text/event-stream' })
  async stream(@Res() response: Response): Promise<void> {
    response.status(200).set({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Proxies such as nginx would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    response.flushHeaders();
    response.write('retry: 2000\n\n');
    const unlisten = this.live.listen();
    const subscription = this.live.updates.subscribe({
      next: (update) => response.write(frame(update)),
      // The service is shutting down: end the stream so the client reconnects elsewhere.
      complete: () => response.end(),
    });
    const keepalive = setInterval(() => response.write(': keepalive\n\n'), KEEPALIVE_MS);
    // The response's close, not the request's: a request "closes" once its (empty) body is read.
    response.on('close', () => {
      clearInterval(keepalive);
      subscription.unsubscribe();
      unlisten();
    });
    response.write(frame({ type: 'queue', data: await this.live.current() }));
  }
}
