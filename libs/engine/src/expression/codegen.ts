import { InternalError, powerOfTen, type SqlType } from '@tributary/common';
import type { CallExpr, Expr, ScalarFunctionName } from '@tributary/plan';
import { arithmeticEmitters } from './codegen-arithmetic.ts';
import { emitCast } from './codegen-cast.ts';
import { comparisonEmitters, emitInList } from './codegen-comparison.ts';
import { emitCase, emitCoalesce, emitNullif } from './codegen-conditional.ts';
import { datePartEmitters } from './codegen-date-parts.ts';
import { datetimeEmitters } from './codegen-datetime.ts';
import { emitLogic, logicEmitters } from './codegen-logic.ts';
import { mathEmitters } from './codegen-math.ts';
import { emitLike, stringEmitters } from './codegen-string.ts';
import { textEmitters } from './codegen-text.ts';
import {
  INT32_MAX,
  INT32_MIN,
  INT64_LIMIT,
  isDecimal,
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

const SCALAR_EMITTERS: ScalarEmitters = {
  ...arithmeticEmitters,
  ...comparisonEmitters,
  ...logicEmitters,
  ...mathEmitters,
  ...stringEmitters,
  ...datetimeEmitters,
  ...textEmitters,
  ...datePartEmitters,
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

  constructor(
    private readonly input: readonly SqlType[],
    private readonly nullable: (index: number) => boolean,
  ) {}

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
    const args = expr.args.map((a) => this.emit(a, out));
    const at = expr.args.map((a) => a.type);
    const emitter = SCALAR_EMITTERS[expr.fn];
    if (emitter === undefined) throw new InternalError(`scalar function ${expr.fn} is not implemented`);
    return emitter(this, expr.fn, args, at, expr.type, out);
  }
}
