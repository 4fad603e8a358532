import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One e-mail as it arrived, reduced to what the reconciler needs (never the whole body). */
export interface SinkMail {
  /** The notification id from `Message-ID: <id@replywatch>`: stable across resends. */
  notificationId: string;
  to: string[];
  /** From the body: `Alert <id>` on a page, `… for alert <id>` on a resolved note. */
  alertId: string | undefined;
  kind: 'page' | 'resolved' | 'other';
  /** `Level: n` on a chain page. */
  level: number | undefined;
  /** For a mail that is neither a page nor a resolved note: the text before its alert id. */
  note?: string;
  receivedAt: number;
}

/** The message with each MIME part's transfer encoding undone (enough to find ids and labels). */
function decoded(raw: string): string {
  const boundaries = [...raw.matchAll(/boundary="?([^";\r\n]+)"?/gi)].map((m) =>
    m[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  );
  const parts =
    boundaries.length === 0
      ? [raw]
      : raw.split(new RegExp(`\\r?\\n--(?:${boundaries.join('|')})(?:--)?\\r?\\n`));
  return parts
    .map((part) => {
      const split = part.search(/\r?\n\r?\n/);
      if (split < 0) return part;
      const headers = part.slice(0, split);
      const body = part.slice(split).trim();
      const encoding = /^Content-Transfer-Encoding: (\S+)/im.exec(headers)?.[1]?.toLowerCase();
      if (encoding === 'base64') return Buffer.from(body, 'base64').toString('utf8');
      if (encoding !== 'quoted-printable') return body;
      return body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    })
    .join('\n');
}

export function parseMail(raw: string, to: string[], receivedAt: number): SinkMail {
  const text = decoded(raw);
  const notificationId = /^Message-ID:\s*<([^@>]+)@replywatch>/im.exec(raw)?.[1] ?? '';
  const alertId = /\balert ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i.exec(
    text,
  )?.[1];
  const level = /^Level:\s+(\d+)/m.exec(text)?.[1];
  const kind = /Nothing more to do for alert/.test(text)
    ? 'resolved'
    : /^Alert [0-9a-f-]{36}/m.test(text) && level !== undefined
      ? 'page'
      : 'other';
  const at = alertId === undefined ? -1 : text.indexOf(alertId);
  return {
    notificationId,
    to,
    alertId,
    kind,
    level: level === undefined ? undefined : Number(level),
    receivedAt,
    ...(kind === 'other' ? { note: JSON.stringify(text.slice(Math.max(0, at - 60), at)) } : {}),
  };
}

/**
 * An SMTP server that can go down for real and come back on the same port: `stop()` closes the
 * listener and every open session (clients get connection refused / reset), `start()` listens
 * again where it was.
 */
export class SmtpSink {
  readonly mails: SinkMail[] = [];
  private server: SMTPServer | undefined;
  port = 0;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  get isUp(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<string> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      disableReverseLookup: true,
      // Down means down: sessions still open when it stops are cut at once.
      closeTimeout: 1,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.mails.push(
            parseMail(
              Buffer.concat(chunks).toString('utf8'),
              session.envelope.rcptTo.map((rcpt) => rcpt.address),
              Date.now(),
            ),
          );
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    server.on('error', () => undefined);
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
