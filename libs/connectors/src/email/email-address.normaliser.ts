const ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+$/;

/**
 * The addresses in an address-list header (From, To, Cc): display names, comments and groups
 * dropped, each address trimmed and lower-cased. `"Doe, Jane" <Jane@Example.com>, bob@x.org (Bob)`
 * → `['jane@example.com', 'bob@x.org']`. Lower-casing the local part is not RFC-exact, but every
 * mailbox provider treats it case-insensitively and the contact must not split on it.
 */
export function parseAddressList(value: string | undefined): string[] {
  if (value === undefined) return [];
  const out: string[] = [];
  for (const item of splitTopLevel(value)) {
    const address = addressOf(item);
    if (address !== undefined) out.push(address);
  }
  return out;
}

/** The first address of a header such as From, normalised, or undefined when it names none. */
export function firstAddress(value: string | undefined): string | undefined {
  return parseAddressList(value)[0];
}

/**
 * Support mailboxes: `support@acme.com`, or `@acme.com` for every mailbox of that domain (not its
 * subdomains). Compared case-insensitively.
 */
export function supportMatcher(supportAddresses: readonly string[]): (address: string) => boolean {
  const mailboxes = new Set<string>();
  const domains = new Set<string>();
  for (const entry of supportAddresses) {
    const normalised = entry.trim().toLowerCase();
    if (normalised.startsWith('@') && normalised.length > 1) domains.add(normalised.slice(1));
    else if (normalised !== '') mailboxes.add(normalised);
  }
  return (address) => {
    const normalised = address.trim().toLowerCase();
    if (mailboxes.has(normalised)) return true;
    const at = normalised.lastIndexOf('@');
    return at !== -1 && domains.has(normalised.slice(at + 1));
  };
}

/** The local part (before the last `@`) of a normalised address. */
export function localPartOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at === -1 ? address : address.slice(0, at);
}

/** Splits at commas outside quotes, angle brackets and comments; a group's `name:` and `;` go. */
function splitTopLevel(value: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  let comment = 0;
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (char === '\\' && (quoted || comment > 0)) {
      current += char + (value[i + 1] ?? '');
      i++;
      continue;
    }
    if (char === '"' && comment === 0) quoted = !quoted;
    else if (!quoted && char === '(') comment++;
    else if (!quoted && char === ')' && comment > 0) comment--;
    else if (!quoted && comment === 0 && char === '<') angle++;
    else if (!quoted && comment === 0 && char === '>' && angle > 0) angle--;
    else if (!quoted && comment === 0 && angle === 0 && (char === ',' || char === ';')) {
      items.push(current);
      current = '';
      continue;
    } else if (!quoted && comment === 0 && angle === 0 && char === ':') {
      // `undisclosed-recipients:` or `team: a@x, b@y;` — the group name is not an address.
      current = '';
      continue;
    }
    current += char;
  }
  items.push(current);
  return items;
}

function addressOf(item: string): string | undefined {
  const angle = /<([^<>]*)>/.exec(item);
  let candidate: string | undefined;
  if (angle !== null) {
    candidate = angle[1];
  } else {
    // A bare address, possibly with a comment, or a display name without brackets (as in
    // SendGrid's rendered sample): the word with an `@` is the address.
    const withoutComments = item.replace(/\((?:[^()\\]|\\.)*\)/g, ' ');
    candidate = withoutComments.split(/\s+/).find((word) => word.includes('@'));
  }
  if (candidate === undefined) return undefined;
  // An obsolete source route (`<@relay:jane@x>`) keeps only the mailbox.
  const mailbox = candidate
    .trim()
    .replace(/^@[^:]*:/, '')
    .toLowerCase();
  return ADDRESS.test(mailbox) ? mailbox : undefined;
}
