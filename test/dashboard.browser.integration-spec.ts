import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { postEvents } from './support/ingest-client';
import { startStack, TEST_OPS_KEY } from './support/stack';
import type { Stack } from './support/stack';
import { uniqueId } from './support/unique';

jest.setTimeout(120000);

const ROOT = join(__dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = join(ROOT, 'test-output/dashboard.png');
const README_IMAGE = join(ROOT, 'docs/images/dashboard.png');

/** The page's globals the test reads in page.evaluate (the tests' tsconfig has no DOM types). */
interface PageGlobals {
  sessionStorage: { length: number };
  notReloaded?: boolean;
}

/** Chat breaches in 4 s (an alert to acknowledge), e-mail is at risk after 3.6 s, phone is fine. */
const POLICIES = {
  policies: [
    { id: 'chat-4s', match: { channel: ['chat' as const] }, targets: { first_response: '4s' } },
    {
      id: 'email-warns-early',
      match: { channel: ['email' as const] },
      targets: { first_response: { within: '1h', warnAt: ['0.1%'] } },
    },
    { id: 'default-1h', targets: { first_response: '1h' } },
  ],
};

/** The dashboard as `npm run build` makes it: the ops app serves dist/dashboard. */
function buildDashboard(): void {
  const tsc = require.resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'apps/ops/dashboard/tsconfig.json'], { cwd: ROOT });
  execFileSync(process.execPath, ['apps/ops/dashboard/copy-assets.mjs'], { cwd: ROOT });
}

/**
 * A TCP relay between the browser and the ops service that can drop every connection and refuse
 * new ones, like a network outage: the only way to cut a stream the page is already reading.
 */
class CuttableProxy {
  private readonly server: Server = createServer((client) => this.relay(client));
  private readonly sockets = new Set<Socket>();
  private down = false;

  constructor(private readonly target: URL) {}

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  cut(): void {
    this.down = true;
    for (const socket of this.sockets) socket.resetAndDestroy();
  }

