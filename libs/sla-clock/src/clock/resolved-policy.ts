import { SLA_TARGETS } from '@replywatch/contracts';
import type { SlaTarget } from '@replywatch/contracts';
import { ALWAYS_OPEN } from '../calendar/calendar.schema';
import type { Calendar } from '../calendar/calendar.schema';
import type { Policy, PolicyFile } from '../policy.schema';

/** One target of a policy in the units the clock works in. */
export interface ResolvedTarget {
  target: SlaTarget;
  limitMs: number;
  /** Count only the calendar's open time (else calendar time). */
  business: boolean;
  /** Elapsed target time at which to warn, ascending, each below `limitMs`. */
  warnAtMs: number[];
}

export interface ResolvedPolicy {
  id: string;
  version: number;
  calendar: Calendar;
  targets: Partial<Record<SlaTarget, ResolvedTarget>>;
}

/** Turn a validated policy into limits and warning points in milliseconds. */
export function resolvePolicy(
  policy: Policy,
  calendars: ReadonlyMap<string, Calendar>,
): ResolvedPolicy {
  const calendar = policy.calendar === undefined ? ALWAYS_OPEN : calendars.get(policy.calendar);
  if (calendar === undefined)
    throw new Error(`policy ${policy.id}: unknown calendar ${policy.calendar}`);
  const targets: Partial<Record<SlaTarget, ResolvedTarget>> = {};
  for (const target of SLA_TARGETS) {
    const spec = policy.targets[target];
    if (spec === undefined) continue;
    const limitMs = Math.round(spec.within * 1000);
    const warnAtMs = [
      ...new Set(
        spec.warnAt.map((point) =>
          'fraction' in point
            ? Math.round(limitMs * point.fraction)
            : limitMs - Math.round(point.beforeSeconds * 1000),
        ),
      ),
    ]
      .filter((ms) => ms > 0 && ms < limitMs)
      .sort((a, b) => a - b);
    targets[target] = {
      target,
      limitMs,
      business: spec.businessHours ?? policy.calendar !== undefined,
      warnAtMs,
    };
  }
  return { id: policy.id, version: policy.version, calendar, targets };
}

/** Every policy of a file, resolved, by id. */
export function resolvePolicyFile(file: PolicyFile): Map<string, ResolvedPolicy> {
  const calendars = new Map(file.calendars.map((calendar) => [calendar.id, calendar] as const));
  return new Map(
    file.policies.map((policy) => [policy.id, resolvePolicy(policy, calendars)] as const),
  );
}
