import { InternalError, int32Range, isFloat, powerOfTen, type SqlType } from '@tributary/common';
import type { CallExpr, Expr, ScalarFunctionName } from '@tributary/plan';
import { arithmeticEmitters } from './codegen-arithmetic.ts';
import { bitwiseEmitters } from './codegen-bitwise.ts';
import { emitCast } from './codegen-cast.ts';
import { comparisonEmitters, emitInList } from './codegen-comparison.ts';
import { emitCase, emitCoalesce, emitNullif } from './codegen-conditional.ts';
import { datePartEmitters } from './codegen-date-parts.ts';
import { datetimeEmitters } from './codegen-datetime.ts';
import { emitLogic, logicEmitters } from './codegen-logic.ts';
import { mathEmitters } from './codegen-math.ts';
import { emitLike, stringEmitters } from './codegen-string.ts';
import { listEmitters } from './codegen-list.ts';
import { textEmitters } from './codegen-text.ts';
import {
  bigLiteral,
  isDecimal,
  isExactNumeric,
  MAX_EXACT_DOUBLE,
  NEEDS_EXACT,
  num,
  scaleOf,
  valKind,
  type Val,
  type ValKind,
} from './codegen-values.ts';

/**
 * Emits the code of one call whose arguments are evaluated first (every function but the
 * lazy AND/OR, COALESCE and NULLIF): `args` are the argument values, `at` their types, `t`
 * the result type. Each function family keeps a table of these in its own file.
 */
export type ScalarEmitter = (
  gen: Codegen,
  fn: ScalarFunctionName,
  args: Val[],
  at: SqlType[],
  t: SqlType,
  out: string[],
) => Val;

export type ScalarEmitters = Partial<Record<ScalarFunctionName, ScalarEmitter>>;

/** Functions whose emitters compute exactly on bigints in exact kernels. */
const EXACT_FUNCTIONS = new Set<ScalarFunctionName>([
  'abs',
  'add',
  'subtract',
  'multiply',
  'modulo',
  'divide',
  'negate',
  'bitwise_and',
  'bitwise_or',
  'bitwise_xor',
  'bitwise_not',
  'shift_left',
  'shift_right',
  'bit_count',
  'eq',
  'neq',
  'lt',
  'lte',
  'gt',
  'gte',
  'not',
]);

const SCALAR_EMITTERS: ScalarEmitters = {
  ...arithmeticEmitters,
  ...bitwiseEmitters,
  ...comparisonEmitters,
  ...logicEmitters,
  ...mathEmitters,
  ...stringEmitters,
  ...datetimeEmitters,
  ...textEmitters,
  ...datePartEmitters,
  ...listEmitters,
};

/**
 * Turns an expression tree into the JS source of one loop over a batch's typed arrays.
 * Every node becomes a few statements assigning locals (`vN` value, `nN` null flag;
 * VARCHAR values stay UTF-8 byte ranges `bN[sN..eN)` until a function needs a JS string),
 * specialised by SQL type and by which input columns have a validity bitmap. This class is
 * the driver and its shared helpers; each family of functions lives in a codegen-*.ts file.
 */
export class Codegen {
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

  /**
   * Exact kernels hold BIGINT, HUGEINT and DECIMAL values in bigints; fast ones in doubles,
   * guarded so that any value beyond 2^53 calls H.needExact() and the batch is run again by
   * the exact kernel (kernel-cache.ts). Function families that know nothing of bigints run
   * in fast mode inside exact kernels (see call()).
   */
  exact: boolean;

  constructor(
    private readonly input: readonly SqlType[],
    private readonly nullable: (index: number) => boolean,
    exact = false,
  ) {
    this.exact = exact;
  }

  /** How a value of `type` is held in this kernel. */
  kindOf(type: SqlType): ValKind {
    return this.exact && isExactNumeric(type) ? 'big' : valKind(type);
  }

  declarations(): string {
    return this.decls.length === 0 ? '' : `let ${this.decls.join(', ')};`;
  }

  fresh(prefix: string, init: string): string {
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
    const init =
      kind === 'num'
        ? '0'
        : kind === 'big'
          ? '0n'
          : kind === 'bool'
            ? 'false'
            : kind === 'list'
              ? 'H.EMPTY_LIST'
              : "''";
    return { kind, v: this.fresh('v', init), b: '', s: '', e: '', n };
  }

  nullVal(type: SqlType): Val {
    return this.nullOfKind(this.kindOf(type));
  }

