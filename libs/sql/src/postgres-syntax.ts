import type { SqlToken } from './sql-lexer.ts';
import { catalogOid, PG_CATALOG_TABLES } from './pg-catalog-tables.ts';
import { overwrite } from './text-edits.ts';

/** Postgres' internal type names as the types Tributary casts to, no longer than the name they replace. */
const CAST_TYPES: Record<string, string> = {
  regclass: 'integer',
  regproc: 'integer',
  regprocedure: 'integer',
  regnamespace: 'integer',
  regrole: 'integer',
  oid: 'int',
  name: 'text',
  bpchar: 'text',
};

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };

const isWord = (t: SqlToken | undefined, word: string) => t?.kind === 'word' && t.text.toLowerCase() === word;
const isSymbol = (t: SqlToken | undefined, symbol: string) => t?.kind === 'symbol' && t.text === symbol;

/** The index of the type name `name` starting at token `at` (`name` or `pg_catalog.name`). */
function typeNameAt(tokens: readonly SqlToken[], at: number, name: string): number | undefined {
  if (isWord(tokens[at], name)) return at;
  if (isWord(tokens[at], 'pg_catalog') && isSymbol(tokens[at + 1], '.') && isWord(tokens[at + 2], name))
    return at + 2;
  return undefined;
}

const regclassAt = (tokens: readonly SqlToken[], at: number) => typeNameAt(tokens, at, 'regclass');

/**
 * Postgres spellings node-sql-parser cannot read, as clients (psql's \d family, JDBC) send
 * them, rewritten in place without moving any character: `OPERATOR(pg_catalog.~)` becomes
 * the operator; `COLLATE pg_catalog.default` goes (Tributary compares text by bytes);
 * `E'…'` strings have their backslash escapes applied; `::pg_catalog.regclass` and the other
 * internal types cast to the type that holds their values.
 */
export function postgresSyntax(text: string, tokens: readonly SqlToken[]): string {
  let out = text;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (isWord(t, 'operator') && isSymbol(tokens[i + 1], '(')) {
      let j = i + 2;
      if (tokens[j]?.kind === 'word' && isSymbol(tokens[j + 1], '.')) j += 2;
      let k = j;
      while (k < tokens.length && tokens[k].kind === 'symbol' && tokens[k].text !== ')') k++;
      if (k > j && isSymbol(tokens[k], ')')) {
        const operator = tokens
          .slice(j, k)
          .map((s) => s.text)
          .join('');
        out = overwrite(out, t.offset, tokens[k].end, operator);
        i = k;
      }
    } else if (isWord(t, 'collate')) {
      let j = i + 1;
      if (tokens[j + 1] && isSymbol(tokens[j + 1], '.')) j += 2;
      const name = tokens[j];
      if (name && (name.kind === 'word' || name.kind === 'quoted')) {
        out = overwrite(out, t.offset, name.end);
        i = j;
      }
    } else if (
      isWord(t, 'e') &&
      tokens[i + 1]?.kind === 'string' &&
      tokens[i + 1].offset === t.end &&
      text[tokens[i + 1].offset] === "'"
    ) {
      const s = tokens[i + 1];
      const body = text.slice(s.offset + 1, s.end - 1);
      const unescaped = body.replace(/\\(.)/gs, (_m, c: string) => ESCAPES[c] ?? c).replace(/'/g, "''");
      out = overwrite(out, t.offset, s.end, `'${unescaped}'`);
      i++;
    } else if (
      t.kind === 'string' &&
      text[t.offset] === "'" &&
      isSymbol(tokens[i + 1], ':') &&
      isSymbol(tokens[i + 2], ':') &&
      regclassAt(tokens, i + 3) !== undefined
    ) {
      // `'schema.table'::regclass` is the relation's OID, as pg_class lists it; a bare name is
      // looked up along the search path: pg_catalog's tables (clients name their catalog tables
      // so: `'pg_class'::regclass`), else regclass('name'), which the binder resolves among the
      // sources (the same length: `'x'::regclass` is `regclass('x')` rearranged).
      const end = regclassAt(tokens, i + 3)!;
      const name = text
        .slice(t.offset + 1, t.end - 1)
        .replace(/''/g, "'")
        .split('.')
        .map((part) => part.replace(/^"(.*)"$/, '$1'));
      if (name.length === 1 && !PG_CATALOG_TABLES.some((table) => table.name === name[0].toLowerCase())) {
        out = overwrite(out, t.offset, tokens[end].end, `regclass(${text.slice(t.offset, t.end)})`);
        i = end;
        continue;
      }
      const path = name.length === 1 ? `pg_catalog.${name[0]}` : name.join('.');
      const oid = String(catalogOid('class', path));
      if (oid.length <= tokens[end].end - t.offset) {
        out = overwrite(out, t.offset, tokens[end].end, oid);
        i = end;
      }
    } else if (
      t.kind === 'string' &&
      text[t.offset] === "'" &&
      isSymbol(tokens[i + 1], ':') &&
      isSymbol(tokens[i + 2], ':') &&
      typeNameAt(tokens, i + 3, 'regproc') !== undefined
    ) {
      // `'array_in'::regproc` is the function's OID, as pg_type's typinput holds it.
      const end = typeNameAt(tokens, i + 3, 'regproc')!;
      const name = text
        .slice(t.offset + 1, t.end - 1)
        .replace(/^pg_catalog\./i, '')
        .toLowerCase();
      const oid = String(catalogOid('proc', `f:${name}`));
      if (oid.length <= tokens[end].end - t.offset) {
        out = overwrite(out, t.offset, tokens[end].end, oid);
        i = end;
      }
    } else if (isSymbol(t, ':') && isSymbol(tokens[i + 1], ':') && tokens[i + 1].offset === t.end) {
      let j = i + 2;
      const start = tokens[j]?.offset;
      if (isWord(tokens[j], 'pg_catalog') && isSymbol(tokens[j + 1], '.')) j += 2;
      const type = tokens[j];
      const replacement = type?.kind === 'word' ? CAST_TYPES[type.text.toLowerCase()] : undefined;
      if (start !== undefined && type && (replacement !== undefined || j > i + 2)) {
        // Right-aligned: the grammar reads `::  text::x` but not every `::text  ::x`.
        const name = replacement ?? type.text;
        out = overwrite(out, start, type.end, name.padStart(type.end - start, ' '));
      }
      i = j;
    }
  }
  return out;
}
