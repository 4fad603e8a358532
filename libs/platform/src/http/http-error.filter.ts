import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../errors/app-error';
import { errorBody } from './error-response';
import type { ErrorBody } from './error-response';

interface BodyParserError {
  type: string;
  status: number;
  limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { type?: unknown }).type === 'string' &&
    typeof (error as { status?: unknown }).status === 'number'
  );
}

/**
 * One error shape for every service: `{"error":{"code","message","details","requestId"}}`.
 * 500s get an error id in the log and the response, never the stack or internals.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const requestId = requestIdOf(request);
    const [status, body] = this.describe(exception, requestId);
    if (status >= 500 && body.error.code === 'INTERNAL') {
      const stack = exception instanceof Error ? exception.stack : String(exception);
      this.logger.error(`${request.method} ${request.path} failed [${requestId}]: ${stack}`);
    }
    response.status(status).json(body);
  }

  private describe(exception: unknown, requestId: string): [number, ErrorBody] {
    if (exception instanceof AppError) {
      return [
        exception.status,
        errorBody(exception.code, exception.message, exception.details, requestId),
      ];
    }
    if (isBodyParserError(exception)) {
      if (exception.type === 'entity.too.large') {
        return [
          413,
          errorBody(
            'HTTP.PAYLOAD_TOO_LARGE',
            `request body is larger than the limit of ${exception.limit ?? '?'} bytes`,
            [],
            requestId,
          ),
        ];
      }
      if (exception.status >= 400 && exception.status < 500) {
        return [
          exception.status,
          errorBody(
            'HTTP.BAD_REQUEST_BODY',
            `unreadable request body (${exception.type})`,
            [],
            requestId,
          ),
        ];
      }
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return [status, errorBody(`HTTP.${status}`, exception.message, [], requestId)];
    }
    return [
      500,
      errorBody(
        'INTERNAL',
        'internal error; see the service log for this request id',
        [],
        requestId,
      ),
    ];
  }
}

export function requestIdOf(request: Request): string {
  const header = request.headers['x-request-id'];
  const given = typeof header === 'string' && /^[\w.-]{1,100}$/.test(header) ? header : undefined;
  const existing = (request as Request & { requestId?: string }).requestId;
  const id = existing ?? given ?? randomUUID();
  (request as Request & { requestId?: string }).requestId = id;
  return id;
}
