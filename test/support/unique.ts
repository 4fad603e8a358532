import { randomBytes } from 'node:crypto';

/** A short id unique to this test run: used for topic prefixes, Redis prefixes, schemas, groups. */
export function uniqueId(label: string): string {
  return `${label}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`.toLowerCase();
}
