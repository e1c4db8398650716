/** What EXPLAIN ANALYZE printed at the end of one operator line. */
export interface PrintedActuals {
  readonly rows: number;
  readonly batches: number;
  readonly ms: number;
}

/**
 * The figures EXPLAIN ANALYZE printed on the distributed plan's operator lines matching
 * `operator`, top to bottom; a matching line without figures from every task fails.
 */
export function operatorActuals(plan: string, operator: RegExp): PrintedActuals[] {
  return plan
    .slice(plan.indexOf('Distributed plan:'))
    .split('\n')
    .filter((line) => operator.test(line))
    .map((line) => {
      const m = /\(actual rows=(\d+) batches=(\d+) time=(\d+\.\d) ms(?: max=\d+\.\d ms)?\)$/.exec(line);
      if (!m) throw new Error(`no actual figures on "${line}" in\n${plan}`);
      return { rows: Number(m[1]), batches: Number(m[2]), ms: Number(m[3]) };
    });
}
