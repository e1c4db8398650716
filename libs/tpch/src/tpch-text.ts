import { RowRandom } from './tpch-random.ts';
import {
  ADJECTIVES,
  ADVERBS,
  AUXILIARIES,
  NOUN_PHRASES,
  NOUNS,
  PREPOSITIONS,
  SENTENCES,
  TERMINATORS,
  VERB_PHRASES,
  VERBS,
  type WeightedWords,
} from './tpch-words.ts';

/**
 * The pseudo-text of clause 4.2.2.10: a pool of sentences made from the grammar, from which
 * every comment is a substring at a random offset with a random length. dbgen keeps 300 MB;
 * 2 MiB is enough variety for the queries (Q13's '%special%requests%' and the like) and is
 * built in a fraction of a second on each worker.
 */
const POOL_BYTES = 2 * 1024 * 1024;
const POOL_SEED = 933588178;

function draw(random: RowRandom, words: WeightedWords): string {
  return words.words[drawIndex(random, words)];
}

/** Templates split into their symbols once. */
const split = (words: WeightedWords) => words.words.map((template) => template.split(' '));
const SENTENCE_SYMBOLS = split(SENTENCES);
const NOUN_PHRASE_SYMBOLS = split(NOUN_PHRASES);
const VERB_PHRASE_SYMBOLS = split(VERB_PHRASES);

function drawIndex(random: RowRandom, words: WeightedWords): number {
  const target = random.next() * words.cumulative[words.cumulative.length - 1];
  const cumulative = words.cumulative;
  let i = 0;
  while (cumulative[i] <= target) i++;
  return i;
}

function nounPhrase(random: RowRandom): string {
  let out = '';
  for (const symbol of NOUN_PHRASE_SYMBOLS[drawIndex(random, NOUN_PHRASES)]) {
    if (out !== '') out += ' ';
    if (symbol === 'N') out += draw(random, NOUNS);
    else if (symbol === 'J') out += draw(random, ADJECTIVES);
    else if (symbol === 'J;') out += `${draw(random, ADJECTIVES)},`;
    else out += draw(random, ADVERBS);
  }
  return out;
}

function verbPhrase(random: RowRandom): string {
  let out = '';
  for (const symbol of VERB_PHRASE_SYMBOLS[drawIndex(random, VERB_PHRASES)]) {
    if (out !== '') out += ' ';
    if (symbol === 'V') out += draw(random, VERBS);
    else if (symbol === 'X') out += draw(random, AUXILIARIES);
    else out += draw(random, ADVERBS);
  }
  return out;
}

/** One sentence of the grammar, e.g. "carefully final deposits detect slyly." */
export function sentence(random: RowRandom): string {
  let out = '';
  for (const symbol of SENTENCE_SYMBOLS[drawIndex(random, SENTENCES)]) {
    if (symbol === 'T') {
      out += draw(random, TERMINATORS);
      continue;
    }
    if (out !== '') out += ' ';
    if (symbol === 'N') out += nounPhrase(random);
    else if (symbol === 'V') out += verbPhrase(random);
    else out += `${draw(random, PREPOSITIONS)} the ${nounPhrase(random)}`;
  }
  return out;
}

let pool: string | undefined;

/** The text pool, built once per thread (deterministic). */
export function textPool(): string {
  if (pool === undefined) {
    const random = new RowRandom(POOL_SEED).seek(0);
    const parts: string[] = [];
    let length = 0;
    while (length < POOL_BYTES) {
      const s = sentence(random);
      parts.push(s);
      length += s.length + 1;
    }
    pool = parts.join(' ').slice(0, POOL_BYTES);
  }
  return pool;
}

/** A comment of `min` to `max` characters: a substring of the pool at a random offset. */
export function comment(random: RowRandom, min: number, max: number): string {
  const text = textPool();
  const length = random.int(min, max);
  const offset = Math.floor(random.next() * (text.length - length));
  return text.substring(offset, offset + length);
}

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789, ';

/** A "v-string" (clause 4.2.2.7): `min` to `max` random characters of a 64-character alphabet. */
export function randomString(random: RowRandom, min: number, max: number): string {
  const length = random.int(min, max);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[Math.floor(random.next() * 64)];
  return out;
}

/** A phone number of a nation (clause 4.2.2.9): country code nationkey + 10, then 3-3-4 digits. */
export function phoneNumber(random: RowRandom, nationKey: number): string {
  return `${nationKey + 10}-${random.int(100, 999)}-${random.int(100, 999)}-${random.int(1000, 9999)}`;
}
