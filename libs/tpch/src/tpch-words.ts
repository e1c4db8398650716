/**
 * The word lists and distributions of the TPC-H specification (clause 4.2.2.13 and
 * 4.2.3): value domains of the categorical columns and the vocabulary and grammar of the
 * pseudo-text comments. Weighted lists are `word|weight` entries.
 */

const list = (text: string) => text.trim().split(/\s*,\s*/);

/** A list of words with relative weights, drawn by cumulative weight. */
export interface WeightedWords {
  readonly words: readonly string[];
  /** Cumulative weights, the last one the total. */
  readonly cumulative: readonly number[];
}

function weighted(text: string): WeightedWords {
  const words: string[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const entry of text.trim().split(/\s*,\s*/)) {
    const bar = entry.lastIndexOf('|');
    words.push(entry.slice(0, bar));
    total += Number(entry.slice(bar + 1));
    cumulative.push(total);
  }
  return { words, cumulative };
}

export const REGIONS = list('AFRICA, AMERICA, ASIA, EUROPE, MIDDLE EAST');

/** The 25 nations with their region keys (clause 4.2.3). */
export const NATIONS: readonly { readonly name: string; readonly region: number }[] = [
  ['ALGERIA', 0],
  ['ARGENTINA', 1],
  ['BRAZIL', 1],
  ['CANADA', 1],
  ['EGYPT', 4],
  ['ETHIOPIA', 0],
  ['FRANCE', 3],
  ['GERMANY', 3],
  ['INDIA', 2],
  ['INDONESIA', 2],
  ['IRAN', 4],
  ['IRAQ', 4],
  ['JAPAN', 2],
  ['JORDAN', 4],
  ['KENYA', 0],
  ['MOROCCO', 0],
  ['MOZAMBIQUE', 0],
  ['PERU', 1],
  ['CHINA', 2],
  ['ROMANIA', 3],
  ['SAUDI ARABIA', 4],
  ['VIETNAM', 2],
  ['RUSSIA', 3],
  ['UNITED KINGDOM', 3],
  ['UNITED STATES', 1],
].map(([name, region]) => ({ name: name as string, region: region as number }));

export const SEGMENTS = list('AUTOMOBILE, BUILDING, FURNITURE, HOUSEHOLD, MACHINERY');
export const PRIORITIES = list('1-URGENT, 2-HIGH, 3-MEDIUM, 4-NOT SPECIFIED, 5-LOW');
export const SHIP_INSTRUCTIONS = list('DELIVER IN PERSON, COLLECT COD, NONE, TAKE BACK RETURN');
export const SHIP_MODES = list('REG AIR, AIR, RAIL, SHIP, TRUCK, MAIL, FOB');

/** p_type is one syllable of each (150 combinations). */
export const TYPE_SYLLABLES = [
  list('STANDARD, SMALL, MEDIUM, LARGE, ECONOMY, PROMO'),
  list('ANODIZED, BURNISHED, PLATED, POLISHED, BRUSHED'),
  list('TIN, NICKEL, BRASS, STEEL, COPPER'),
] as const;

/** p_container is one syllable of each (40 combinations). */
export const CONTAINER_SYLLABLES = [
  list('SM, LG, MED, JUMBO, WRAP'),
  list('CASE, BOX, BAG, JAR, PKG, PACK, CAN, DRUM'),
] as const;

/** p_name is five distinct words of these 92. */
export const COLORS = list(`almond, antique, aquamarine, azure, beige, bisque, black, blanched, blue, blush,
  brown, burlywood, burnished, chartreuse, chiffon, chocolate, coral, cornflower, cornsilk, cream, cyan,
  dark, deep, dim, dodger, drab, firebrick, floral, forest, frosted, gainsboro, ghost, goldenrod, green,
  grey, honeydew, hot, indian, ivory, khaki, lace, lavender, lawn, lemon, light, lime, linen, magenta,
  maroon, medium, metallic, midnight, mint, misty, moccasin, navajo, navy, olive, orange, orchid, pale,
  papaya, peach, peru, pink, plum, powder, puff, purple, red, rose, rosy, royal, saddle, salmon, sandy,
  seashell, sienna, sky, slate, smoke, snow, spring, steel, tan, thistle, tomato, turquoise, violet,
  wheat, white, yellow`);

