import type { Channel, Priority } from '@replywatch/contracts';
import type { EscalationDocument, Route, Trigger } from './escalation-document.schema';

/** The facts of an SLA or source event that routing looks at. */
export interface RoutingSubject {
  trigger: Trigger;
  policyId: string;
  channel: Channel | 'unknown';
  priority: Priority;
  team?: string;
  /** The SLA target (`first_response`, …) or `source_silent`. */
  target: string;
}

function routeMatches(route: Route, subject: RoutingSubject): boolean {
  const { match } = route;
  const within = <T>(allowed: readonly T[] | undefined, value: T | undefined) =>
    allowed === undefined || (value !== undefined && allowed.includes(value));
  return (
    within(match.events, subject.trigger) &&
    within(match.policies, subject.policyId) &&
    within<string>(match.channels, subject.channel) &&
    within(match.priorities, subject.priority) &&
    within(match.teams, subject.team) &&
    within<string>(match.targets, subject.target)
  );
}

/**
 * The chain an event starts: the first route that matches, else the default chain for a breach or
 * a silent connector. A warning with no route starts nothing: warnings are opt-in, breaches never.
 */
export function chooseChain(doc: EscalationDocument, subject: RoutingSubject): string | undefined {
  const route = doc.routes.find((candidate) => routeMatches(candidate, subject));
  if (route !== undefined) return route.chain;
  if (subject.trigger === 'sla.warning') return undefined;
  return doc.defaultChain ?? doc.chains[0].id;
}
