/** What the Intercom and Zendesk parsers need to know about the connector that received a delivery. */
export interface ChatParseOptions {
  /**
   * The configured account name (printable ASCII): contact ids are `<provider>:<account>:<id>`, so
   * two workspaces or subdomains never share a contact. Ids stay valid whatever it holds: `stableId`
   * replaces an unprintable or over-long id with a digest.
   */
  account: string;
  /** Include up to 140 characters of the message (and the subject) in `data` (default off). */
  includePreview?: boolean;
}
