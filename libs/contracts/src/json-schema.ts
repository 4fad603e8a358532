import { z } from 'zod';
import { contactEventInputSchema } from './contact-event/contact-event.schema';

/**
 * The connector input contract as JSON Schema (draft 2020-12), for connector authors in any
 * language: served by ingest at `GET /v1/events/schema` and kept in docs/contact-event.schema.json.
 */
export function contactEventInputJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(contactEventInputSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://replywatch.dev/schemas/contact-event-input.v1.json',
    title: 'Replywatch contact event (connector input, schemaVersion 1)',
    description:
      'One event for POST /v1/events (or an array of them). Ingest stamps source and receivedAt.',
  };
}
