import { applyDecorators } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiQuery,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  DocumentBuilder,
  SwaggerModule,
} from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';

export const API_KEY_SCHEME = 'apiKey';

/** Every error the ops API answers with: a machine-readable code, a sentence, and the fields. */
export const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', example: 'OPS.INVALID_QUERY' },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              path: { type: 'string', example: 'channel' },
              code: { type: 'string', example: 'invalid_value' },
              message: { type: 'string' },
            },
          },
        },
      },
    },
  },
};

/** A /v1 endpoint: Bearer API key, 401/403/429 as the guard answers them. */
export const ApiAuthenticated = (roles = 'ops, lead or admin') =>
  applyDecorators(
    ApiBearerAuth(API_KEY_SCHEME),
    ApiUnauthorizedResponse({
      description: 'OPS.UNAUTHENTICATED: no key, or an unknown or revoked one',
      schema: ERROR_SCHEMA,
    }),
    ApiForbiddenResponse({
      description: `OPS.FORBIDDEN: the key's role may not do this (needs ${roles})`,
      schema: ERROR_SCHEMA,
    }),
    ApiTooManyRequestsResponse({
      description: 'OPS.RATE_LIMITED: too many requests for this key; see Retry-After',
      schema: ERROR_SCHEMA,
    }),
  );

export const ApiInvalidQuery = () =>
  ApiBadRequestResponse({
    description: 'OPS.INVALID_QUERY: each bad parameter is named in details',
    schema: ERROR_SCHEMA,
  });

/** An optional query parameter, with its allowed values when there is a fixed set. */
export const ApiOptionalQuery = (
  name: string,
  description: string,
  values?: readonly string[],
  type: 'string' | 'integer' = 'string',
) =>
  ApiQuery({
    name,
    required: false,
    description,
    ...(values ? { enum: [...values] } : { type: type === 'integer' ? Number : String }),
  });

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Replywatch ops API')
    .setDescription(
      'Queue health, alerts, SLA reports and configuration. Every /v1 endpoint needs ' +
        '`Authorization: Bearer <API key>`; keys have roles (ops, lead, admin, connector). ' +
        'Errors are `{ "error": { "code", "message", "details"? } }`.',
    )
    .setVersion('1')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'An ops API key' },
      API_KEY_SCHEME,
    )
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** The OpenAPI document at /docs-json and its browsable form at /docs, built from the code. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'Replywatch ops API',
  });
}
