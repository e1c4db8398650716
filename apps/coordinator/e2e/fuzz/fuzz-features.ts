/**
 * Query features the fuzzer can generate. The stable ones are on by default; the ones
 * being built now (subqueries, window functions, set operations) are off until switched
 * on: `npm run fuzz -- --features subqueries,windows,setops`, or TRIBUTARY_FUZZ_FEATURES
 * with the same list for the `npm test` run (apps/coordinator/e2e/fuzz.test.ts).
 */
export const FUZZ_FEATURES = ['subqueries', 'windows', 'setops'] as const;

export type FuzzFeature = (typeof FUZZ_FEATURES)[number];

/** Parses a comma-separated feature list; `all` switches every feature on. */
export function parseFuzzFeatures(text: string | undefined): Set<FuzzFeature> {
  const features = new Set<FuzzFeature>();
  for (const word of (text ?? '')
    .split(',')
    .map((w) => w.trim())
    .filter((w) => w !== '')) {
    if (word === 'all') FUZZ_FEATURES.forEach((f) => features.add(f));
    else if ((FUZZ_FEATURES as readonly string[]).includes(word)) features.add(word as FuzzFeature);
    else
      throw new Error(
        `unknown fuzz feature ${JSON.stringify(word)}; known: ${FUZZ_FEATURES.join(', ')}, all`,
      );
  }
  return features;
}