  restore(): void {
    this.down = false;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private relay(client: Socket): void {
    if (this.down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(Number(this.target.port), this.target.hostname);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  }
}

describe('the live dashboard in a real browser (Chromium, whole stack)', () => {
  let stack: Stack;
  let proxy: CuttableProxy;
  let dashboardUrl: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const chatContact = uniqueId('chat-');

  const opened = (contactId: string, channel: string, customer: Record<string, string>) => ({
    eventId: `${contactId}-open`,
    type: 'contact.opened',
    contactId,
    channel,
    occurredAt: new Date().toISOString(),
    customer,
  });

  const post = async (body: unknown) => {
    const response = await postEvents(stack.urls.ingest!, body);
    expect(response.status).toBe(202);
  };

  /** Waits (Playwright's auto-waiting locators, no sleeps) for the metric to read exactly `text`. */
  const metricReads = (channel: string, metric: string, text: string) =>
    page
      .locator(`article.tile[data-channel="${channel}"]`)
      .locator(`dd[data-metric="${metric}"]`, { hasText: new RegExp(`^${text}$`) })
      .waitFor();

  const row = (contactId: string) => page.locator(`#queue-rows tr[data-contact-id="${contactId}"]`);
  const banner = () => page.locator('#stream-banner');

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`,
      );
    }
    buildDashboard();
    stack = await startStack(POLICIES, ['ingest', 'sla', 'escalation', 'ops'], {
      OPS_HISTORY_SAMPLE_MS: '1000',
      OPS_STREAM_POLL_MS: '100',
    });
    proxy = new CuttableProxy(new URL(stack.urls.ops!));
    dashboardUrl = `${await proxy.start()}/`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(60000);
    page.on('pageerror', (error) => pageErrors.push(`uncaught: ${error.message}`));
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) pageErrors.push(message.text());
    });
  }, 180000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.stop();
    await stack?.close();
  }, 60000);

  it('serves the page without a key, under a restrictive Content-Security-Policy', async () => {
    const response = await page.goto(dashboardUrl);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  it('refuses an unknown key and says why', async () => {
    await page.getByLabel('API key').fill('not-a-real-key-0000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#signin-error', { hasText: 'unknown or revoked API key' }).waitFor();
    expect(await page.locator('#board').isHidden()).toBe(true);
  });

  it('signs in with an ops key and shows the board', async () => {
    await page.getByLabel('API key').fill(TEST_OPS_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Longest waiting' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await metricReads('chat', 'waiting', '0');
    expect(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).sessionStorage.length),
    ).toBe(1);
  });

  it('shows a new contact in the list and in its channel tile without a reload', async () => {
    // Survives only as long as the page is not reloaded.
    await page.evaluate(() => {
      (globalThis as unknown as PageGlobals).notReloaded = true;
    });
    await post(opened(chatContact, 'chat', { email: 'ana@example.com' }));
    await row(chatContact).waitFor();
    await metricReads('chat', 'waiting', '1');
    expect(await row(chatContact).locator('.customer').textContent()).toBe('ana@example.com');
    // Past its 4 s target: the row turns red and says so in words, not colour alone.
    await row(chatContact).locator('.status-breached', { hasText: 'Breached' }).waitFor();
    await metricReads('chat', 'breached', '1');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).notReloaded)).toBe(
      true,
    );
  });

  it('shows the breach alert and acknowledges it', async () => {
    const alert = page.locator('#alert-list li', { hasText: chatContact });
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await alert.locator('.alert-acked', { hasText: 'Acknowledged by' }).waitFor();
    const alertId = await alert.getAttribute('data-alert-id');
    const response = await fetch(
      `${stack.urls.ops}/v1/alerts?state=acknowledged&contactId=${chatContact}`,
      { headers: { authorization: `Bearer ${TEST_OPS_KEY}` } },
    );
    const body = (await response.json()) as {
      items: { id: string; state: string; ackedBy: string | null }[];
    };
    expect(body.items).toEqual([
      expect.objectContaining({ id: alertId, state: 'acknowledged', ackedBy: expect.any(String) }),
    ]);
    // Still acknowledged once the list is read again from the server (the stream's alert event).
    await page
      .locator(`#alert-list li[data-alert-id="${alertId}"][data-state="acknowledged"]`)
      .waitFor();
  });

  it('shows a banner while the live stream is down and removes it once reconnected', async () => {
    expect(await banner().isHidden()).toBe(true);
    proxy.cut();
    await page.getByRole('alert').filter({ hasText: 'Live updates interrupted' }).waitFor();
    proxy.restore();
    // Reconnects by itself (backoff 1 s, 2 s, …): no reload, no click.
    await banner().waitFor({ state: 'hidden' });
  });

  it('keeps updating live after the reconnect', async () => {
    const emailContact = uniqueId('email-');
    const phoneContact = uniqueId('phone-');
    await post([
      opened(emailContact, 'email', { email: 'ben@example.com' }),
      opened(phoneContact, 'phone', { phone: '+14155550100' }),
    ]);
    await row(emailContact).waitFor();
    await row(phoneContact).waitFor();
    await metricReads('email', 'waiting', '1');
    await metricReads('phone', 'waiting', '1');
    await row(emailContact).locator('.status-at-risk', { hasText: 'At risk' }).waitFor();
    await row(phoneContact).locator('.status-ok', { hasText: 'On track' }).waitFor();
    await metricReads('email', 'at-risk', '1');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).notReloaded)).toBe(
      true,
    );

    mkdirSync(join(ROOT, 'test-output'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    if (process.env.UPDATE_SCREENSHOT === '1' || !existsSync(README_IMAGE)) {
      mkdirSync(join(ROOT, 'docs/images'), { recursive: true });
      copyFileSync(SCREENSHOT, README_IMAGE);
    }
  });

  it('switches to large type for a wall screen, and signs out', async () => {
    await page.getByRole('button', { name: 'Large type' }).click();
    expect(await page.locator('html.wall').count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('wall')).toBe('1');
    await page.screenshot({ path: join(ROOT, 'test-output/dashboard-wall.png'), fullPage: true });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).sessionStorage.length),
    ).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
