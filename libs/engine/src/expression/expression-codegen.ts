import { InternalError, powerOfTen, sameType, typeToString, type SqlType } from '@tributary/common';
import {
  exprToString,
  type CallExpr,
  type CaseExpr,
  type CastExpr,
  type Expr,
  type InListExpr,
  type LikeExpr,
  type LiteralValue,
} from '@tributary/plan';
import { isPlainPiece, likePattern } from './like-pattern.ts';
import { LikeAnyMatcher } from './like-any-matcher.ts';
import { Utf8HashSet } from './utf8-hash-set.ts';

/**
 * Turns an expression tree into the JS source of one loop over a batch's typed arrays.
 * Every node becomes a few statements assigning locals (`vN` value, `nN` null flag;
 * VARCHAR values stay UTF-8 byte ranges `bN[sN..eN)` until a function needs a JS string),
 * specialised by SQL type and by which input columns have a validity bitmap.
 */
type ValKind = 'num' | 'bool' | 'bytes' | 'str';

interface Val {
  readonly kind: ValKind;
  /** Value expression (num/bool/str). */
  readonly v: string;
  /** Byte range (bytes). */
  readonly b: string;
  readonly s: string;
  readonly e: string;
  /** Null flag: a variable or `true`; null when never NULL. */
  readonly n: string | null;
  /** A JS string constant expression for VARCHAR literals, to skip decoding. */
  readonly str?: string;
}

export interface GeneratedKernel {
  /** Body of `function (H, C) { return function kernel(cols, sel, count) {...} }`. */
  readonly source: string;
  readonly constants: unknown[];
  /** Input column indices, in the order the kernel expects them in `cols`. */
  readonly columns: readonly number[];
}

function valKind(type: SqlType): ValKind {
  switch (type.kind) {
    case 'BOOLEAN':
      return 'bool';
    case 'VARCHAR':
      return 'bytes';
    default:
      return 'num';
  }
}

function isDecimal(t: SqlType): t is { kind: 'DECIMAL'; precision: number; scale: number } {
  return t.kind === 'DECIMAL';
}

function scaleOf(t: SqlType): number {
  return t.kind === 'DECIMAL' ? t.scale : 0;
}

function num(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '(-Infinity)';
  return x < 0 ? `(${x})` : String(x);
}

/** Up to this many distinct IN-list values are compared one by one; more go through a set. */
const SMALL_LIST = 8;
/** From this many OR-ed LIKEs of one value on, they are matched together (LikeAnyMatcher). */
const LIKE_GROUP = 4;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
/** 2^63 as a double: BIGINT results at or beyond it overflow. */
const INT64_LIMIT = 9223372036854775808;

class Codegen {
  private readonly decls: string[] = [];
  readonly constants: unknown[] = [];
  readonly columns: number[] = [];
  private readonly columnSlots = new Map<number, number>();
  readonly setup: string[] = [];
  readonly reads: string[] = [];
  private readonly columnVals = new Map<number, Val>();
  private readonly columnValSet = new Set<Val>();
  private readonly decodedColumns = new Map<Val, string>();
  private counter = 0;

  constructor(
    private readonly input: readonly SqlType[],
    private readonly nullable: (index: number) => boolean,
  ) {}

  declarations(): string {
    return this.decls.length === 0 ? '' : `let ${this.decls.join(', ')};`;
  }

  private fresh(prefix: string, init: string): string {
    const name = `${prefix}${this.counter++}`;
    this.decls.push(`${name} = ${init}`);
    return name;
  }

  konst(value: unknown): string {
    this.constants.push(value);
    return `C[${this.constants.length - 1}]`;
  }

  /** A fresh result of a kind, with a null flag variable when `nullable`. */
  newVal(kind: ValKind, nullable: boolean): Val {
    const n = nullable ? this.fresh('n', 'false') : null;
    if (kind === 'bytes') {
      return {
        kind,
        v: '',
        b: this.fresh('b', 'H.EMPTY_BYTES'),
        s: this.fresh('s', '0'),
        e: this.fresh('e', '0'),
        n,
      };
    }
    const init = kind === 'num' ? '0' : kind === 'bool' ? 'false' : "''";
    return { kind, v: this.fresh('v', init), b: '', s: '', e: '', n };
  }

  nullVal(type: SqlType): Val {
    const kind = valKind(type);
    if (kind === 'bytes') return { kind, v: '', b: 'H.EMPTY_BYTES', s: '0', e: '0', n: 'true' };
    return { kind, v: kind === 'bool' ? 'false' : '0', b: '', s: '', e: '', n: 'true' };
  }

  static anyNull(vals: readonly Val[]): string | null {
    const flags = vals.map((v) => v.n).filter((n): n is string => n !== null);
    if (flags.includes('true')) return 'true';
    return flags.length === 0 ? null : flags.join(' || ');
  }

  /**
   * NULL in → NULL out: evaluates `body` only when no argument is NULL. `mayNull` when the
   * body itself can produce NULL (it then assigns the result's null flag).
   */
  strict(
    out: string[],
    args: readonly Val[],
    kind: ValKind,
    body: (o: string[], r: Val) => void,
    mayNull = false,
  ): Val {
    const nulls = Codegen.anyNull(args);
    if (nulls === 'true')
      return this.nullVal(
        kind === 'bool' ? { kind: 'BOOLEAN' } : kind === 'num' ? { kind: 'DOUBLE' } : { kind: 'VARCHAR' },
      );
    const r = this.newVal(kind, nulls !== null || mayNull);
    if (nulls === null) {
      if (mayNull) out.push(`${r.n} = false;`);
      body(out, r);
      return r;
    }
    out.push(`if (${nulls}) { ${r.n} = true; } else { ${r.n} = false;`);
    body(out, r);
    out.push('}');
    return r;
  }

  /** Copies a value into a result variable of the same kind (str results accept bytes). */
  assign(out: string[], r: Val, x: Val): void {
    if (r.n !== null) out.push(`${r.n} = ${x.n ?? 'false'};`);
    if (r.kind === 'bytes') out.push(`${r.b} = ${x.b}; ${r.s} = ${x.s}; ${r.e} = ${x.e};`);
    else if (r.kind === 'str') out.push(`${r.v} = ${this.asStr(out, x)};`);
    else out.push(`${r.v} = ${x.v};`);
  }

  asStr(_out: string[], x: Val): string {
    if (x.kind === 'str') return x.v;
    if (x.str !== undefined) return x.str;
    if (!this.columnValSet.has(x)) return `H.decode(${x.b}, ${x.s}, ${x.e})`;
    // A column is decoded at most once a row, however many terms (400 OR-ed ILIKEs) need it.
    let memo = this.decodedColumns.get(x);
    if (memo === undefined) {
      const done = this.fresh('q', 'false');
      const text = this.fresh('q', "''");
      this.reads.push(`${done} = false;`);
      memo = `(${done} ? ${text} : ((${done} = true), (${text} = H.decode(${x.b}, ${x.s}, ${x.e}))))`;
      this.decodedColumns.set(x, memo);
    }
    return memo;
  }

