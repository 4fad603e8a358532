import { AppError } from '@replywatch/platform';

/** One invalid query parameter, as the error's `details` list it. */
export interface QueryProblem {
  path: string;
  code: string;
  message: string;
}

/** Collects every bad parameter of a request, so one 400 names them all. */
export class QueryParams {
  private readonly problems: QueryProblem[] = [];

  /** An optional value that must be one of `allowed`. */
  oneOf<T extends string>(
    path: string,
    value: string | undefined,
    allowed: readonly T[],
  ): T | undefined {
    if (value !== undefined && !(allowed as readonly string[]).includes(value)) {
      this.problems.push({
        path,
        code: 'invalid_value',
        message: `must be one of ${allowed.join(', ')}`,
      });
      return undefined;
    }
    return value as T | undefined;
  }

  /** An optional free-text value (a team, a policy id) of sensible length. */
  text(path: string, value: string | undefined, maxLength = 200): string | undefined {
    if (value === undefined) return undefined;
    if (value.length === 0 || value.length > maxLength) {
      this.problems.push({
        path,
        code: 'invalid_value',
        message: `must be 1 to ${maxLength} characters`,
      });
      return undefined;
    }
    return value;
  }

  /** A page size from 1 to `max`, `fallback` when absent. */
  limit(value: string | undefined, max: number, fallback: number): number {
    const size = value === undefined ? fallback : Number(value);
    if (!Number.isInteger(size) || size < 1 || size > max) {
      this.problems.push({
        path: 'limit',
        code: 'invalid_value',
        message: `must be an integer from 1 to ${max}`,
      });
    }
    return size;
  }

  /** Any other problem with a parameter. */
  problem(path: string, message: string): void {
    this.problems.push({ path, code: 'invalid_value', message });
  }

  /** Throws `OPS.INVALID_QUERY` (400) listing every problem, if there is one. */
  check(): void {
    if (this.problems.length > 0) {
      throw new AppError('OPS.INVALID_QUERY', 'invalid query parameters', 400, this.problems);
    }
  }
}
