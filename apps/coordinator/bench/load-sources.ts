import path from 'node:path';

/** A source the load generator registers (POST /api/v1/sources) and its queries name. */
export interface LoadSource {
  name: string;
  type: 'csv' | 'parquet' | 'sqlite';
  path: string;
}

/**
 * The TPC-H registrations the load mix queries, under names prefixed `load_` so they never
 * collide with a running service's own sources.
 */
export function loadSources(tpchRoot: string): LoadSource[] {
  const sf001 = path.join(tpchRoot, 'sf0.01');
  return [
    { name: 'load_csv', type: 'csv', path: path.join(sf001, 'csv') },
    { name: 'load_pq', type: 'parquet', path: path.join(sf001, 'parquet') },
    { name: 'load_pq1', type: 'parquet', path: path.join(tpchRoot, 'sf0.1', 'parquet') },
    { name: 'load_sqlite', type: 'sqlite', path: path.join(sf001, 'sqlite', 'tpch.db') },
  ];
}
