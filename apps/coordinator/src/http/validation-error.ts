import { RequestError, closestNames } from '@tributary/common';

/** A schema validation failure as fastify reports it (ajv's and TypeBox's error shape). */
export interface SchemaIssue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly schemaPath?: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}

/** A request field failing its schema, when no service code is declared for it. */
export const INVALID_FIELD = 'INVALID_FIELD';
/** A request body that is not a JSON object (kept from before schemas). */
export const INVALID_BODY = 'INVALID_BODY';

type Schema = Record<string, unknown>;

/** The schema of the value at `pointer` (a JSON pointer) and the schemas above it, outermost first. */
function schemasAlong(root: Schema | undefined, pointer: string): Schema[] {
  const chain: Schema[] = [];
  let node = root;
  if (node) chain.push(node);
  for (const raw of pointer.split('/').slice(1)) {
    if (!node) break;
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const properties = node.properties as Record<string, Schema> | undefined;
    const items = node.items as Schema | undefined;
    node = properties?.[segment] ?? (/^\d+$/.test(segment) ? items : undefined);
    if (node) chain.push(node);
  }
  return chain;
}

function quoteAll(values: unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
}

/** The field an issue is about, and what is wrong with it, in words. */
function describeIssue(issue: SchemaIssue, root: Schema | undefined): { field: string; problem: string } {
  const { keyword, params, instancePath } = issue;
  switch (keyword) {
    case 'required': {
      const missing = (params.requiredProperties as string[] | undefined)?.[0] ?? params.missingProperty;
      return { field: `${instancePath}/${String(missing)}`, problem: 'is required' };
    }
    case 'additionalProperties': {
      const extra = (params.additionalProperties as string[] | undefined)?.[0] ?? params.additionalProperty;
      const parent = schemasAlong(root, instancePath).at(-1);
      const known = Object.keys((parent?.properties as Schema | undefined) ?? {});
      const close = closestNames(String(extra), known, 1);
      return {
        field: `${instancePath}/${String(extra)}`,
        problem:
          `is not a known field` +
          (close.length
            ? `; did you mean "${close[0]}"?`
            : known.length
              ? `; the fields are: ${known.join(', ')}`
              : ''),
      };
    }
    case 'enum':
      return {
        field: instancePath,
        problem: `must be one of ${quoteAll((params.allowedValues as unknown[]) ?? [])}`,
      };
    case 'const':
      return { field: instancePath, problem: `must be ${quoteAll([params.allowedValue])}` };
    case 'type': {
      const types = [params.type].flat().map((t) => article(String(t)));
      const listed = types.length > 1 ? `${types.slice(0, -1).join(', ')} or ${types.at(-1)}` : types[0];
      return { field: instancePath, problem: `must be ${listed}` };
    }
    case 'minimum':
      return { field: instancePath, problem: `must be at least ${String(params.limit)}` };
    case 'maximum':
      return { field: instancePath, problem: `must be at most ${String(params.limit)}` };
    case 'minLength':
      return {
        field: instancePath,
        problem:
          params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters`,
      };
    default:
      return { field: instancePath, problem: issue.message ?? `is invalid (${keyword})` };
  }
}

function article(type: string): string {
  if (type === 'null') return 'null';
  const name = type === 'integer' ? 'whole number' : type === 'object' ? 'JSON object' : type;
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
}

const SUMMARY = new Set(['anyOf', 'oneOf', 'boolean']);

/**
 * The issue that says most: a branch's failure rather than an anyOf summary; a value that
 * fails a union's type in every branch gets them all (`must be a string or an array`).
 */
function mostSpecific(issues: readonly SchemaIssue[]): SchemaIssue | undefined {
  const first = issues.find((i) => !SUMMARY.has(i.keyword)) ?? issues[0];
  if (!first || !issues.some((i) => i.keyword === 'anyOf' && i.instancePath === first.instancePath))
    return first;
  const branches = issues.filter((i) => i.instancePath === first.instancePath && !SUMMARY.has(i.keyword));
  const specific = branches.find((i) => i.keyword !== 'type');
  if (specific) return specific;
  const types = [...new Set(branches.map((i) => String(i.params.type)))];
  return { ...first, params: { type: types } };
}

/**
 * The one error of a request that failed its route's schema: the code of the nearest field
 * declaring one (`withErrorCode`, so services' codes stay what clients match on), else
 * INVALID_FIELD (INVALID_BODY when the body is not an object); the message names the part and
 * the field (`body/type must be one of csv, parquet, sqlite`), and `field` carries its pointer.
 */
export function validationError(
  issues: readonly SchemaIssue[],
  part: string,
  partSchema: Schema | undefined,
): RequestError {
  const issue = mostSpecific(issues);
  if (!issue) return new RequestError(INVALID_FIELD, `${part} is invalid`);
  const { field, problem } = describeIssue(issue, partSchema);
  const declared = schemasAlong(partSchema, field)
    .reverse()
    .find((s) => typeof s['x-error-code'] === 'string');
  if (!declared && field === '' && issue.keyword === 'type') {
    const code = part === 'body' ? INVALID_BODY : INVALID_FIELD;
    return new RequestError(code, `request ${part} must be ${article(String(issue.params.type))}`, {
      field: '',
    });
  }
  const code = (declared?.['x-error-code'] as string | undefined) ?? INVALID_FIELD;
  const message = (declared?.['x-error-message'] as string | undefined) ?? `${part}${field} ${problem}`;
  return new RequestError(code, message, { field });
}
