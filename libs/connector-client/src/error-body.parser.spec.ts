import { parseErrorBody } from './error-body.parser';

describe('parseErrorBody', () => {
  it('reads the API error shape', () => {
    const body = JSON.stringify({
      error: {
        code: 'INGEST.INVALID_JSON',
        message: 'empty body',
        details: [{ path: 'x' }],
        requestId: 'r-1',
      },
    });
    expect(parseErrorBody(400, body)).toEqual({
      code: 'INGEST.INVALID_JSON',
      message: 'empty body',
      details: [{ path: 'x' }],
      requestId: 'r-1',
    });
  });

  it('turns anything else into HTTP.<status> with the start of the text', () => {
    expect(parseErrorBody(502, '<html>Bad gateway</html>')).toEqual({
      code: 'HTTP.502',
      message: 'HTTP 502: <html>Bad gateway</html>',
      details: [],
    });
    expect(parseErrorBody(503, '')).toEqual({ code: 'HTTP.503', message: 'HTTP 503', details: [] });
    expect(parseErrorBody(500, '{"error":"boom"}').code).toBe('HTTP.500');
    expect(parseErrorBody(500, 'x'.repeat(1000)).message).toHaveLength('HTTP 500: '.length + 200);
  });
});
