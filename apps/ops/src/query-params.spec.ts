import { AppError } from '@replywatch/platform';
import { QueryParams } from './query-params';

describe('QueryParams', () => {
  it('returns valid values and defaults', () => {
    const params = new QueryParams();
    expect(params.oneOf('channel', 'chat', ['chat', 'email'] as const)).toBe('chat');
    expect(params.oneOf('channel', undefined, ['chat'] as const)).toBeUndefined();
    expect(params.limit(undefined, 500, 50)).toBe(50);
    expect(params.limit('500', 500, 50)).toBe(500);
    expect(() => params.check()).not.toThrow();
  });

  it('names every bad parameter in one 400', () => {
    const params = new QueryParams();
    params.oneOf('channel', 'fax', ['chat', 'email'] as const);
    params.limit('0', 500, 50);
    params.limit('1.5', 500, 50);
    try {
      params.check();
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      const appError = error as AppError;
      expect(appError).toMatchObject({ code: 'OPS.INVALID_QUERY', status: 400 });
      expect(appError.details).toEqual([
        { path: 'channel', code: 'invalid_value', message: 'must be one of chat, email' },
        { path: 'limit', code: 'invalid_value', message: 'must be an integer from 1 to 500' },
        { path: 'limit', code: 'invalid_value', message: 'must be an integer from 1 to 500' },
      ]);
    }
  });
});
