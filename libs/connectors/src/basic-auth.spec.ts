import { verifyBasicAuth } from './basic-auth';

const EXPECTED = { username: 'postmark', password: 's3cr3t:with-colon' };
const header = (credentials: string, scheme = 'Basic') =>
  `${scheme} ${Buffer.from(credentials, 'utf8').toString('base64')}`;

describe('verifyBasicAuth', () => {
  it('accepts the configured user name and password', () => {
    expect(verifyBasicAuth(header('postmark:s3cr3t:with-colon'), EXPECTED)).toEqual({ ok: true });
  });

  it('matches RFC 7617 section 2: "Aladdin:open sesame" is QWxhZGRpbjpvcGVuIHNlc2FtZQ==', () => {
    const expected = { username: 'Aladdin', password: 'open sesame' };
    expect(verifyBasicAuth('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==', expected)).toEqual({ ok: true });
  });

  it('takes the scheme case-insensitively and tolerates surrounding whitespace', () => {
    expect(
      verifyBasicAuth(`  ${header('postmark:s3cr3t:with-colon', 'bAsIc')} `, EXPECTED),
    ).toEqual({ ok: true });
  });

  it('keeps non-ASCII credentials (UTF-8, as RFC 7617 charset="UTF-8")', () => {
    const expected = { username: 'zoë', password: 'pässwörd' };
    expect(verifyBasicAuth(header('zoë:pässwörd'), expected)).toEqual({ ok: true });
  });

  it.each([
    ['a wrong password', 'postmark:s3cr3t'],
    ['a wrong user name', 'postmarK:s3cr3t:with-colon'],
    ['an empty password', 'postmark:'],
    ['a longer password', 'postmark:s3cr3t:with-colon!'],
  ])('refuses %s without saying which part was wrong', (_name, credentials) => {
    expect(verifyBasicAuth(header(credentials), EXPECTED)).toEqual({
      ok: false,
      reason: 'Basic credentials do not match',
    });
  });

  it.each([
    [undefined, 'missing Authorization header'],
    ['   ', 'missing Authorization header'],
    ['Bearer abc.def', 'Authorization header is not Basic'],
    ['Basic', 'malformed Basic credentials (expected base64 of user:password)'],
    ['Basic not base64!', 'malformed Basic credentials (expected base64 of user:password)'],
    [header('no-colon-here'), 'malformed Basic credentials (no colon after the user name)'],
  ])('refuses %p: %s', (authorization, reason) => {
    expect(verifyBasicAuth(authorization, EXPECTED)).toEqual({ ok: false, reason });
  });

  it('never echoes the secret in a reason', () => {
    for (const authorization of [header('postmark:wrong'), header('x'), 'Digest s3cr3t']) {
      const check = verifyBasicAuth(authorization, EXPECTED);
      expect(check.ok).toBe(false);
      if (!check.ok) {
        expect(check.reason).not.toContain('s3cr3t');
        expect(check.reason).not.toContain('postmark');
      }
    }
  });

  it('refuses everything when no password is configured', () => {
    expect(verifyBasicAuth(header(':'), { username: '', password: '' })).toEqual({
      ok: false,
      reason: 'no basic auth password configured',
    });
  });
});
