import { escalationDocumentSchema } from './escalation-document.schema';
import type { EscalationDocument, NotifyChannel, NotifyRule } from './escalation-document.schema';
import { configProblems } from '@replywatch/sla-clock';

export class EscalationDocumentError extends Error {
  readonly code = 'ESCALATION.DOCUMENT_INVALID';
  constructor(
    readonly origin: string,
    readonly problems: string[],
  ) {
    super(`invalid escalation document ${origin}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'EscalationDocumentError';
  }
}

/** Validate a parsed JSON value; every problem is named by its path, all of them at once. */
export function parseEscalationDocument(raw: unknown, origin: string): EscalationDocument {
  const result = escalationDocumentSchema.safeParse(raw);
  if (!result.success) {
    throw new EscalationDocumentError(origin, configProblems(result.error));
  }
  const problems = crossReferenceProblems(result.data);
  if (problems.length > 0) throw new EscalationDocumentError(origin, problems);
  return result.data;
}

export function parseEscalationDocumentText(text: string, origin: string): EscalationDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new EscalationDocumentError(origin, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseEscalationDocument(raw, origin);
}

function duplicates(ids: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const id of ids) (seen.has(id) ? repeated : seen).add(id);
  return repeated;
}

/** Ids must exist and be unique, endpoints must suit their channel, the default chain must exist. */
function crossReferenceProblems(doc: EscalationDocument): string[] {
  const problems: string[] = [];
  const sections = {
    calendars: doc.calendars,
    people: doc.people,
    teams: doc.teams,
    rotations: doc.rotations,
    endpoints: doc.endpoints,
    chains: doc.chains,
  };
  for (const [name, items] of Object.entries(sections)) {
    for (const id of duplicates(items.map((item) => item.id))) {
      problems.push(`${name}: duplicate id "${id}"`);
    }
  }
  const calendars = new Set(doc.calendars.map((c) => c.id));
  const people = new Map(doc.people.map((p) => [p.id, p] as const));
  const teams = new Map(doc.teams.map((t) => [t.id, t] as const));
  const rotations = new Set(doc.rotations.map((r) => r.id));
  const endpoints = new Map(doc.endpoints.map((e) => [e.id, e] as const));
  const chains = new Set(doc.chains.map((c) => c.id));

  const checkEndpoint = (path: string, id: string | undefined, channel: 'webhook' | 'chat') => {
    if (id === undefined) return;
    const endpoint = endpoints.get(id);
    if (endpoint === undefined) problems.push(`${path}: unknown endpoint "${id}"`);
    else if (channel === 'webhook' && endpoint.type !== 'webhook') {
      problems.push(`${path}: endpoint "${id}" is ${endpoint.type}, not a webhook`);
    } else if (channel === 'chat' && endpoint.type === 'webhook') {
      problems.push(`${path}: endpoint "${id}" is a webhook, not a slack or teams chat`);
    }
  };
  doc.endpoints.forEach((endpoint, i) => {
    if (endpoint.type === 'webhook' && endpoint.secret === undefined) {
      problems.push(`endpoints.${i}.secret: a webhook endpoint needs a signing secret`);
    }
  });
  doc.people.forEach((person, i) => {
    checkEndpoint(`people.${i}.webhook`, person.webhook, 'webhook');
    checkEndpoint(`people.${i}.chat`, person.chat, 'chat');
    if (person.calendar !== undefined && !calendars.has(person.calendar)) {
      problems.push(`people.${i}.calendar: unknown calendar "${person.calendar}"`);
    }
  });
  doc.teams.forEach((team, i) => {
    checkEndpoint(`teams.${i}.webhook`, team.webhook, 'webhook');
    checkEndpoint(`teams.${i}.chat`, team.chat, 'chat');
    team.members.forEach((member, j) => {
      if (!people.has(member)) problems.push(`teams.${i}.members.${j}: unknown person "${member}"`);
    });
  });
  doc.rotations.forEach((rotation, i) => {
    rotation.people.forEach((member, j) => {
      if (!people.has(member)) {
        problems.push(`rotations.${i}.people.${j}: unknown person "${member}"`);
      }
    });
  });

  /** A named person or team must be reachable on every channel the rule asks for. */
  const checkNotify = (path: string, rule: NotifyRule) => {
    const [kind, id] = rule.target.split(':') as [string, string | undefined];
    if (kind === 'person' && id !== undefined) {
      const person = people.get(id);
      if (person === undefined) return problems.push(`${path}.target: unknown person "${id}"`);
      for (const channel of rule.channels) {
        if (!reachable(person, channel)) {
          problems.push(`${path}.channels: person "${id}" has no ${channel} address`);
        }
      }
    } else if (kind === 'team' && id !== undefined) {
      const team = teams.get(id);
      if (team === undefined) return problems.push(`${path}.target: unknown team "${id}"`);
      for (const channel of rule.channels) {
        const members = team.members.map((m) => people.get(m));
        if (!reachable(team, channel) && !members.some((m) => m && reachable(m, channel))) {
          problems.push(
            `${path}.channels: team "${id}" has no ${channel} address, nor do its members`,
          );
        }
      }
    } else if (kind === 'oncall' && id !== undefined && !rotations.has(id)) {
      problems.push(`${path}.target: unknown rotation "${id}"`);
    }
    return undefined;
  };
  doc.chains.forEach((chain, i) => {
    chain.levels.forEach((level, j) =>
      level.notify.forEach((rule, k) => checkNotify(`chains.${i}.levels.${j}.notify.${k}`, rule)),
    );
    if (chain.fallback !== undefined) checkNotify(`chains.${i}.fallback`, chain.fallback);
  });
  doc.routes.forEach((route, i) => {
    if (!chains.has(route.chain))
      problems.push(`routes.${i}.chain: unknown chain "${route.chain}"`);
  });
  if (doc.defaultChain !== undefined && !chains.has(doc.defaultChain)) {
    problems.push(`defaultChain: unknown chain "${doc.defaultChain}"`);
  }
  return problems;
}

function reachable(
  entry: { email?: string; webhook?: string; chat?: string },
  channel: NotifyChannel,
): boolean {
  return entry[channel] !== undefined;
}