export const NOUNS = weighted(`packages|40, requests|40, accounts|40, deposits|40, foxes|20, ideas|20,
  theodolites|20, pinto beans|20, instructions|20, dependencies|10, excuses|10, platelets|10,
  asymptotes|10, courts|5, dolphins|5, multipliers|1, sauternes|1, warthogs|1, frets|1, dinos|1,
  attainments|1, somas|1, Tiresias|1, patterns|1, forges|1, braids|1, frays|1, warhorses|1, dugouts|1,
  notornis|1, epitaphs|1, pearls|1, tithes|1, waters|1, orbits|1, gifts|1, sheaves|1, depths|1,
  sentiments|1, decoys|1, realms|1, pains|1, grouches|1, escapades|1, hockey players|1`);

export const VERBS = weighted(`sleep|20, wake|20, are|20, cajole|20, haggle|20, nag|10, use|10, boost|10,
  affix|5, detect|5, integrate|5, maintain|1, nod|1, was|1, lose|1, sublate|1, solve|1, thrash|1,
  promise|1, engage|1, hinder|1, print|1, x-ray|1, breach|1, eat|1, grow|1, impress|1, mold|1, poach|1,
  serve|1, run|1, dazzle|1, snooze|1, doze|1, unwind|1, kindle|1, play|1, hang|1, believe|1, doubt|1`);

export const ADJECTIVES = weighted(`special|20, pending|20, unusual|20, express|20, furious|1, sly|1,
  careful|1, blithe|1, quick|1, fluffy|1, slow|1, quiet|1, ruthless|1, thin|1, close|1, dogged|1,
  daring|1, brave|1, stealthy|1, permanent|1, enticing|1, idle|1, busy|1, regular|50, final|40,
  ironic|40, even|30, bold|20, silent|10`);

export const ADVERBS = weighted(`sometimes|1, always|1, never|1, furiously|50, slyly|50, carefully|50,
  blithely|40, quickly|30, fluffily|20, slowly|1, quietly|1, ruthlessly|1, thinly|1, closely|1,
  doggedly|1, daringly|1, bravely|1, stealthily|1, permanently|1, enticingly|1, idly|1, busily|1,
  regularly|1, finally|1, ironically|1, evenly|1, boldly|1, silently|1`);

export const PREPOSITIONS = weighted(`about|50, above|50, according to|50, across|50, after|50, against|40,
  along|40, alongside of|30, among|30, around|20, at|10, atop|1, before|1, behind|1, beneath|1, beside|1,
  besides|1, between|1, beyond|1, by|1, despite|1, during|1, except|1, for|1, from|1, in place of|1,
  inside|1, instead of|1, into|1, near|1, of|1, on|1, outside|1, over|1, past|1, since|1, through|1,
  throughout|1, to|1, toward|1, under|1, until|1, up|1, upon|1, without|1, with|1, within|1`);

export const AUXILIARIES = weighted(`do|1, may|1, might|1, shall|1, will|1, would|1, can|1, could|1,
  should|1, ought to|1, must|1, will have to|1, shall have to|1, could have to|1, should have to|1,
  must have to|1, need to|1, try to|1`);

/** Sentence terminators; the comma-free spellings keep the list parseable. */
export const TERMINATORS: WeightedWords = {
  words: ['.', ';', ':', '?', '!', '--'],
  cumulative: [50, 51, 52, 53, 54, 55],
};

/** Sentence templates: N noun phrase, V verb phrase, P prepositional phrase, T terminator. */
export const SENTENCES = weighted('N V T|3, N V P T|3, N V N T|3, N P V N T|1, N P V P T|1');
/** Noun phrases: N noun, J adjective, D adverb (`J, J N` puts a comma after the first adjective). */
export const NOUN_PHRASES = weighted('N|10, J N|20, J; J N|10, D J N|50');
/** Verb phrases: V verb, X auxiliary, D adverb. */
export const VERB_PHRASES = weighted('V|30, X V|1, V D|40, X V D|1');
