import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { load } from 'js-yaml';
import type { Env } from '@replywatch/platform';
import {
  escalationEnvSchema,
  loadEscalationConfig,
} from '../apps/escalation/src/escalation.config';
import { ingestEnvSchema, loadIngestConfig } from '../apps/ingest/src/ingest.config';
import { loadOpsConfig, opsEnvSchema } from '../apps/ops/src/ops.config';
import { loadSlaConfig, slaEnvSchema } from '../apps/sla/src/sla.config';

/*
 * docker-compose.yml cannot be run here (no Docker engine), so this reads it the way Compose would
 * and passes each service's environment through that service's real config loader: a wrong
 * variable name, a localhost address or a missing dependency fails here instead of in a container.
 */

const ROOT = resolve(__dirname, '..');

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | { target: number; published?: number | string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
}

interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** Compose interpolation with the file's own defaults only, so the result never depends on the shell. */
function interpolate(value: string): string {
  return value.replace(
    /\$\$|\$\{([^}]*)\}|\$([A-Za-z_]\w*)/g,
    (match, braced: string | undefined) => {
      if (match === '$$') return '$';
      const fallback = braced === undefined ? undefined : /^\w+:?-(.*)$/s.exec(braced)?.[1];
      if (fallback === undefined) {
        throw new Error(`${match} has no default: the file would depend on the caller's shell`);
      }
      return fallback;
    },
  );
}

function interpolateAll(node: unknown): unknown {
  if (typeof node === 'string') return interpolate(node);
  if (Array.isArray(node)) return node.map(interpolateAll);
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateAll(v)]));
  }
  return node;
}

const compose = interpolateAll(
  load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')),
) as ComposeFile;
const services = compose.services;

function environmentOf(service: ComposeService): Env {
  const raw = service.environment ?? {};
  const entries = Array.isArray(raw)
    ? raw.map((item) => [item.slice(0, item.indexOf('=')), item.slice(item.indexOf('=') + 1)])
    : Object.entries(raw).map(([key, value]) => [key, value === null ? undefined : String(value)]);
  return Object.fromEntries(entries) as Env;
}

function words(command: string | string[] | undefined): string[] {
  if (command === undefined) return [];
  return Array.isArray(command) ? command : command.split(/\s+/).filter(Boolean);
}

/** Host and container port of one `ports:` entry (short `[ip:][host:]container[/proto]` or long). */
function publishedPort(entry: string | number | { target: number; published?: number | string }): {
  host?: number;
  container: number;
} {
  if (typeof entry === 'object') {
    return {
      container: entry.target,
      host: entry.published === undefined ? undefined : Number(entry.published),
    };
  }
  const parts = String(entry)
    .replace(/\/\w+$/, '')
    .split(':');
  const container = Number(parts[parts.length - 1]);
  return { container, host: parts.length >= 2 ? Number(parts[parts.length - 2]) : undefined };
}

interface Address {
  path: string;
  host: string;
  port?: number;
}

/** Every URL or host:port in a resolved config (defaults included), with where it sits. */
function addressesIn(node: unknown, path = ''): Address[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => addressesIn(item, `${path}[${i}]`));
  if (node !== null && typeof node === 'object') {
    return Object.entries(node).flatMap(([key, value]) =>
      addressesIn(value, path ? `${path}.${key}` : key),
    );
  }
  if (typeof node !== 'string') return [];
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(node)) {
    const url = new URL(node);
    return [{ path, host: url.hostname, port: url.port ? Number(url.port) : undefined }];
  }
  const hostPort = /^([^\s/:@]+):(\d+)$/.exec(node);
  return hostPort ? [{ path, host: hostPort[1], port: Number(hostPort[2]) }] : [];
}

const isLoopback = (host: string) =>
  host === 'localhost' || /^127\./.test(host) || host === '[::1]' || host === '0.0.0.0';

