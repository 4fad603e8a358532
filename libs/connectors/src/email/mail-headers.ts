/**
 * A message's header fields by case-insensitive name, each with every value in arrival order
 * (Received, and a malformed message's repeated Message-ID, can occur more than once).
 */
export class MailHeaders {
  private readonly byName = new Map<string, string[]>();

  static fromPairs(pairs: Iterable<readonly [string, string]>): MailHeaders {
    const headers = new MailHeaders();
    for (const [name, value] of pairs) headers.add(name, value);
    return headers;
  }

  add(name: string, value: string): void {
    const key = name.trim().toLowerCase();
    if (key === '') return;
    const values = this.byName.get(key);
    if (values === undefined) this.byName.set(key, [value.trim()]);
    else values.push(value.trim());
  }

  /** The first value of a header, or undefined when it is absent. */
  get(name: string): string | undefined {
    return this.byName.get(name.toLowerCase())?.[0];
  }

  all(name: string): readonly string[] {
    return this.byName.get(name.toLowerCase()) ?? [];
  }

  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }
}
