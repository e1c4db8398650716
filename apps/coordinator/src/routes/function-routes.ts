import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { WINDOW_FUNCTION_NAMES } from '@tributary/plan';
import { AGGREGATE_NAMES, scalarFunctionNames } from '@tributary/sql';
import { OpenObject, errorResponses } from '../http/api-schemas.ts';

const FUNCTION_KINDS = ['scalar', 'aggregate', 'window'] as const;

const FunctionList = OpenObject({
  functions: Type.Array(OpenObject({ name: Type.String(), kind: Type.Enum([...FUNCTION_KINDS]) }), {
    description:
      'By name; a name that is both an aggregate and a window function is listed once, as an aggregate',
  }),
});

/** The SQL functions the service knows: what the console's editor offers as completions. */
export function registerFunctionRoutes(app: FastifyInstance): void {
  const functions = new Map<string, (typeof FUNCTION_KINDS)[number]>();
  for (const name of scalarFunctionNames()) functions.set(name, 'scalar');
  for (const name of WINDOW_FUNCTION_NAMES) functions.set(name, 'window');
  for (const name of AGGREGATE_NAMES) functions.set(name, 'aggregate');
  const body = {
    functions: [...functions].sort(([a], [b]) => a.localeCompare(b)).map(([name, kind]) => ({ name, kind })),
  };
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/api/v1/functions',
    {
      schema: {
        tags: ['sql'],
        summary: 'The SQL functions: scalar, aggregate and window, by name',
        response: { 200: FunctionList, ...errorResponses() },
      },
    },
    async () => body,
  );
}
