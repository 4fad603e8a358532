import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeliveryError } from './delivery-error';
import { HttpNotifier } from './http.notifier';

/** Against a real HTTP server on loopback: what counts as delivered, retryable or final. */
describe('HttpNotifier', () => {
  let server: Server;
  let url: string;
  const bodies: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString('utf8'));
        const status = Number(request.url?.slice(1));
        if (request.url === '/slow') return; // never answers
        response.writeHead(status, { 'content-type': 'text/plain' });
        response.end(`answer ${status}\n${'x'.repeat(500)}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const notifier = new HttpNotifier(300);
  const failure = async (target: string) => {
    try {
      await notifier.post(target, '{"a":1}', {});
    } catch (error) {
      return error as DeliveryError;
    }
    throw new Error('delivered');
  };

  it('delivers on 2xx and keeps only the first bytes of the answer', async () => {
    const result = await notifier.post(`${url}/202`, '{"hello":"world"}', { 'x-test': '1' });
    expect(result.startsWith('HTTP 202 answer 202 x')).toBe(true);
    expect(result.length).toBeLessThanOrEqual(210);
    expect(bodies).toContain('{"hello":"world"}');
  });

  it.each([500, 503, 429, 408])('retries %i', async (status) => {
    const error = await failure(`${url}/${status}`);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.permanent).toBe(false);
    expect(error.message).toContain(`HTTP ${status}`);
  });

  it.each([400, 401, 404, 410])(
    'gives up on %i: the receiver refused the request',
    async (status) => {
      const error = await failure(`${url}/${status}`);
      expect(error.permanent).toBe(true);
    },
  );

  it('retries a receiver that does not answer in time, and one that is not there', async () => {
    const slow = await failure(`${url}/slow`);
    expect(slow).toMatchObject({ permanent: false, message: 'no answer within 300 ms' });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await failure(`http://127.0.0.1:${port}/200`);
    expect(refused.permanent).toBe(false);
    expect(refused.message).toContain('ECONNREFUSED');
  });
});
