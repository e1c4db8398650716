import type { ErrorBody } from '@tributary/common';
import type { Principal } from './principal.ts';

/** What a redaction needs to know: where sources live, and which folders sources may use. */
export interface RedactionContext {
  /** Each source's name and the absolute path it reads. */
  readonly sources: () => readonly { readonly name: string; readonly path: string }[];
  readonly sourceRoots: readonly string[];
}

const URL_PATTERN = /\bhttps?:\/\/[^\s"'`<>)]+/g;
/**
 * An absolute path: a slash after a start, a space, a quote or a bracket, up to the next such;
 * not the service's own routes (/api/…, /apiv2/…), which messages name on purpose.
 */
const ABSOLUTE_PATH = /(^|[\s"'`(=[])(\/(?!api\/|apiv2\/|internal\/)[^\s"'`()<>,;[\]]*)/g;
const PID_PATTERN = /\bpid \d+/g;

function lastPart(path: string): string {
  const parts = path.split('/').filter(Boolean);
  return parts.length === 0 ? '/' : parts[parts.length - 1];
}

/**
 * Text as someone who is not an admin may see it: a path inside a source shown relative to
 * the source (`tpch/lineitem.parquet`), any other absolute path by its last part, executor
 * URLs and process ids left out.
 */
export function redactText(text: string, context: RedactionContext): string {
  let out = text.replace(URL_PATTERN, '(an executor)').replace(PID_PATTERN, 'pid (hidden)');
  const sources = [...context.sources()].sort((a, b) => b.path.length - a.path.length);
  for (const source of sources) {
    if (source.path.length < 2 || !out.includes(source.path)) continue;
    out = out.split(source.path).join(source.name);
  }
  return out.replace(ABSOLUTE_PATH, (_all, before: string, path: string) => `${before}${lastPart(path)}`);
}

function redactValue(value: unknown, context: RedactionContext): unknown {
  if (typeof value === 'string') return redactText(value, context);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, context));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, context)]));
  return value;
}

/**
 * An error's body as `principal` may see it. Admins see it whole, and a refused path also
 * names the allowed folders and the setting that changes them; anyone else sees no absolute
 * server path, executor URL or process id (redactText).
 */
export function errorBodyFor(
  body: ErrorBody,
  principal: Principal | null | undefined,
  context: RedactionContext,
): ErrorBody {
  if (principal?.admin) {
    if (body.code !== 'PATH_NOT_ALLOWED') return body;
    const roots = context.sourceRoots;
    return {
      ...body,
      message: `${body.message}; sources may read only inside ${roots.map((r) => `"${r}"`).join(', ')} (configuration key sourceRoots, environment TRIBUTARY_SOURCE_ROOTS)`,
      details: { ...body.details, allowedRoots: [...roots], setting: 'TRIBUTARY_SOURCE_ROOTS' },
    };
  }
  return {
    ...body,
    message: redactText(body.message, context),
    ...(body.details === undefined
      ? {}
      : { details: redactValue(body.details, context) as Record<string, unknown> }),
  };
}
