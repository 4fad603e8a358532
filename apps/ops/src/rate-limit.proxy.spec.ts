import { trustProxyEnv } from './rate-limit.proxy';

describe('OPS_TRUST_PROXY', () => {
  it('is off unless set', () => {
    expect(trustProxyEnv.parse(undefined)).toBe(false);
    expect(trustProxyEnv.parse('false')).toBe(false);
    expect(trustProxyEnv.parse('')).toBe(false);
  });

  it('takes true, a hop count, or addresses and subnets of the proxies', () => {
    expect(trustProxyEnv.parse('true')).toBe(true);
    expect(trustProxyEnv.parse('2')).toBe(2);
    expect(trustProxyEnv.parse('loopback, 10.0.0.0/8,fd00::/8 ,192.0.2.7')).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.0.2.7',
    ]);
  });

  it('refuses what is not an address, naming it', () => {
    const result = trustProxyEnv.safeParse('10.0.0.0/8,proxy.internal,10.0.0.1/33');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('proxy.internal, 10.0.0.1/33');
  });
});
