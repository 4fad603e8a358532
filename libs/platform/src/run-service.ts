import { Logger } from '@nestjs/common';
import { ConfigError } from './config/load-config';

/**
 * Entry point of every service: start it, print where it listens, and on a bad configuration
 * print every invalid variable and exit 1 (no stack trace for an operator to dig through).
 */
export async function runService(name: string, start: () => Promise<string>): Promise<void> {
  const logger = new Logger(name);
  try {
    const url = await start();
    logger.log(`${name} listening on ${url}`);
  } catch (error) {
    // Errors with a stable code (a bad setting, a bad policy file) are the operator's to fix: the
    // message says what; a stack trace would only hide it.
    const code = (error as { code?: unknown }).code;
    if (
      error instanceof ConfigError ||
      (typeof code === 'string' && /^[A-Z]+\.[A-Z_]+$/.test(code))
    ) {
      console.error(`${name}: ${(error as Error).message}`);
    } else {
      console.error(`${name}: failed to start:`, error);
    }
    process.exit(1);
  }
}
