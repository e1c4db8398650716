import type { StarModifiers } from './star-modifiers.ts';
/**
 * The parts of node-sql-parser's (PostgreSQL dialect) AST the binder reads. The library's
 * own typings are loose unions; one permissive shape keeps the binder readable.
 */
export interface AstNode {
  readonly type?: string;
  readonly value?: unknown;
  readonly operator?: string;
  readonly left?: AstNode;
  readonly right?: AstNode;
  readonly expr?: AstNode;
  readonly args?: AstArgs | readonly AstNode[];
  readonly name?: unknown;
  readonly table?: string | AstNode | null;
  readonly schema?: string | null;
  readonly db?: string | null;
  readonly column?: AstNode | string;
  readonly target?: readonly { dataType: string; length?: number; scale?: number }[];
  readonly unit?: string;
  readonly over?: unknown;
  readonly cond?: AstNode;
  readonly result?: AstNode;
  readonly ast?: AstSelect;
  readonly loc?: AstLocation;
  readonly [key: string]: unknown;
}

export interface AstArgs {
  readonly type?: string;
  readonly value?: readonly AstNode[];
  readonly expr?: AstNode;
  readonly distinct?: string | null;
  readonly field?: string;
  readonly source?: AstNode;
  readonly [key: string]: unknown;
}

export interface AstLocation {
  readonly start: { offset: number; line: number; column: number };
  readonly end: { offset: number; line: number; column: number };
}

export interface AstColumn {
  readonly type?: string;
  readonly expr: AstNode;
  readonly as?: string | null;
  /** `* EXCLUDE (…) REPLACE (…)`, attached by cutStarModifiers. */
  readonly starModifiers?: StarModifiers;
}

export interface AstFrom {
  readonly db?: string | null;
  readonly schema?: string | null;
  readonly table?: string;
  readonly as?: string | null;
  readonly join?: string;
  readonly on?: AstNode | null;
  readonly using?: readonly AstNode[] | null;
  readonly expr?: AstNode;
  readonly [key: string]: unknown;
}

export interface AstOrderBy {
  readonly expr: AstNode;
  readonly type?: string | null;
  readonly nulls?: string | null;
}

export interface AstWith {
  readonly name: { value: string } | string;
  readonly stmt: AstSelect | { ast: AstSelect };
  readonly columns?: unknown;
}

export interface AstSelect {
  readonly type: string;
  readonly with?: readonly AstWith[] | null;
  readonly distinct?: { type: string | null } | string | null;
  readonly columns: readonly AstColumn[] | string;
  readonly from?: readonly AstFrom[] | null;
  readonly where?: AstNode | null;
  readonly groupby?: { columns: readonly AstNode[] | null } | readonly AstNode[] | null;
  readonly having?: AstNode | null;
  readonly orderby?: readonly AstOrderBy[] | null;
  readonly limit?: { seperator?: string; value: readonly AstNode[] } | null;
  readonly window?: unknown;
  readonly _next?: unknown;
  readonly set_op?: string;
  /** Set by parseSetOperations: this node is a set operation, not a SELECT of its own. */
  readonly set_operation?: AstSetOperation;
  readonly [key: string]: unknown;
}

export type SetOperator = 'union' | 'intersect' | 'except';

export interface AstSetOperation {
  readonly op: SetOperator;
  readonly all: boolean;
  /** UNION BY NAME: the sides' columns matched by name, the missing ones NULL. */
  readonly byName?: boolean;
  /** Offset of the operator's keyword in the user's text, for errors. */
  readonly offset: number;
  readonly left: AstSelect;
  readonly right: AstSelect;
}

/** The argument list of a call node, whatever shape node-sql-parser gave it. */
export function argList(node: AstNode): AstNode[] {
  const args = node.args as AstArgs | readonly AstNode[] | undefined;
  if (!args) return [];
  if (Array.isArray(args)) return [...(args as AstNode[])];
  const value = (args as AstArgs).value;
  if (Array.isArray(value)) return [...value];
  return (args as AstArgs).expr ? [(args as AstArgs).expr as AstNode] : [];
}

/**
 * A cast target's type name with the zone words the grammar keeps apart from it
 * (`TIMESTAMP` + `WITH TIME ZONE`); other targets' names as they are.
 */
export function castTypeName(target: CastTarget | undefined): string {
  const sized = sizedName(target);
  if (sized) return sized;
  const name = String(target?.dataType ?? '');
  const suffix = target?.suffix;
  return Array.isArray(suffix) && suffix.includes('ZONE') ? `${name} ${suffix.join(' ')}` : name;
}

type CastTarget = {
  dataType?: unknown;
  suffix?: unknown;
  length?: unknown;
  scale?: unknown;
  parentheses?: unknown;
};

/**
 * The type a size names: node-sql-parser reads INT1, INT2, INT4, INT8, INT128 (HUGEINT, see
 * parse-sql), FLOAT4 and FLOAT8 as INT or FLOAT of that length, without parentheses; FLOAT(p)
 * is a FLOAT up to 24 bits of precision and a DOUBLE beyond, as in DuckDB and the standard.
 */
function sizedName(target: CastTarget | undefined): string | undefined {
  const size = Number(target?.length);
  const name = String(target?.dataType ?? '').toUpperCase();
  if (name === 'FLOAT' && target?.parentheses === true) return size <= 24 ? 'FLOAT' : 'DOUBLE';
  if (target?.parentheses === true) return undefined;
  if (name === 'INT' && [1, 2, 4, 8, 128].includes(size)) return `INT${size}`;
  if (name === 'FLOAT' && [4, 8].includes(size)) return `FLOAT${size}`;
  return undefined;
}

/** A cast target as written: its type's name with its `(length[,scale])`, as DECIMAL(10,2) has. */
export function castTypeText(target: CastTarget | undefined): string {
  const name = castTypeName(target);
  if (sizedName(target) || target?.length === undefined || target.length === null) return name;
  const scale = target.scale !== undefined && target.scale !== null ? `,${String(target.scale)}` : '';
  return `${name}(${String(target.length)}${scale})`;
}

/** A string literal's value. */
export function stringValue(node: AstNode): string {
  // node-sql-parser keeps doubled quotes of string literals as written.
  return String(node.value).replace(/''/g, "'");
}

export function functionName(node: AstNode): string {
  const name = node.name as { name?: readonly { value: string }[] } | string | undefined;
  if (typeof name === 'string') return name;
  const parts = name?.name ?? [];
  return parts.length > 0 ? String(parts[parts.length - 1].value) : '';
}

/** The 1-based position an integer literal stands for in GROUP BY / ORDER BY. */
export function ordinalOf(node: AstNode): number | undefined {
  return node.type === 'number' && Number.isInteger(node.value) ? (node.value as number) : undefined;
}

/** The name of an unqualified column reference, with its quoting. */
export function bareName(node: AstNode): { text: string; quoted: boolean } | undefined {
  if (node.type !== 'column_ref' || node.table || node.schema || node.db || typeof node.column !== 'object')
    return undefined;
  const inner = (node.column as AstNode).expr;
  if (!inner) return undefined;
  return { text: String(inner.value), quoted: inner.type === 'double_quote_string' };
}

/**
 * Calls `visit` on every object node of a parsed statement, children before their parent
 * (so a rewrite of a SELECT sees its subqueries already rewritten); source locations are
 * not walked.
 */
export function visitAstPostOrder(value: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) visitAstPostOrder(item, visit);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const node = value as Record<string, unknown>;
  for (const [k, v] of Object.entries(node)) if (k !== 'loc') visitAstPostOrder(v, visit);
  visit(node);
}
