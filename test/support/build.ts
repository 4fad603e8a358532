import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const STAMP = join(ROOT, 'dist/.build-stamp');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.includes('spec.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/**
 * Tests that run services as real processes (to kill them for real) need dist/ to match the
 * sources: build when any source is newer than the last build.
 */
export function ensureBuilt(): void {
  const sources = Math.max(
    ...['apps', 'libs', 'scripts'].map((dir) => newestSource(join(ROOT, dir))),
  );
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= sources) return;
  console.warn('building dist/ for the tests that run services as processes');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  writeFileSync(STAMP, new Date().toISOString());
}
