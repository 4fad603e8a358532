/** One dependency a service needs (Kafka, Redis, Postgres, SMTP) and how to check it. */
export interface HealthIndicator {
  readonly name: string;
  check(): Promise<HealthCheckResult>;
}

export interface HealthCheckResult {
  up: boolean;
  detail?: string;
}

export interface HealthReport {
  service: string;
  status: 'ok' | 'degraded';
  uptimeSeconds: number;
  checks: Record<string, { status: 'up' | 'down'; latencyMs: number; detail?: string }>;
}

export const HEALTH_INDICATORS = Symbol('HEALTH_INDICATORS');
export const SERVICE_NAME = Symbol('SERVICE_NAME');

const CHECK_TIMEOUT_MS = 2000;

async function runCheck(indicator: HealthIndicator): Promise<HealthCheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HealthCheckResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ up: false, detail: `no answer within ${CHECK_TIMEOUT_MS} ms` }),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([indicator.check(), timeout]);
  } catch (error) {
    return { up: false, detail: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** Run every check at once, each bounded by a timeout, so /health always answers quickly. */
export async function healthReport(
  service: string,
  indicators: readonly HealthIndicator[],
  startedAtMs: number,
  nowMs: number,
): Promise<HealthReport> {
  const entries = await Promise.all(
    indicators.map(async (indicator) => {
      const started = Date.now();
      const result = await runCheck(indicator);
      return [
        indicator.name,
        {
          status: result.up ? ('up' as const) : ('down' as const),
          latencyMs: Date.now() - started,
          ...(result.detail === undefined ? {} : { detail: result.detail }),
        },
      ] as const;
    }),
  );
  const checks = Object.fromEntries(entries);
  const status = entries.every(([, check]) => check.status === 'up') ? 'ok' : 'degraded';
  return { service, status, uptimeSeconds: Math.round((nowMs - startedAtMs) / 1000), checks };
}
