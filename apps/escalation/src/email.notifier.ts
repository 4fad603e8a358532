import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { HealthIndicator } from '@replywatch/platform';
import type { RenderedEmail } from './alert-email.template';
import { DeliveryError } from './delivery-error';

export interface SmtpConfig {
  url: string;
  from: string;
}

/** Sends alert e-mail through one pooled SMTP transport. */
export class EmailNotifier {
  private readonly transport: Transporter;

  constructor(private readonly config: SmtpConfig) {
    const url = new URL(config.url);
    this.transport = nodemailer.createTransport({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
      secure: url.protocol === 'smtps:',
      auth: url.username
        ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
        : undefined,
      pool: true,
      maxConnections: 3,
      connectionTimeout: 5000,
      greetingTimeout: 5000,
      socketTimeout: 15000,
    });
  }

  /** Resolves with the server's reply; the Message-ID is stable per notification, so a resend dedupes in mail clients. */
  async send(to: string, email: RenderedEmail, notificationId: string): Promise<string> {
    let info: { response?: string };
    try {
      info = (await this.transport.sendMail({
        from: this.config.from,
        to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: `<${notificationId}@replywatch>`,
      })) as { response?: string };
    } catch (error) {
      // 5xx is the server's final answer (no such mailbox, refused): retrying cannot help.
      const code = (error as { responseCode?: number }).responseCode;
      const permanent = code !== undefined && code >= 500 && code < 600;
      throw new DeliveryError((error as Error).message, permanent);
    }
    return info.response ?? 'accepted';
  }

  healthIndicator(): HealthIndicator {
    let cached: { at: number; up: boolean; detail?: string } | undefined;
    return {
      name: 'smtp',
      check: async () => {
        // Checking opens an SMTP session: reuse a recent answer so /health stays cheap.
        if (cached && Date.now() - cached.at < 10000) return cached;
        try {
          await this.transport.verify();
          cached = { at: Date.now(), up: true };
        } catch (error) {
          cached = { at: Date.now(), up: false, detail: (error as Error).message };
        }
        return cached;
      },
    };
  }

  close(): void {
    this.transport.close();
  }
}