  /** A byte range for a string value; JS strings are encoded (allocates, off the fast paths). */
  asBytes(out: string[], x: Val): Val {
    if (x.kind === 'bytes') return x;
    const b = this.fresh('b', 'H.EMPTY_BYTES');
    out.push(`${b} = H.encode(${x.v});`);
    return { kind: 'bytes', v: '', b, s: '0', e: `${b}.length`, n: x.n };
  }

  column(index: number): Val {
    const known = this.columnVals.get(index);
    if (known) return known;
    const type = this.input[index];
    if (type === undefined)
      throw new InternalError(`expression refers to column ${index}, input has ${this.input.length}`);
    let slot = this.columnSlots.get(index);
    if (slot === undefined) {
      slot = this.columns.length;
      this.columns.push(index);
      this.columnSlots.set(index, slot);
    }
    const c = `cols[${slot}]`;
    const d = `d${slot}`;
    const m = `m${slot}`;
    if (type.kind === 'NULL') {
      const val = this.nullVal(type);
      this.columnVals.set(index, val);
      return val;
    }
    const nullable = this.nullable(index);
    const val = this.newVal(valKind(type), nullable);
    switch (type.kind) {
      case 'BIGINT':
      case 'TIMESTAMP':
        this.setup.push(
          `const ${d} = new Int32Array(${c}.values.buffer, ${c}.values.byteOffset, ${c}.length * 2);`,
        );
        this.reads.push(`${val.v} = ${d}[2 * r + 1] * 4294967296 + (${d}[2 * r] >>> 0);`);
        break;
      case 'DECIMAL':
        this.setup.push(`const ${d} = ${c}.values;`);
        // Up to 18 digits the low 64 bits hold the value; wider ones read all 128 (exact below
        // 2^53, the nearest double beyond) rather than a truncated low half.
        this.reads.push(
          type.precision <= 18
            ? `${val.v} = (${d}[4 * r + 1] | 0) * 4294967296 + ${d}[4 * r];`
            : `${val.v} = (${d}[4 * r + 3] | 0) * 79228162514264337593543950336 + ${d}[4 * r + 2] * 18446744073709551616 + ${d}[4 * r + 1] * 4294967296 + ${d}[4 * r];`,
        );
        break;
      case 'BOOLEAN':
        this.setup.push(`const ${d} = ${c}.values;`);
        this.reads.push(`${val.v} = ((${d}[r >> 3] >> (r & 7)) & 1) === 1;`);
        break;
      case 'VARCHAR':
        this.setup.push(`const ${d} = ${c}.values, o${slot} = ${c}.offsets;`);
        this.reads.push(`${val.b} = ${d}; ${val.s} = o${slot}[r]; ${val.e} = o${slot}[r + 1];`);
        break;
      default:
        this.setup.push(`const ${d} = ${c}.values;`);
        this.reads.push(`${val.v} = ${d}[r];`);
    }
    if (nullable) {
      this.setup.push(`const ${m} = ${c}.validity;`);
      this.reads.push(`${val.n} = ((${m}[r >> 3] >> (r & 7)) & 1) === 0;`);
    }
    this.columnVals.set(index, val);
    this.columnValSet.add(val);
    return val;
  }

  literal(value: unknown, type: SqlType): Val {
    if (value === null || type.kind === 'NULL') return this.nullVal(type);
    switch (type.kind) {
      case 'BOOLEAN':
        return { kind: 'bool', v: value ? 'true' : 'false', b: '', s: '', e: '', n: null };
      case 'VARCHAR': {
        const text = String(value);
        const bytes = new TextEncoder().encode(text);
        return {
          kind: 'bytes',
          v: '',
          b: this.konst(bytes),
          s: '0',
          e: String(bytes.length),
          n: null,
          str: this.konst(text),
        };
      }
      default:
        return { kind: 'num', v: num(Number(value)), b: '', s: '', e: '', n: null };
    }
  }

  emit(expr: Expr, out: string[]): Val {
    switch (expr.kind) {
      case 'column':
        return this.column(expr.index);
      case 'literal':
        return this.literal(expr.value, expr.type);
      case 'call':
        return this.call(expr, out);
      case 'cast':
        return this.cast(expr, out);
      case 'case':
        return this.caseWhen(expr, out);
      case 'in-list':
        return this.inList(expr, out);
      case 'like':
        return this.like(expr, out);
      case 'is-null': {
        const x = this.emit(expr.expr, out);
        if (x.n === null) return this.literal(expr.negated, expr.type);
        if (x.n === 'true') return this.literal(!expr.negated, expr.type);
        return { kind: 'bool', v: expr.negated ? `!${x.n}` : x.n, b: '', s: '', e: '', n: null };
      }
      default: {
        const never: never = expr;
        throw new InternalError(`unknown expression ${JSON.stringify(never)}`);
      }
    }
  }

  /** A numeric value as a JS double (DECIMAL unscaled → real). */
  toDouble(x: Val, type: SqlType): string {
    if (type.kind === 'BOOLEAN') return `(${x.v} ? 1 : 0)`;
    return isDecimal(type) && type.scale > 0 ? `(${x.v} / ${powerOfTen(type.scale)})` : x.v;
  }

  /** A numeric value as an unscaled integer at `scale` (exact for integers/decimals, rounded for doubles). */
  toScale(x: Val, type: SqlType, scale: number): string {
    if (type.kind === 'DOUBLE') return `H.roundHalfAway(${x.v} * ${powerOfTen(scale)})`;
    const from = scaleOf(type);
    if (from === scale) return x.v;
    if (from < scale) return `(${x.v} * ${powerOfTen(scale - from)})`;
    return `H.rescale(${x.v}, ${from}, ${scale})`;
  }

  /** A numeric value in the representation of numeric type `to`. */
  coerce(x: Val, from: SqlType, to: SqlType): string {
    return to.kind === 'DOUBLE' ? this.toDouble(x, from) : this.toScale(x, from, scaleOf(to));
  }

  /** Statement that raises NUMERIC_OVERFLOW when an integer result leaves its type's range. */
  checkInteger(type: SqlType, v: string, what: string): string {
    if (type.kind === 'INTEGER')
      return `if (${v} > ${INT32_MAX} || ${v} < ${INT32_MIN}) H.overflow(${JSON.stringify(what)});`;
    if (type.kind === 'BIGINT')
      return `if (${v} >= ${INT64_LIMIT} || ${v} < -${INT64_LIMIT}) H.overflow(${JSON.stringify(what)});`;
    return '';
  }

