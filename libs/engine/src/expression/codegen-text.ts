import type { ScalarEmitter, ScalarEmitters } from './codegen.ts';

/** A string function computed on JS strings by runtime helper `helper` (text-helpers.ts). */
function onStrings(helper: string, kind: 'str' | 'bool' | 'num' | 'list' = 'str'): ScalarEmitter {
  return (gen, _fn, args, _at, _t, out) =>
    gen.strict(out, args, kind, (o, r) => {
      const operands = args.map((a) => (a.kind === 'num' ? a.v : gen.asStr(o, a)));
      o.push(`${r.v} = H.${helper}(${operands.join(', ')});`);
    });
}

/**
 * String functions that split, search by regular expression, pad or reorder characters:
 * rarer than the byte-range functions of codegen-string.ts, so done on decoded strings,
 * with characters counted as code points.
 */
export const textEmitters: ScalarEmitters = {
  split_part: onStrings('splitPart'),
  regexp_matches: (gen, _fn, args, _at, _t, out) =>
    gen.strict(out, args, 'bool', (o, r) => {
      const options = args.length > 2 ? gen.asStr(o, args[2]) : "''";
      o.push(`${r.v} = H.regexpMatches(${gen.asStr(o, args[0])}, ${gen.asStr(o, args[1])}, ${options});`);
    }),
  regexp_replace: (gen, _fn, args, _at, _t, out) =>
    gen.strict(out, args, 'str', (o, r) => {
      const options = args.length > 3 ? gen.asStr(o, args[3]) : "''";
      const [s, p, replacement] = args.slice(0, 3).map((a) => gen.asStr(o, a));
      o.push(`${r.v} = H.regexpReplace(${s}, ${p}, ${replacement}, ${options});`);
    }),
  regexp_extract: (gen, _fn, args, _at, _t, out) =>
    gen.strict(out, args, 'str', (o, r) => {
      const group = args.length > 2 ? args[2].v : '0';
      o.push(`${r.v} = H.regexpExtract(${gen.asStr(o, args[0])}, ${gen.asStr(o, args[1])}, ${group});`);
    }),
  regexp_full_match: onStrings('regexpFullMatch', 'bool'),
  string_split: onStrings('stringSplit', 'list'),
  regexp_split: (gen, _fn, args, _at, _t, out) =>
    gen.strict(out, args, 'list', (o, r) => {
      const options = args.length > 2 ? gen.asStr(o, args[2]) : "''";
      o.push(`${r.v} = H.regexpSplit(${gen.asStr(o, args[0])}, ${gen.asStr(o, args[1])}, ${options});`);
    }),
  regexp_extract_all: (gen, _fn, args, _at, _t, out) =>
    gen.strict(out, args, 'list', (o, r) => {
      const group = args.length > 2 ? args[2].v : '0';
      o.push(`${r.v} = H.regexpExtractAll(${gen.asStr(o, args[0])}, ${gen.asStr(o, args[1])}, ${group});`);
    }),
  levenshtein: onStrings('levenshtein', 'num'),
  hamming: onStrings('hamming', 'num'),
  strip_accents: onStrings('stripAccents'),
  unicode: onStrings('unicode', 'num'),
  md5: onStrings('md5'),
  sha256: onStrings('sha256'),
  ascii: onStrings('ascii', 'num'),
  chr: onStrings('chr'),
  // The length of the UTF-8 bytes themselves: no decoding.
  strlen: (gen, _fn, args, _at, _t, out) =>
    gen.strict(out, args, 'num', (o, r) => {
      const a = gen.asBytes(o, args[0]);
      o.push(`${r.v} = ${a.e} - ${a.s};`);
    }),
  strptime: onStrings('strptime', 'num'),
  left: onStrings('leftChars'),
  right: onStrings('rightChars'),
  reverse: onStrings('reverse'),
  translate: onStrings('translate'),
  lpad: onStrings('lpad'),
  rpad: onStrings('rpad'),
  repeat: onStrings('repeat'),
  ends_with: (gen, _fn, args, _at, _t, out) =>
    gen.strict(out, args, 'bool', (o, r) => {
      o.push(`${r.v} = ${gen.asStr(o, args[0])}.endsWith(${gen.asStr(o, args[1])});`);
    }),
};
