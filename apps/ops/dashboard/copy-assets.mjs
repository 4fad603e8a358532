// Part of `npm run build`: tsc compiles the dashboard's TypeScript into dist/dashboard; this copies
// the files tsc does not touch next to it. Kept beside the sources (not in scripts/) because the
// Docker build copies apps/ but not scripts/.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, '../../../dist/dashboard');
mkdirSync(target, { recursive: true });
for (const file of ['index.html', 'styles.css']) copyFileSync(join(here, file), join(target, file));