  private call(expr: CallExpr, out: string[]): Val {
    const fn = expr.fn;
    const t = expr.type;
    switch (fn) {
      case 'and':
      case 'or':
        return this.logic(expr, out);
      case 'coalesce':
        return this.coalesce(expr, out);
      case 'nullif':
        return this.nullif(expr, out);
      default:
        break;
    }
    const args = expr.args.map((a) => this.emit(a, out));
    const at = expr.args.map((a) => a.type);
    const kind = valKind(t);
    switch (fn) {
      case 'add':
      case 'subtract':
      case 'multiply':
      case 'modulo':
        return this.arithmetic(fn, args, at, t, out);
      case 'divide':
        return this.divide(args, at, t, out);
      case 'negate':
        return this.strict(out, args, kind, (o, r) => {
          o.push(`${r.v} = -${this.coerce(args[0], at[0], t)};`);
          o.push(this.checkInteger(t, r.v, 'negation'));
        });
      case 'eq':
      case 'neq':
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte':
        return this.compare(fn, args[0], args[1], at[0], at[1], out);
      case 'not':
        return this.strict(out, args, 'bool', (o, r) => o.push(`${r.v} = !${args[0].v};`));
      case 'concat':
        return this.strict(out, args, 'str', (o, r) =>
          o.push(`${r.v} = ${args.map((a) => this.asStr(o, a)).join(' + ')};`),
        );
      case 'lower':
      case 'upper':
        return this.strict(out, args, 'str', (o, r) =>
          o.push(`${r.v} = ${this.asStr(o, args[0])}.${fn === 'lower' ? 'toLowerCase' : 'toUpperCase'}();`),
        );
      case 'length':
        return this.strict(out, args, 'num', (o, r) => {
          const a = args[0];
          o.push(
            a.kind === 'bytes'
              ? `${r.v} = H.utf8Length(${a.b}, ${a.s}, ${a.e});`
              : `${r.v} = H.strLength(${a.v});`,
          );
        });
      case 'substring':
        return this.substring(args, out);
      case 'trim':
      case 'ltrim':
      case 'rtrim':
        return this.trim(fn, args, out);
      case 'replace':
        return this.strict(out, args, 'str', (o, r) =>
          o.push(
            `${r.v} = H.replaceAll(${this.asStr(o, args[0])}, ${this.asStr(o, args[1])}, ${this.asStr(o, args[2])});`,
          ),
        );
      case 'starts_with':
      case 'contains':
      case 'strpos':
        return this.strict(out, args, fn === 'strpos' ? 'num' : 'bool', (o, r) => {
          const a = this.asBytes(o, args[0]);
          const p = this.asBytes(o, args[1]);
          const range = `${a.b}, ${a.s}, ${a.e}, ${p.b}, ${p.s}, ${p.e}`;
          if (fn === 'starts_with') o.push(`${r.v} = H.startsWithBytes(${range});`);
          else if (fn === 'contains') o.push(`${r.v} = H.indexOfBytes(${range}) >= 0;`);
          else {
            const i = this.fresh('i', '0');
            o.push(`${i} = H.indexOfBytes(${range});`);
            o.push(`${r.v} = ${i} < 0 ? 0 : H.utf8Length(${a.b}, ${a.s}, ${i}) + 1;`);
          }
        });
      case 'abs':
        return this.strict(out, args, kind, (o, r) => {
          o.push(`${r.v} = Math.abs(${this.coerce(args[0], at[0], t)});`);
          o.push(this.checkInteger(t, r.v, 'abs'));
        });
      case 'sign':
        return this.strict(out, args, kind, (o, r) =>
          o.push(`${r.v} = ${args[0].v} > 0 ? 1 : ${args[0].v} < 0 ? -1 : 0;`),
        );
      case 'round':
        return this.round(args, at, t, out);
      case 'floor':
      case 'ceil':
        return this.strict(out, args, kind, (o, r) => {
          const a = args[0];
          if (isDecimal(at[0])) o.push(`${r.v} = H.${fn}Decimal(${a.v}, ${at[0].scale}, ${scaleOf(t)});`);
          else if (t.kind === 'DOUBLE') o.push(`${r.v} = Math.${fn}(${this.toDouble(a, at[0])});`);
          else
            o.push(
              `${r.v} = ${this.toScale({ ...a, v: `Math.${fn}(${this.toDouble(a, at[0])})` }, { kind: 'BIGINT' }, scaleOf(t))};`,
            );
        });
      case 'sqrt':
        return this.strict(out, args, kind, (o, r) => {
          const x = this.toDouble(args[0], at[0]);
          o.push(`if (${x} < 0) H.domainError('cannot take square root of a negative number');`);
          o.push(`${r.v} = Math.sqrt(${x});`);
        });
      case 'ln':
        return this.strict(out, args, kind, (o, r) => {
          const x = this.toDouble(args[0], at[0]);
          o.push(`if (${x} === 0) H.domainError('cannot take logarithm of zero');`);
          o.push(`if (${x} < 0) H.domainError('cannot take logarithm of a negative number');`);
          o.push(`${r.v} = Math.log(${x});`);
        });
      case 'exp':
        return this.strict(out, args, kind, (o, r) =>
          o.push(`${r.v} = Math.exp(${this.toDouble(args[0], at[0])});`),
        );
      case 'power':
        return this.strict(out, args, kind, (o, r) =>
          o.push(`${r.v} = Math.pow(${this.toDouble(args[0], at[0])}, ${this.toDouble(args[1], at[1])});`),
        );
      case 'extract_year':
      case 'extract_month':
      case 'extract_day':
      case 'extract_quarter':
      case 'extract_dow':
      case 'extract_doy':
      case 'extract_hour':
      case 'extract_minute':
      case 'extract_second':
        return this.extract(fn, args[0], at[0], t, out);
      case 'date_add_days':
        return this.strict(out, args, kind, (o, r) => {
          o.push(
            at[0].kind === 'TIMESTAMP'
              ? `${r.v} = ${args[0].v} + ${args[1].v} * 86400000000;`
              : `${r.v} = ${args[0].v} + ${args[1].v};`,
          );
        });
      case 'date_add_months':
        return this.strict(out, args, kind, (o, r) => {
          if (at[0].kind === 'TIMESTAMP') {
            o.push(
              `${r.v} = H.addMonths(H.tsDays(${args[0].v}), ${args[1].v}) * 86400000000 + H.tsTimeOfDay(${args[0].v});`,
            );
          } else {
            o.push(`${r.v} = H.addMonths(${args[0].v}, ${args[1].v});`);
            if (t.kind === 'TIMESTAMP') o.push(`${r.v} = ${r.v} * 86400000000;`);
          }
        });
      case 'date_diff_days':
        // date_diff_days(start, end) = end - start, in day boundaries crossed (DuckDB date_diff('day', start, end)).
        return this.strict(out, args, kind, (o, r) => {
          const day = (i: number): string =>
            at[i].kind === 'TIMESTAMP' ? `H.tsDays(${args[i].v})` : args[i].v;
          o.push(`${r.v} = ${day(1)} - ${day(0)};`);
        });
      case 'date_trunc_year':
      case 'date_trunc_quarter':
      case 'date_trunc_month':
      case 'date_trunc_day':
        return this.strict(out, args, kind, (o, r) => {
          const days = at[0].kind === 'TIMESTAMP' ? `H.tsDays(${args[0].v})` : args[0].v;
          const unit = fn.slice('date_trunc_'.length);
          const truncated =
            unit === 'day' ? days : `H.trunc${unit[0].toUpperCase()}${unit.slice(1)}(${days})`;
          o.push(`${r.v} = ${t.kind === 'TIMESTAMP' ? `${truncated} * 86400000000` : truncated};`);
        });
      default:
        throw new InternalError(`scalar function ${fn} is not implemented`);
    }
  }

