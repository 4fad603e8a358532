import type { Request } from 'express';
import { AppError } from '../errors/app-error';

/**
 * Read the request body as bytes, up to `limit`. Kept raw because provider signatures are computed
 * over the exact bytes; refused early from Content-Length when it already says too much.
 */
export function readRawBody(request: Request, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new AppError(
      'HTTP.PAYLOAD_TOO_LARGE',
      `request body is larger than the limit of ${limit} bytes`,
      413,
    );
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume(); // drain so the connection can answer
    return Promise.reject(tooLarge());
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks, size));
    });
    request.on('error', (error) => {
      if (!failed)
        reject(
          new AppError('HTTP.BAD_REQUEST_BODY', `could not read the body: ${error.message}`, 400),
        );
      failed = true;
    });
  });
}
