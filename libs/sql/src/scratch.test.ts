import { test } from 'vitest';
import { parseSql } from './parse-sql.ts';
test('x', () => {
  for (const q of [
    "select ntile(4) over (partition by a, b+1 order by c desc nulls first rows between 1 preceding and current row) as n, rank() over w, percent_rank() over (w order by d), cume_dist() over w, lag(x, 2, 0) over (order by c range between interval '1 day' preceding and interval 2 month following) from t window w as (partition by a)",
    "select sum(sum(x)) over (order by c) from t group by c",
    "select coalesce(sum(x) over (order by c range unbounded preceding), 0) from t",
  ]) {
    const p = parseSql(q);
    console.log(JSON.stringify(p.ast.columns, (k, v) => (k === 'loc' ? undefined : v)));
  }
});