  private arithmetic(
    fn: 'add' | 'subtract' | 'multiply' | 'modulo',
    args: Val[],
    at: SqlType[],
    t: SqlType,
    out: string[],
  ): Val {
    const op = fn === 'add' ? '+' : fn === 'subtract' ? '-' : fn === 'multiply' ? '*' : '%';
    const kind = valKind(t);
    return this.strict(
      out,
      args,
      kind,
      (o, r) => {
        let a: string;
        let b: string;
        if (t.kind === 'DOUBLE') {
          a = this.toDouble(args[0], at[0]);
          b = this.toDouble(args[1], at[1]);
        } else if (t.kind === 'DATE' || t.kind === 'TIMESTAMP') {
          // date ± days; timestamps shift by whole days.
          const unit = t.kind === 'TIMESTAMP' ? ' * 86400000000' : '';
          a = at[0].kind === t.kind ? args[0].v : `${args[0].v}${unit}`;
          b = at[1].kind === t.kind ? args[1].v : `${args[1].v}${unit}`;
        } else if (fn === 'multiply') {
          // Unscaled integers multiply to the sum of the scales; rescale only if the binder chose otherwise.
          const product = `${args[0].v} * ${args[1].v}`;
          const natural = scaleOf(at[0]) + scaleOf(at[1]);
          const target = scaleOf(t);
          o.push(
            natural === target
              ? `${r.v} = ${product};`
              : `${r.v} = H.rescale(${product}, ${natural}, ${target});`,
          );
          o.push(this.checkInteger(t, r.v, `${typeToString(t)} multiplication`));
          return;
        } else if (at[0].kind === 'DATE' || at[0].kind === 'TIMESTAMP') {
          // date - date → days.
          a = args[0].v;
          b = args[1].v;
        } else {
          a = this.toScale(args[0], at[0], scaleOf(t));
          b = this.toScale(args[1], at[1], scaleOf(t));
        }
        if (fn === 'modulo') {
          const bv = this.fresh('v', '0');
          o.push(`${bv} = ${b};`);
          o.push(`if (${bv} === 0) { ${r.n} = true; } else { ${r.v} = ${a} % ${bv}; }`);
          return;
        }
        o.push(`${r.v} = ${a} ${op} ${b};`);
        o.push(
          this.checkInteger(
            t,
            r.v,
            `${typeToString(t)} ${fn === 'add' ? 'addition' : fn === 'subtract' ? 'subtraction' : 'multiplication'}`,
          ),
        );
      },
      fn === 'modulo',
    );
  }

  private divide(args: Val[], at: SqlType[], t: SqlType, out: string[]): Val {
    const integerResult = t.kind === 'INTEGER' || t.kind === 'BIGINT';
    return this.strict(
      out,
      args,
      valKind(t),
      (o, r) => {
        const a = this.toDouble(args[0], at[0]);
        const b = this.toDouble(args[1], at[1]);
        if (t.kind === 'DOUBLE') o.push(`${r.v} = ${a} / ${b};`);
        else if (integerResult) {
          // Integer division (DuckDB //): x // 0 is NULL.
          o.push(`if (${b} === 0) { ${r.n} = true; } else { ${r.v} = Math.trunc(${a} / ${b}); }`);
          o.push(this.checkInteger(t, r.v, `${typeToString(t)} division`));
        } else if (isDecimal(t)) {
          o.push(
            `if (${b} === 0) { ${r.n} = true; } else { ${r.v} = H.roundHalfAway(${a} / ${b} * ${powerOfTen(t.scale)}); }`,
          );
        } else throw new InternalError(`divide to ${typeToString(t)} is not implemented`);
      },
      t.kind !== 'DOUBLE',
    );
  }

  private compare(
    fn: 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte',
    x: Val,
    y: Val,
    tx: SqlType,
    ty: SqlType,
    out: string[],
  ): Val {
    const op = { eq: '===', neq: '!==', lt: '<', lte: '<=', gt: '>', gte: '>=' }[fn];
    return this.strict(out, [x, y], 'bool', (o, r) => {
      if (x.kind === 'bytes' && y.kind === 'bytes') {
        const range = `${x.b}, ${x.s}, ${x.e}, ${y.b}, ${y.s}, ${y.e}`;
        if (fn === 'eq') o.push(`${r.v} = H.eqBytes(${range});`);
        else if (fn === 'neq') o.push(`${r.v} = !H.eqBytes(${range});`);
        else o.push(`${r.v} = H.cmpBytes(${range}) ${op} 0;`);
      } else if (x.kind === 'bytes' || x.kind === 'str') {
        const a = this.asStr(o, x);
        const b = this.asStr(o, y);
        if (fn === 'eq' || fn === 'neq') o.push(`${r.v} = ${a} ${op} ${b};`);
        else o.push(`${r.v} = H.cmpStr(${a}, ${b}) ${op} 0;`);
      } else if (x.kind === 'bool') {
        o.push(`${r.v} = (${x.v} ? 1 : 0) ${op} (${y.v} ? 1 : 0);`);
      } else if (tx.kind === 'DOUBLE' || ty.kind === 'DOUBLE') {
        o.push(`${r.v} = ${this.toDouble(x, tx)} ${op} ${this.toDouble(y, ty)};`);
      } else if (tx.kind === 'DATE' && ty.kind === 'TIMESTAMP') {
        o.push(`${r.v} = ${x.v} * 86400000000 ${op} ${y.v};`);
      } else if (tx.kind === 'TIMESTAMP' && ty.kind === 'DATE') {
        o.push(`${r.v} = ${x.v} ${op} ${y.v} * 86400000000;`);
      } else {
        const scale = Math.max(scaleOf(tx), scaleOf(ty));
        o.push(`${r.v} = ${this.toScale(x, tx, scale)} ${op} ${this.toScale(y, ty, scale)};`);
      }
    });
  }

