import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escalationEnvSchema } from '../apps/escalation/src/escalation.config';
import { ingestEnvSchema } from '../apps/ingest/src/ingest.config';
import { opsEnvSchema } from '../apps/ops/src/ops.config';
import { slaEnvSchema } from '../apps/sla/src/sla.config';

/** README.md stays true: its two commands exist and every configuration variable is documented. */
describe('README', () => {
  const readme = readFileSync(join(__dirname, '../README.md'), 'utf8');
  const scripts = (
    JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;

  it('shows the install-and-run and the test commands, and both scripts exist', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
    expect(scripts.start).toBeDefined();
    expect(scripts.test).toContain('jest');
  });

  it.each([
    ['ingest', ingestEnvSchema],
    ['sla', slaEnvSchema],
    ['escalation', escalationEnvSchema],
    ['ops', opsEnvSchema],
  ])('documents every variable %s reads', (_service, schema) => {
    const variables = Object.keys(schema.in.shape);
    expect(variables.length).toBeGreaterThan(3);
    const missing = variables.filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
