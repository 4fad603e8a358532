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
    if (
      error instanceof ConfigError ||
      (error as { code?: string }).code === 'SLA.POLICY_FILE_INVALID'
    ) {
      console.error(`${name}: ${(error as Error).message}`);
    } else {
      console.error(`${name}: failed to start:`, error);
    }
    process.exit(1);
  }
}