  /**
   * AND/OR over any number of operands with three-valued logic, evaluating each operand only
   * while the result is undecided. The code is flat (one `if` per operand, not nested), so a
   * disjunction of thousands of terms neither nests blocks thousands deep nor needs recursion.
   */
  private logic(expr: CallExpr, out: string[]): Val {
    const isAnd = expr.fn === 'and';
    const decided = this.fresh('v', 'false');
    const sawNull = this.fresh('v', 'false');
    out.push(`${decided} = false; ${sawNull} = false;`);
    let anyNull = false;
    const operands = isAnd
      ? expr.args.map((a) => (code: string[]) => this.emit(a, code))
      : this.disjuncts(expr.args);
    operands.forEach((operand, i) => {
      const code: string[] = [];
      const x = operand(code);
      // An operand decides alone when it is FALSE (AND) or TRUE (OR).
      const decides = x.n === 'true' ? 'false' : `${x.n ? `!${x.n} && ` : ''}${isAnd ? '!' : ''}${x.v}`;
      if (i > 0) out.push(`if (!${decided}) {`);
      out.push(...code);
      if (x.n === 'true') out.push(`${sawNull} = true;`);
      else {
        out.push(`if (${decides}) ${decided} = true;`);
        if (x.n !== null) out.push(`else if (${x.n}) ${sawNull} = true;`);
      }
      if (i > 0) out.push('}');
      anyNull ||= x.n !== null;
    });
    const r = this.newVal('bool', anyNull);
    if (r.n !== null) out.push(`${r.n} = !${decided} && ${sawNull};`);
    out.push(`${r.v} = ${decided} ? ${isAnd ? 'false' : 'true'} : ${isAnd ? 'true' : 'false'};`);
    return r;
  }

  /**
   * The operands of an OR, where at least LIKE_GROUP case-sensitive LIKEs of one value with
   * literal patterns become one multi-pattern test (in the place of the first of them).
   */
  private disjuncts(args: readonly Expr[]): ((code: string[]) => Val)[] {
    const groups = new Map<string, { value: Expr; patterns: string[]; first: number }>();
    const keyOf = (e: Expr): string | undefined =>
      e.kind === 'like' &&
      !e.negated &&
      !e.caseInsensitive &&
      e.pattern.kind === 'literal' &&
      typeof e.pattern.value === 'string'
        ? exprToString(e.expr)
        : undefined;
    args.forEach((arg, i) => {
      const key = keyOf(arg);
      if (key === undefined || arg.kind !== 'like') return;
      const group = groups.get(key) ?? { value: arg.expr, patterns: [], first: i };
      group.patterns.push(String((arg.pattern as { value: string }).value));
      groups.set(key, group);
    });
    const matchers = new Map<string, LikeAnyMatcher>();
    for (const [key, group] of groups) {
      const matcher = group.patterns.length >= LIKE_GROUP ? LikeAnyMatcher.create(group.patterns) : undefined;
      if (matcher) matchers.set(key, matcher);
    }
    const operands: ((code: string[]) => Val)[] = [];
    args.forEach((arg, i) => {
      const key = keyOf(arg);
      const matcher = key === undefined ? undefined : matchers.get(key);
      if (!matcher) {
        operands.push((code) => this.emit(arg, code));
        return;
      }
      const group = groups.get(key as string)!;
      if (group.first !== i) return;
      operands.push((code) => {
        const x = this.emit(group.value, code);
        return this.strict(code, [x], 'bool', (o, r) => {
          const a = this.asBytes(o, x);
          o.push(`${r.v} = ${this.konst(matcher)}.test(${a.b}, ${a.s}, ${a.e});`);
        });
      });
    });
    return operands;
  }

  private resultKind(type: SqlType, vals: readonly Val[]): ValKind {
    const kind = valKind(type);
    if (kind === 'bytes' && vals.some((v) => v.kind === 'str')) return 'str';
    return kind;
  }

  private coalesce(expr: CallExpr, out: string[]): Val {
    // Each argument is evaluated only when all before it were NULL.
    const r0 = this.newVal(valKind(expr.type), true);
    const branches: string[][] = [];
    const vals: Val[] = [];
    for (const arg of expr.args) {
      const o: string[] = [];
      vals.push(this.emit(arg, o));
      branches.push(o);
    }
    const kind = this.resultKind(expr.type, vals);
    const r = kind === r0.kind ? r0 : this.newVal(kind, true);
    let closing = 0;
    for (let i = 0; i < vals.length; i++) {
      out.push(...branches[i]);
      const x = vals[i];
      if (i === vals.length - 1 || x.n === null) {
        this.assign(out, r, x);
        break;
      }
      if (x.n === 'true') continue;
      out.push(`if (!${x.n}) {`);
      this.assign(out, r, x);
      out.push('} else {');
      closing++;
    }
    out.push('}'.repeat(closing));
    return r;
  }

  private nullif(expr: CallExpr, out: string[]): Val {
    const a = this.emit(expr.args[0], out);
    const b = this.emit(expr.args[1], out);
    const eq = this.compare('eq', a, b, expr.args[0].type, expr.args[1].type, out);
    const r = this.newVal(this.resultKind(expr.type, [a]), true);
    this.assign(out, r, a);
    const isEqual = eq.n === 'true' ? 'false' : eq.n ? `!${eq.n} && ${eq.v}` : eq.v;
    out.push(`if (${isEqual}) ${r.n} = true;`);
    return r;
  }

  private caseWhen(expr: CaseExpr, out: string[]): Val {
    // Branches are evaluated lazily; build them first to learn the result kind.
    const whens = expr.whens.map((w) => {
      const condCode: string[] = [];
      const cond = this.emit(w.when, condCode);
      const thenCode: string[] = [];
      const then = this.emit(w.then, thenCode);
      return { condCode, cond, thenCode, then };
    });
    const elseCode: string[] = [];
    const otherwise = expr.otherwise ? this.emit(expr.otherwise, elseCode) : this.nullVal(expr.type);
    const kind = this.resultKind(expr.type, [...whens.map((w) => w.then), otherwise]);
    const r = this.newVal(kind, true);
    for (const w of whens) {
      out.push(...w.condCode);
      const holds = w.cond.n === 'true' ? 'false' : w.cond.n ? `!${w.cond.n} && ${w.cond.v}` : w.cond.v;
      out.push(`if (${holds}) {`, ...w.thenCode);
      this.assignCase(out, r, w.then);
      out.push('} else {');
    }
    out.push(...elseCode);
    this.assignCase(out, r, otherwise);
    out.push('}'.repeat(whens.length));
    return r;
  }

