import { expect } from 'vitest';
import type { ErrorResponseBody, HttpAnswer } from './tributary-client.ts';

const PHASES = [
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
];

/**
 * Asserts an error answer follows the contract: the status, a JSON body
 * `{ code, message, phase, line?, column?, suggestions? }`, and no stack trace anywhere.
 */
export function expectErrorBody(
  answer: HttpAnswer<unknown>,
  status: number,
  code?: string,
): ErrorResponseBody {
  const context = `${answer.status} ${answer.text.slice(0, 1_000)}`;
  expect(answer.status, context).toBe(status);
  expect(answer.text, 'no stack trace in an error body').not.toContain('    at ');
  expect(answer.contentType, context).toContain('json');
  const body = answer.body as ErrorResponseBody;
  expect(body, context).toBeTypeOf('object');
  expect(typeof body.code, context).toBe('string');
  expect(typeof body.message, context).toBe('string');
  expect(body.message.length, context).toBeGreaterThan(0);
  expect(PHASES, context).toContain(body.phase);
  if (body.line !== undefined) expect(Number.isInteger(body.line), context).toBe(true);
  if (body.column !== undefined) expect(Number.isInteger(body.column), context).toBe(true);
  if (body.suggestions !== undefined) expect(Array.isArray(body.suggestions), context).toBe(true);
  if (code !== undefined) expect(body.code, context).toBe(code);
  return body;
}
