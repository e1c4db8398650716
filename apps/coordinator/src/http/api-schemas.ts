import { Type, type TSchema } from 'typebox';

// How a route declares its schemas (every route does; server.test.ts checks the document):
//
//   const api = app.withTypeProvider<TypeBoxTypeProvider>();
//   api.post('/api/v1/things', {
//     schema: {
//       tags: ['things'], summary: 'Create a thing',
//       body: Type.Object({ name: withErrorCode(Type.String(), 'INVALID_THING_NAME') }, { additionalProperties: false }),
//       response: { 201: OpenObject({ name: Type.String() }), ...errorResponses(400, 409) },
//     },
//   }, async (request, reply) => reply.status(201).send(await things.create(request.body)));
//
// Bodies are checked by TypeBox as sent; a failure answers 400 with `field`. Response objects
// are OpenObject so that a field added later is never stripped by the serializer.

/** The name the error body is shared under (`$ref` in routes, a component in the OpenAPI document). */
export const ERROR_BODY_ID = 'ErrorBody';

/**
 * Every failed request's body, `TributaryError.toBody()`: a stable `code` clients match on.
 * Open to more fields (additionalProperties), so that serializing by it never strips one.
 */
export const ErrorBodySchema = Type.Object(
  {
    code: Type.String({ description: 'Stable error code, e.g. TABLE_NOT_FOUND; see docs/errors.md' }),
    message: Type.String({ description: 'What went wrong, for a person' }),
    phase: Type.Enum(
      [
        'parse',
        'bind',
        'plan',
        'execution',
        'catalog',
        'source',
        'request',
        'config',
        'resource',
        'internal',
      ],
      { description: 'Where in the life of the request the error arose' },
    ),
    line: Type.Optional(Type.Integer({ description: 'Line of the SQL text at fault (1-based)' })),
    column: Type.Optional(Type.Integer({ description: 'Column of the SQL text at fault (1-based)' })),
    suggestions: Type.Optional(Type.Array(Type.String(), { description: 'Did you mean …' })),
    details: Type.Optional(Type.Object({}, { additionalProperties: true })),
    field: Type.Optional(
      Type.String({ description: 'The request field at fault, a JSON pointer such as /type' }),
    ),
  },
  { $id: ERROR_BODY_ID, title: ERROR_BODY_ID, additionalProperties: true },
);

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: the code names the cause, `field` the offending field',
  401: 'Authentication required',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'Request or SQL text too large',
  415: 'Unsupported content type',
  429: 'Too many requests',
  499: 'The client went away',
  500: 'Internal error',
  503: 'Not ready or overloaded',
  504: 'Deadline passed',
};

/** A reference to the shared error body. */
export function errorBodyRef(description?: string): TSchema {
  return Type.Unsafe({ $ref: `${ERROR_BODY_ID}#`, ...(description ? { description } : {}) });
}

/**
 * Response schemas for the error statuses a route answers with, all the shared error body:
 * `response: { 200: …, ...errorResponses(400, 404) }`. 4xx and 5xx catch the rest.
 */
export function errorResponses(...statuses: number[]): Record<string, TSchema> {
  const out: Record<string, TSchema> = {};
  for (const status of statuses) out[status] = errorBodyRef(ERROR_DESCRIPTIONS[status] ?? 'Error');
  out['4xx'] = errorBodyRef('Other request errors');
  out['5xx'] = errorBodyRef('Server-side failures');
  return out;
}

/**
 * Marks a request field whose failures a service reports with its own code (clients match on
 * it): a schema error there answers `code` (and `message`, when given) instead of INVALID_FIELD.
 * Applies to the field and everything under it.
 */
export function withErrorCode<T extends TSchema>(schema: T, code: string, message?: string): T {
  return Object.assign(schema, {
    'x-error-code': code,
    ...(message === undefined ? {} : { 'x-error-message': message }),
  });
}

/** A JSON object open to fields not listed (so serializing by it strips nothing). */
export function OpenObject<P extends Parameters<typeof Type.Object>[0]>(
  properties: P,
  options: { description?: string; title?: string } = {},
) {
  return Type.Object(properties, { ...options, additionalProperties: true });
}