  private assignCase(out: string[], r: Val, x: Val): void {
    if (x.n === 'true') {
      out.push(`${r.n} = true;`);
      return;
    }
    this.assign(out, r, x);
  }

  /**
   * x [NOT] IN (…). Literal items of x's type are tested at once: a few by comparisons, more
   * through a set built once per kernel (numbers in a Set, strings in a UTF-8 byte hash set
   * probed with the row's bytes), so a 100,000-item list costs one lookup per row. Other items
   * are compared one by one, each only while nothing has matched. As SQL has it, the result
   * is NULL when x is NULL, or when nothing matched and some item is NULL.
   */
  private inList(expr: InListExpr, out: string[]): Val {
    const x = this.emit(expr.expr, out);
    if (x.n === 'true') return this.nullVal(expr.type);
    const t = expr.expr.type;
    const keys: LiteralValue[] = [];
    const others: Expr[] = [];
    let nullItem = false;
    for (const item of expr.list) {
      if (item.kind === 'literal' && (item.value === null || item.type.kind === 'NULL')) nullItem = true;
      else if (item.kind === 'literal' && sameType(item.type, t)) keys.push(item.value);
      else others.push(item);
    }
    const match = this.fresh('v', 'false');
    const sawNull = this.fresh('v', 'false');
    out.push(`${match} = false; ${sawNull} = ${nullItem};`);
    if (x.n !== null) out.push(`if (!${x.n}) {`);
    if (keys.length > 0) out.push(`${match} = ${this.membership(x, keys)};`);
    for (const item of others) {
      const code: string[] = [];
      const y = this.emit(item, code);
      const eq = this.compare('eq', x, y, t, item.type, code);
      out.push(`if (!${match}) {`, ...code);
      if (eq.n === 'true') out.push(`${sawNull} = true;`);
      else if (eq.n !== null) out.push(`if (${eq.n}) ${sawNull} = true; else if (${eq.v}) ${match} = true;`);
      else out.push(`if (${eq.v}) ${match} = true;`);
      out.push('}');
    }
    if (x.n !== null) out.push('}');
    const r = this.newVal('bool', true);
    out.push(
      `if (${x.n ?? 'false'}) { ${r.n} = true; } else if (${match}) { ${r.n} = false; ${r.v} = ${!expr.negated}; } else if (${sawNull}) { ${r.n} = true; } else { ${r.n} = false; ${r.v} = ${expr.negated}; }`,
    );
    return r;
  }

  /** An expression testing whether non-NULL `x` equals one of `keys` (literal values of its type). */
  private membership(x: Val, keys: readonly LiteralValue[]): string {
    if (x.kind === 'bool') {
      const has = (b: boolean): string => String(keys.includes(b));
      return `(${x.v} ? ${has(true)} : ${has(false)})`;
    }
    if (x.kind === 'num') {
      // NaN is left out: `=` never finds it equal, so neither does IN.
      const values = new Set(keys.map(Number));
      values.delete(NaN);
      if (values.size === 0) return 'false';
      if (values.size <= SMALL_LIST)
        return `(${[...values].map((k) => `${x.v} === ${num(k)}`).join(' || ')})`;
      return `${this.konst(values)}.has(${x.v})`;
    }
    const texts = [...new Set(keys.map(String))];
    if (x.kind === 'str') {
      if (texts.length <= SMALL_LIST)
        return `(${texts.map((k) => `${x.v} === ${this.konst(k)}`).join(' || ')})`;
      return `${this.konst(new Set(texts))}.has(${x.v})`;
    }
    if (texts.length <= SMALL_LIST) {
      const tests = texts.map((k) => {
        const bytes = new TextEncoder().encode(k);
        return `H.eqBytes(${x.b}, ${x.s}, ${x.e}, ${this.konst(bytes)}, 0, ${bytes.length})`;
      });
      return `(${tests.join(' || ')})`;
    }
    return `${this.konst(new Utf8HashSet(texts))}.has(${x.b}, ${x.s}, ${x.e})`;
  }

  private like(expr: LikeExpr, out: string[]): Val {
    const x = this.emit(expr.expr, out);
    const neg = expr.negated ? '!' : '';
    if (expr.pattern.kind === 'literal') {
      if (expr.pattern.value === null) return this.nullVal(expr.type);
      const pattern = likePattern(String(expr.pattern.value), expr.caseInsensitive);
      return this.strict(out, [x], 'bool', (o, r) => {
        if (pattern.kind === 'segments') {
          const a = this.asBytes(o, x);
          const pieces = this.konst(pattern.pieces);
          const p = pattern.pieces;
          if (!p.every(isPlainPiece)) {
            o.push(`${r.v} = ${neg}H.matchSegments(${pieces}, ${a.b}, ${a.s}, ${a.e});`);
          } else if (p.length === 2 && p[1].length === 0) {
            o.push(
              `${r.v} = ${neg}H.startsWithBytes(${a.b}, ${a.s}, ${a.e}, ${pieces}[0], 0, ${p[0].length});`,
            );
          } else if (p.length === 2 && p[0].length === 0) {
            o.push(
              `${r.v} = ${neg}H.endsWithBytes(${a.b}, ${a.s}, ${a.e}, ${pieces}[1], 0, ${p[1].length});`,
            );
          } else if (p.length === 3 && p[0].length === 0 && p[2].length === 0) {
            o.push(
              `${r.v} = ${neg}(H.indexOfBytes(${a.b}, ${a.s}, ${a.e}, ${pieces}[1], 0, ${p[1].length}) >= 0);`,
            );
          } else {
            o.push(`${r.v} = ${neg}H.matchSegments(${pieces}, ${a.b}, ${a.s}, ${a.e});`);
          }
        } else {
          o.push(`${r.v} = ${neg}${this.konst(pattern.regex)}.test(${this.asStr(o, x)});`);
        }
      });
    }
    const p = this.emit(expr.pattern, out);
    return this.strict(out, [x, p], 'bool', (o, r) => {
      o.push(
        `${r.v} = ${neg}H.likeDynamic(${this.asStr(o, x)}, ${this.asStr(o, p)}, ${expr.caseInsensitive});`,
      );
    });
  }

