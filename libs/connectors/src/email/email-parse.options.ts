/** How the e-mail parsers (Mailgun, SendGrid, Postmark) map a message for one configured account. */
export interface EmailParseOptions {
  /** The configured account name (printable ASCII), part of every contact and event id. */
  account: string;
  /**
   * The company's support mailboxes, case-insensitive: `support@acme.com`, or `@acme.com` for
   * every mailbox of the domain. A message from one of them is an agent's reply.
   */
  supportAddresses: readonly string[];
  /** Put a short preview of the customer's text on the event (bodies never travel otherwise). */
  includePreview?: boolean;
  /** When ingest received the request (ISO 8601): `occurredAt` when the message has no usable Date. */
  receivedAtIso?: string;
}