  nullOfKind(kind: ValKind): Val {
    if (kind === 'bytes') return { kind, v: '', b: 'H.EMPTY_BYTES', s: '0', e: '0', n: 'true' };
    const v =
      kind === 'bool'
        ? 'false'
        : kind === 'big'
          ? '0n'
          : kind === 'str'
            ? "''"
            : kind === 'list'
              ? 'H.EMPTY_LIST'
              : '0';
    return { kind, v, b: '', s: '', e: '', n: 'true' };
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
    if (nulls === 'true') return this.nullOfKind(kind === 'str' ? 'bytes' : kind);
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
    else if (r.kind === 'big' && x.kind === 'num')
      out.push(`${r.v} = ${x.n === null ? '' : `${x.n} ? 0n : `}BigInt(${x.v});`);
    else out.push(`${r.v} = ${r.kind === 'num' && x.kind === 'big' ? `Number(${x.v})` : x.v};`);
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
    const val = this.newVal(this.kindOf(type), nullable);
    if (val.kind === 'big') {
      // Exact kernels read 64-bit values straight as bigints; 128-bit ones from two halves.
      const narrow = type.kind === 'BIGINT' || (type.kind === 'DECIMAL' && type.precision <= 18);
      const stride = type.kind === 'BIGINT' ? 1 : 2;
      this.setup.push(
        `const ${d} = new BigInt64Array(${c}.values.buffer, ${c}.values.byteOffset, ${c}.length * ${stride});`,
      );
      if (narrow) this.reads.push(`${val.v} = ${d}[${stride === 1 ? 'r' : '2 * r'}];`);
      else {
        this.setup.push(
          `const u${slot} = new BigUint64Array(${c}.values.buffer, ${c}.values.byteOffset, ${c}.length * 2);`,
        );
        this.reads.push(`${val.v} = (${d}[2 * r + 1] << 64n) + u${slot}[2 * r];`);
      }
    } else
      switch (type.kind) {
        case 'BIGINT':
        case 'TIME':
        case 'TIMESTAMP':
          this.setup.push(
            `const ${d} = new Int32Array(${c}.values.buffer, ${c}.values.byteOffset, ${c}.length * 2);`,
          );
          this.reads.push(`${val.v} = ${d}[2 * r + 1] * 4294967296 + (${d}[2 * r] >>> 0);`);
          if (type.kind === 'BIGINT') this.reads.push(this.guardExact(val.v));
          break;
        case 'HUGEINT':
        case 'DECIMAL':
          this.setup.push(`const ${d} = ${c}.values;`);
          // Up to 18 digits the low 64 bits hold the value; wider ones read all 128 (exact below
          // 2^53, the nearest double beyond) rather than a truncated low half.
          this.reads.push(
            type.kind === 'DECIMAL' && type.precision <= 18
              ? `${val.v} = (${d}[4 * r + 1] | 0) * 4294967296 + ${d}[4 * r];`
              : `${val.v} = (${d}[4 * r + 3] | 0) * 79228162514264337593543950336 + ${d}[4 * r + 2] * 18446744073709551616 + ${d}[4 * r + 1] * 4294967296 + ${d}[4 * r];`,
          );
          this.reads.push(this.guardExact(val.v));
          break;
        case 'BOOLEAN':
          this.setup.push(`const ${d} = ${c}.values;`);
          this.reads.push(`${val.v} = ((${d}[r >> 3] >> (r & 7)) & 1) === 1;`);
          break;
        case 'LIST':
          // Lists are read whole, as arrays of their elements (off the hot paths).
          this.setup.push(`const ${d} = ${c};`);
          this.reads.push(`${val.v} = H.listAt(${d}, r) ?? H.EMPTY_LIST;`);
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
      case 'LIST':
        return { kind: 'list', v: this.konst(value), b: '', s: '', e: '', n: null };
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
      default: {
        if (this.kindOf(type) === 'big')
          return {
            kind: 'big',
            v: bigLiteral(BigInt(value as number | string)),
            b: '',
            s: '',
            e: '',
            n: null,
          };
        // BIGINT/DECIMAL literals beyond 2^53 carry their exact text: only exact kernels hold them.
        if (typeof value === 'string' && isExactNumeric(type)) throw NEEDS_EXACT;
        return { kind: 'num', v: num(Number(value)), b: '', s: '', e: '', n: null };
      }
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
        return emitCast(this, expr, out);
      case 'case':
        return emitCase(this, expr, out);
      case 'in-list':
        return emitInList(this, expr, out);
      case 'like':
        return emitLike(this, expr, out);
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
    const v = x.kind === 'big' ? `Number(${x.v})` : x.v;
    return isDecimal(type) && type.scale > 0 ? `(${v} / ${powerOfTen(type.scale)})` : v;
  }

  /** A numeric value as an exact bigint unscaled at `scale` (doubles rounded half away from zero). */
  toBig(x: Val, type: SqlType, scale: number): string {
    if (type.kind === 'DOUBLE') return `H.doubleToBig(${x.v}, ${scale})`;
    if (type.kind === 'BOOLEAN') return `(${x.v} ? ${bigLiteral(10n ** BigInt(scale))} : 0n)`;
    const v = x.kind === 'big' ? x.v : `BigInt(${x.v})`;
    const from = scaleOf(type);
    if (from === scale) return v;
    if (from < scale) return `(${v} * ${bigLiteral(10n ** BigInt(scale - from))})`;
    return `H.bigRescale(${v}, ${from}, ${scale})`;
  }

  /** `x`, held as a double: bigints converted (exact below 2^53). */
  asNum(x: Val): Val {
    return x.kind === 'big' ? { ...x, kind: 'num', v: `Number(${x.v})` } : x;
  }

  /** A statement sending the batch to the exact kernel when the double `v` may have lost digits. */
  guardExact(v: string): string {
    return `if (${v} > ${MAX_EXACT_DOUBLE} || ${v} < -${MAX_EXACT_DOUBLE}) H.needExact();`;
  }

  /**
   * Statement checking a BIGINT/HUGEINT/DECIMAL/INTEGER result `v` of this kernel's kind:
   * exact values against the type's range (NUMERIC_OVERFLOW, as DuckDB's "Out of Range"),
   * fast ones against 2^53 (beyond it the exact kernel decides).
   */
  checkResult(type: SqlType, v: string, what: string, kind: ValKind): string {
    const fail = `H.overflow(${JSON.stringify(what)});`;
    if (kind === 'big') {
      if (type.kind === 'DECIMAL') {
        const limit = bigLiteral(10n ** BigInt(type.precision));
        return `if (${v} >= ${limit} || ${v} <= -${limit}) ${fail}`;
      }
      const bits = type.kind === 'HUGEINT' ? 127n : 63n;
      return `if (${v} >= ${bigLiteral(1n << bits)} || ${v} < ${bigLiteral(-(1n << bits))}) ${fail}`;
    }
    if (type.kind === 'INTEGER') {
      const [min, max] = int32Range(type);
      return `if (${v} > ${max} || ${v} < ${min}) ${fail}`;
    }
    if (isExactNumeric(type)) return this.guardExact(v);
    return '';
  }

  /** A numeric value as an unscaled integer at `scale` (exact for integers/decimals, rounded for doubles). */
  toScale(x: Val, type: SqlType, scale: number): string {
    if (type.kind === 'DOUBLE') return `H.roundHalfAway(${x.v} * ${powerOfTen(scale)})`;
    const from = scaleOf(type);
    if (from === scale) return x.v;
    if (from < scale) return `(${x.v} * ${powerOfTen(scale - from)})`;
    return `H.rescale(${x.v}, ${from}, ${scale})`;
  }

  /** A numeric value in the representation of numeric type `to` in this kernel. */
  coerce(x: Val, from: SqlType, to: SqlType): string {
    if (to.kind === 'DOUBLE') return this.toDouble(x, from);
    if (this.kindOf(to) === 'big') return this.toBig(x, from, scaleOf(to));
    return this.toScale(this.asNum(x), from, scaleOf(to));
  }

  /** Statement that raises NUMERIC_OVERFLOW when an integer result leaves its type's range. */
  checkInteger(type: SqlType, v: string, what: string): string {
    return type.kind === 'INTEGER' || type.kind === 'BIGINT' || type.kind === 'HUGEINT'
      ? this.checkResult(type, v, what, this.kindOf(type))
      : '';
  }

  private call(expr: CallExpr, out: string[]): Val {
    switch (expr.fn) {
      case 'and':
      case 'or':
        return emitLogic(this, expr, out);
      case 'coalesce':
        return emitCoalesce(this, expr, out);
      case 'nullif':
        return emitNullif(this, expr, out);
      default:
        break;
    }
    const result = this.compute(expr, out);
    if (!isFloat(expr.type) || result.kind !== 'num' || result.n === 'true') return result;
    // FLOAT values are held as doubles: what a function computes is rounded to 32 bits.
    const r = this.newVal('num', result.n !== null);
    if (r.n !== null) out.push(`${r.n} = ${result.n};`);
    out.push(`${r.v} = Math.fround(${result.v});`);
    return r;
  }

  /** The value of a call whose arguments are evaluated first, by its function's emitter. */
  private compute(expr: CallExpr, out: string[]): Val {
    const args = expr.args.map((a) => this.emit(a, out));
    const at = expr.args.map((a) => a.type);
    const emitter = SCALAR_EMITTERS[expr.fn];
    // Every function the binder accepts has an emitter; a gap between the two is a bug here.
    if (emitter === undefined) throw new InternalError(`no code generator for scalar function ${expr.fn}`);
    if (!this.exact || EXACT_FUNCTIONS.has(expr.fn)) return emitter(this, expr.fn, args, at, expr.type, out);
    // A function that knows only doubles: its bigint arguments become doubles (a typed error
    // beyond 2^53, never a rounded answer), and it runs in fast mode (its H.needExact() guards
    // are no-ops in exact kernels).
    const what = JSON.stringify(expr.fn);
    const numbers = args.map((a): Val =>
      a.kind === 'big' ? { ...a, kind: 'num', v: `H.exactNumber(${a.v}, ${what})` } : a,
    );
    this.exact = false;
    let r: Val;
    try {
      r = emitter(this, expr.fn, numbers, at, expr.type, out);
    } finally {
      this.exact = true;
    }
    if (this.kindOf(expr.type) !== 'big' || r.kind !== 'num') return r;
    const big = this.newVal('big', r.n !== null);
    if (big.n !== null) out.push(`${big.n} = ${r.n};`);
    out.push(`${big.v} = ${r.n === null ? '' : `${r.n} ? 0n : `}BigInt(${r.v});`);
    return big;
  }
}