  private substring(args: Val[], out: string[]): Val {
    return this.strict(out, args, 'bytes', (o, r) => {
      const a = this.asBytes(o, args[0]);
      const total = this.fresh('v', '0');
      const range = this.fresh('v', '0');
      const from = this.fresh('v', '0');
      o.push(`${total} = H.utf8Length(${a.b}, ${a.s}, ${a.e});`);
      o.push(
        `${range} = H.substringRange(${total}, ${args[1].v}, ${args.length > 2 ? args[2].v : '2147483647'});`,
      );
      o.push(`${from} = Math.floor(${range} / 67108864);`);
      o.push(`${r.b} = ${a.b}; ${r.s} = H.skipCodePoints(${a.b}, ${a.s}, ${a.e}, ${from});`);
      o.push(`${r.e} = H.skipCodePoints(${a.b}, ${r.s}, ${a.e}, ${range} - ${from} * 67108864);`);
    });
  }

  private trim(fn: 'trim' | 'ltrim' | 'rtrim', args: Val[], out: string[]): Val {
    if (args.length > 1) {
      // trim(s, characters): rare, done on JS strings.
      return this.strict(out, args, 'str', (o, r) =>
        o.push(`${r.v} = H.trimChars(${this.asStr(o, args[0])}, ${this.asStr(o, args[1])}, '${fn}');`),
      );
    }
    return this.strict(out, args, 'bytes', (o, r) => {
      const a = this.asBytes(o, args[0]);
      o.push(`${r.b} = ${a.b}; ${r.s} = ${a.s}; ${r.e} = ${a.e};`);
      if (fn !== 'rtrim') o.push(`while (${r.s} < ${r.e} && ${r.b}[${r.s}] === 32) ${r.s}++;`);
      if (fn !== 'ltrim') o.push(`while (${r.e} > ${r.s} && ${r.b}[${r.e} - 1] === 32) ${r.e}--;`);
    });
  }

  private round(args: Val[], at: SqlType[], t: SqlType, out: string[]): Val {
    return this.strict(out, args, valKind(t), (o, r) => {
      const digits = args.length > 1 ? args[1].v : '0';
      if (isDecimal(at[0]))
        o.push(`${r.v} = H.roundDecimal(${args[0].v}, ${at[0].scale}, ${digits}, ${scaleOf(t)});`);
      else if (at[0].kind === 'DOUBLE') {
        const rounded = `H.roundDouble(${args[0].v}, ${digits})`;
        o.push(
          t.kind === 'DOUBLE'
            ? `${r.v} = ${rounded};`
            : `${r.v} = ${this.toScale({ ...args[0], v: rounded }, at[0], scaleOf(t))};`,
        );
      } else
        o.push(
          `${r.v} = ${this.toScale({ ...args[0], v: `H.roundInteger(${args[0].v}, ${digits})` }, { kind: 'BIGINT' }, scaleOf(t))};`,
        );
    });
  }

  private extract(fn: string, x: Val, type: SqlType, t: SqlType, out: string[]): Val {
    return this.strict(out, [x], valKind(t), (o, r) => {
      const ts = type.kind === 'TIMESTAMP';
      const days = ts ? `H.tsDays(${x.v})` : x.v;
      const tod = ts ? `H.tsTimeOfDay(${x.v})` : '0';
      let value: string;
      switch (fn) {
        case 'extract_year':
          value = `H.year(${days})`;
          break;
        case 'extract_month':
          value = `H.month(${days})`;
          break;
        case 'extract_day':
          value = `H.day(${days})`;
          break;
        case 'extract_quarter':
          value = `(((H.month(${days}) - 1) / 3) | 0) + 1`;
          break;
        case 'extract_dow':
          value = `H.dayOfWeek(${days})`;
          break;
        case 'extract_doy':
          value = `H.dayOfYear(${days})`;
          break;
        case 'extract_hour':
          value = `Math.floor(${tod} / 3600000000)`;
          break;
        case 'extract_minute':
          value = `Math.floor(${tod} / 60000000) % 60`;
          break;
        default:
          // DuckDB's extract(second) is whole seconds; a DOUBLE/DECIMAL result keeps the fraction.
          value =
            t.kind === 'DOUBLE'
              ? `(${tod} % 60000000) / 1000000`
              : isDecimal(t)
                ? `H.rescale(${tod} % 60000000, 6, ${t.scale})`
                : `Math.floor((${tod} % 60000000) / 1000000)`;
      }
      o.push(`${r.v} = ${value};`);
    });
  }

  private cast(expr: CastExpr, out: string[]): Val {
    const from = expr.expr.type;
    const to = expr.type;
    const x = this.emit(expr.expr, out);
    if (from.kind === to.kind && (!isDecimal(from) || !isDecimal(to) || from.scale === to.scale)) {
      if (!isDecimal(to)) return x;
      return this.strict(out, [x], 'num', (o, r) => {
        o.push(`${r.v} = ${x.v};`);
        o.push(`H.checkDecimal(${r.v}, ${to.precision}, ${to.scale}, 'value');`);
      });
    }
    if (from.kind === 'NULL') return this.nullVal(to);
    const target = JSON.stringify(typeToString(to));
    return this.strict(out, [x], valKind(to) === 'bytes' ? 'str' : valKind(to), (o, r) => {
      const set = (value: string): void => void o.push(`${r.v} = ${value};`);
      const d = this.toDouble(x, from);
      switch (to.kind) {
        case 'VARCHAR':
          switch (from.kind) {
            case 'BOOLEAN':
              return set(`${x.v} ? 'true' : 'false'`);
            case 'INTEGER':
            case 'BIGINT':
              return set(`String(${x.v})`);
            case 'DOUBLE':
              return set(`H.formatDouble(${x.v})`);
            case 'DECIMAL':
              return set(`H.formatDecimal(${x.v}, ${scaleOf(from)})`);
            case 'DATE':
              return set(`H.formatDate(${x.v})`);
            case 'TIMESTAMP':
              return set(`H.formatTimestampSql(${x.v})`);
          }
          break;
        case 'BOOLEAN':
          if (from.kind === 'VARCHAR') return set(`H.parseBoolean(${this.asStr(o, x)})`);
          if (x.kind === 'num') return set(`${x.v} !== 0`);
          break;
        case 'INTEGER':
        case 'BIGINT': {
          const [min, max] =
            to.kind === 'INTEGER' ? [INT32_MIN, INT32_MAX] : [-INT64_LIMIT, INT64_LIMIT - 1024];
          if (from.kind === 'VARCHAR')
            return set(`H.parseInteger(${this.asStr(o, x)}, ${num(min)}, ${num(max)}, ${target})`);
          if (from.kind === 'BOOLEAN') return set(`${x.v} ? 1 : 0`);
          if (from.kind === 'DOUBLE') set(`H.roundHalfEven(${x.v})`);
          else if (isDecimal(from)) set(`H.rescale(${x.v}, ${from.scale}, 0)`);
          else if (from.kind === 'INTEGER' || from.kind === 'BIGINT') set(x.v);
          else break;
          o.push(
            `if (!(${r.v} >= ${num(min)} && ${r.v} <= ${num(max)})) H.overflow('cast to ' + ${target});`,
          );
          return;
        }
        case 'DOUBLE':
          if (from.kind === 'VARCHAR') return set(`H.parseDouble(${this.asStr(o, x)})`);
          if (x.kind === 'num' || x.kind === 'bool') return set(d);
          break;
        case 'DECIMAL': {
          if (from.kind === 'VARCHAR')
            return set(`H.parseDecimal(${this.asStr(o, x)}, ${to.precision}, ${to.scale})`);
          if (from.kind === 'DOUBLE') set(`H.roundHalfAway(${x.v} * ${powerOfTen(to.scale)})`);
          else if (isDecimal(from) || from.kind === 'INTEGER' || from.kind === 'BIGINT')
            set(this.toScale(x, from, to.scale));
          else if (from.kind === 'BOOLEAN') set(`${x.v} ? ${powerOfTen(to.scale)} : 0`);
          else break;
          o.push(`H.checkDecimal(${r.v}, ${to.precision}, ${to.scale}, 'value');`);
          return;
        }
        case 'DATE':
          if (from.kind === 'VARCHAR') return set(`H.parseDate(${this.asStr(o, x)})`);
          if (from.kind === 'TIMESTAMP') return set(`H.tsDays(${x.v})`);
          break;
        case 'TIMESTAMP':
          if (from.kind === 'VARCHAR') return set(`H.parseTimestamp(${this.asStr(o, x)})`);
          if (from.kind === 'DATE') return set(`${x.v} * 86400000000`);
          break;
      }
      throw new InternalError(`cast from ${typeToString(from)} to ${typeToString(to)} is not supported`);
    });
  }
}

