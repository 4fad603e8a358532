import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contactEventInputJsonSchema } from '@replywatch/contracts';

// Regenerates docs/contact-event.schema.json from the zod contract (a unit test keeps it current).
const target = join(__dirname, '../../docs/contact-event.schema.json');
writeFileSync(target, `${JSON.stringify(contactEventInputJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);
