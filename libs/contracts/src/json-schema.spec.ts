import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTACT_EVENT_EXAMPLES } from './contact-event/contact-event.examples';
import { contactEventInputJsonSchema } from './json-schema';

const DOC = join(__dirname, '../../../docs/contact-event.schema.json');

describe('the contact event JSON Schema', () => {
  it('is the one in docs/ (regenerate: npm run contracts:schema)', () => {
    const committed = JSON.parse(readFileSync(DOC, 'utf8')) as unknown;
    expect(committed).toEqual(contactEventInputJsonSchema());
  });

  it('names every event type and the required envelope fields', () => {
    const text = JSON.stringify(contactEventInputJsonSchema());
    for (const example of Object.values(CONTACT_EVENT_EXAMPLES)) {
      expect(text).toContain(`"${example.type}"`);
    }
    expect(text).toContain('"eventId"');
    expect(text).toContain('"occurredAt"');
  });
});
