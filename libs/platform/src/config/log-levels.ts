import { LOG_LEVELS } from './env.schema';
import type { LogLevel } from './env.schema';

/** Nest takes the list of enabled levels; LOG_LEVEL names the most verbose one wanted. */
export function enabledLogLevels(level: LogLevel): LogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}