export type KernelMode = 'value' | 'predicate';

/** Generates the kernel source of `expr` over `input`, for one pattern of nullable input columns. */
export function generateKernel(
  expr: Expr,
  input: readonly SqlType[],
  nullable: (index: number) => boolean,
  mode: KernelMode,
): GeneratedKernel {
  const gen = new Codegen(input, nullable);
  const body: string[] = [];
  const val = gen.emit(expr, body);
  const lines: string[] = [];
  const t = expr.type;
  const loopHead = 'for (let k = 0; k < count; k++) { const r = sel === undefined ? k : sel[k];';
  if (mode === 'predicate') {
    const holds = val.n === 'true' ? 'false' : val.n ? `!${val.n} && ${val.v}` : val.v;
    lines.push('const out = new Uint32Array(count); let c = 0;');
    lines.push(loopHead, ...gen.reads, ...body, `if (${holds}) out[c++] = r;`, '}');
    lines.push('return { selection: out, count: c };');
  } else {
    const write: string[] = [];
    const alloc: string[] = [];
    let result = '';
    switch (t.kind) {
      case 'NULL':
        result = 'values: new Uint8Array(0)';
        break;
      case 'BOOLEAN':
        alloc.push('const ob = new Uint8Array((count + 7) >> 3);');
        write.push(`if (${val.v}) ob[k >> 3] |= 1 << (k & 7);`);
        result = 'values: ob';
        break;
      case 'INTEGER':
      case 'DATE':
        alloc.push('const ob = new Int32Array(count);');
        write.push(`ob[k] = ${val.v};`);
        result = 'values: ob';
        break;
      case 'DOUBLE':
        alloc.push('const ob = new Float64Array(count);');
        write.push(`ob[k] = ${val.v};`);
        result = 'values: ob';
        break;
      case 'BIGINT':
      case 'TIMESTAMP':
        alloc.push(
          'const ores = new BigInt64Array(count); const ob = new Int32Array(ores.buffer); let hi = 0;',
        );
        write.push(
          `hi = Math.floor(${val.v} / 4294967296); ob[2 * k] = (${val.v} - hi * 4294967296) | 0; ob[2 * k + 1] = hi | 0;`,
        );
        result = 'values: ores';
        break;
      case 'DECIMAL':
        alloc.push('const ob = new Uint32Array(count * 4); let hi = 0;');
        write.push(
          `hi = Math.floor(${val.v} / 4294967296); ob[4 * k] = ${val.v} - hi * 4294967296; ob[4 * k + 1] = hi; if (${val.v} < 0) { ob[4 * k + 2] = 0xffffffff; ob[4 * k + 3] = 0xffffffff; }`,
        );
        result = 'values: ob';
        break;
      case 'VARCHAR':
        alloc.push(
          'let ob = new Uint8Array(count * 8 + 64); const oo = new Int32Array(count + 1); let op = 0;',
        );
        if (val.kind === 'str') {
          write.push(
            `if (op + ${val.v}.length * 3 > ob.length) ob = H.growBytes(ob, op, op + ${val.v}.length * 3); op += H.encodeInto(${val.v}, ob, op);`,
          );
        } else {
          write.push(
            `if (op + ${val.e} - ${val.s} > ob.length) ob = H.growBytes(ob, op, op + ${val.e} - ${val.s}); for (let j = ${val.s}; j < ${val.e}; j++) ob[op++] = ${val.b}[j];`,
          );
        }
        result = 'values: ob.slice(0, op), offsets: oo';
        break;
    }
    const after = t.kind === 'VARCHAR' ? 'oo[k + 1] = op;' : '';
    if (val.n === 'true' || t.kind === 'NULL') {
      lines.push(...alloc, 'const ov = new Uint8Array((count + 7) >> 3);');
      lines.push(`return { type: T, length: count, ${result}, validity: ov };`);
    } else if (val.n === null) {
      lines.push(...alloc, loopHead, ...gen.reads, ...body, ...write, after, '}');
      lines.push(`return { type: T, length: count, ${result}, validity: undefined };`);
    } else {
      lines.push(...alloc, 'const ov = new Uint8Array((count + 7) >> 3); let nulls = 0;');
      lines.push(
        loopHead,
        ...gen.reads,
        ...body,
        `if (${val.n}) { nulls++; } else { ov[k >> 3] |= 1 << (k & 7); ${write.join(' ')} }`,
        after,
        '}',
      );
      lines.push(`return { type: T, length: count, ${result}, validity: nulls === 0 ? undefined : ov };`);
    }
  }
  const typeConst = gen.konst(t);
  const source = [
    `const T = ${typeConst};`,
    'return function kernel(cols, sel, count) {',
    ...gen.setup,
    gen.declarations(),
    ...lines,
    '};',
  ]
    .filter((l) => l !== '')
    .join('\n');
  return { source, constants: gen.constants, columns: gen.columns };
}