/** Config fields a person's browser follows (links in e-mails), not addresses a container dials. */
const BROWSER_LINKS = new Set(['dashboardUrl', 'ack.baseUrl']);

/** Read by Node itself, not by the config loaders. */
const RUNTIME_VARIABLES = new Set(['NODE_ENV', 'NODE_OPTIONS', 'TZ']);

const APPS = [
  { name: 'ingest', load: loadIngestConfig, variables: Object.keys(ingestEnvSchema.in.shape) },
  { name: 'ops', load: loadOpsConfig, variables: Object.keys(opsEnvSchema.in.shape) },
  {
    name: 'escalation',
    load: loadEscalationConfig,
    variables: Object.keys(escalationEnvSchema.in.shape),
  },
  { name: 'sla', load: loadSlaConfig, variables: Object.keys(slaEnvSchema.in.shape) },
] as const;

const configOf = {
  ingest: () => loadIngestConfig(environmentOf(services.ingest)),
  ops: () => loadOpsConfig(environmentOf(services.ops)),
  escalation: () => loadEscalationConfig(environmentOf(services.escalation)),
  sla: () => loadSlaConfig(environmentOf(services.sla)),
};

describe('docker-compose.yml', () => {
  describe.each(APPS)('service $name', ({ name, load: loadConfig, variables }) => {
    const service = services[name];
    const env = () => environmentOf(service);

    it('is defined and built from the repository Dockerfile', () => {
      expect(service).toBeDefined();
      const build = typeof service.build === 'string' ? { context: service.build } : service.build;
      expect(build).toBeDefined();
      expect(resolve(ROOT, build?.context ?? '.')).toBe(ROOT);
      expect(build?.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
      expect(existsSync(join(ROOT, 'Dockerfile'))).toBe(true);
    });

    it(`runs node dist/apps/${name}/src/main.js, compiled from a source file that exists`, () => {
      const command = words(service.command);
      expect(command[0]).toBe('node');
      expect(command).toContain(`dist/apps/${name}/src/main.js`);
      expect(existsSync(join(ROOT, 'apps', name, 'src', 'main.ts'))).toBe(true);
    });

    it('has an environment the real config loader accepts', () => {
      expect(() => loadConfig(env())).not.toThrow();
    });

    it('sets only variables its config reads (a misspelt name would be silently ignored)', () => {
      const unknown = Object.keys(env()).filter(
        (key) => !(variables as readonly string[]).includes(key) && !RUNTIME_VARIABLES.has(key),
      );
      expect(unknown).toEqual([]);
    });

    it('listens on 0.0.0.0, not on the container loopback', () => {
      expect(env().HTTP_HOST).toBe('0.0.0.0');
      expect(loadConfig(env()).host).toBe('0.0.0.0');
    });

    it('points at no loopback address, defaults included (inside a container that is itself)', () => {
      const loopback = addressesIn(loadConfig(env())).filter(
        (address) => !BROWSER_LINKS.has(address.path) && isLoopback(address.host),
      );
      expect(loopback).toEqual([]);
    });

    it('points only at services of this file that it waits for while they are healthy', () => {
      const hosts = addressesIn(loadConfig(env()))
        .filter((address) => !BROWSER_LINKS.has(address.path))
        .map((address) => address.host);
      expect(hosts.length).toBeGreaterThan(0);
      expect(Array.isArray(service.depends_on)).toBe(false);
      const dependsOn = (service.depends_on ?? {}) as Record<string, { condition?: string }>;
      for (const host of new Set(hosts)) {
        expect({ host, defined: host in services }).toEqual({ host, defined: true });
        expect({ host, condition: dependsOn[host]?.condition }).toEqual({
          host,
          condition: 'service_healthy',
        });
      }
      for (const dependency of Object.keys(dependsOn)) {
        expect({
          dependency,
          healthcheck: services[dependency]?.healthcheck !== undefined,
        }).toEqual({ dependency, healthcheck: true });
      }
    });

    it('publishes its configured port on the same host port', () => {
      const { port } = loadConfig(env());
      const ports = (service.ports ?? []).map(publishedPort);
      expect(ports).toContainEqual({ host: port, container: port });
    });

    it('probes /health on its configured port', () => {
      const { port } = loadConfig(env());
      const probe = words(service.healthcheck?.test).join(' ');
      expect(probe).toContain(`:${port}/health`);
    });
  });

  it('keeps the values services share in agreement', () => {
    const ingest = configOf.ingest();
    const sla = configOf.sla();
    const escalation = configOf.escalation();
    const ops = configOf.ops();
    for (const other of [sla, escalation, ops]) {
      expect(other.kafka.brokers).toEqual(ingest.kafka.brokers);
    }
    for (const other of [sla, escalation]) {
      expect(other.kafka.topicPrefix).toBe(ingest.kafka.topicPrefix);
      expect(other.kafka.contactPartitions).toBe(ingest.kafka.contactPartitions);
    }
    // ops reads the SLA service's Redis keys and the tables escalation migrates.
    expect(ops.redis).toEqual(sla.redis);
    expect(ops.database).toEqual(escalation.database);
  });

  it('links alert e-mails to the ops port published on the host', () => {
    const link = new URL(configOf.escalation().dashboardUrl);
    const opsPort = configOf.ops().port;
    const published = (services.ops.ports ?? []).map(publishedPort).map((p) => p.host);
    expect(['localhost', '127.0.0.1']).toContain(link.hostname);
    expect(published).toContain(Number(link.port));
    expect(Number(link.port)).toBe(opsPort);
  });

  it('ships placeholder keys that are obviously meant to be replaced', () => {
    const connectorKeys = configOf.ingest().connectorKeys.map((entry) => entry.key);
    const opsKeys = configOf.ops().apiKeys;
    for (const key of [...connectorKeys, ...opsKeys]) expect(key).toMatch(/change-me/);
  });

  it('gives the SLA service a policy file that the image contains', () => {
    const policyFile = configOf.sla().policyFile.replace(/^\/app\//, '');
    expect(existsSync(join(ROOT, policyFile))).toBe(true);
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const finalStage = dockerfile.split(/^FROM\s/m).pop() ?? '';
    expect(finalStage).toMatch(/^WORKDIR \/app$/m);
    expect(finalStage).toMatch(new RegExp(`^COPY ${policyFile.split('/')[0]}\\b`, 'm'));
    expect(finalStage).toMatch(/^USER (?!root\b|0\b)\S+$/m);
  });

  it('runs Redis with the settings BullMQ needs (AOF every second, no eviction)', () => {
    const command = words(services.redis.command);
    const option = (name: string) => command[command.indexOf(`--${name}`) + 1];
    expect(command).toContain('--appendonly');
    expect(option('appendonly')).toBe('yes');
    expect(option('appendfsync')).toBe('everysec');
    expect(option('maxmemory-policy')).toBe('noeviction');
  });

  it('advertises the Kafka listener the services dial, with topic auto-creation off', () => {
    const kafka = environmentOf(services.kafka);
    const advertised = (kafka.KAFKA_ADVERTISED_LISTENERS ?? '')
      .split(',')
      .map((listener) => listener.replace(/^\w+:\/\//, ''));
    for (const broker of configOf.ingest().kafka.brokers) expect(advertised).toContain(broker);
    expect(kafka.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
    expect(kafka.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR).toBe('1');
  });

  it('connects to PostgreSQL with the user, password and database the container creates', () => {
    const postgres = environmentOf(services.postgres);
    const url = new URL(configOf.escalation().database.url);
    expect(decodeURIComponent(url.username)).toBe(postgres.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(postgres.POSTGRES_PASSWORD);
    expect(url.pathname.slice(1)).toBe(postgres.POSTGRES_DB ?? postgres.POSTGRES_USER);
  });
});
