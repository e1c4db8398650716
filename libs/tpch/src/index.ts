export { TPCH_QUERY_NUMBERS, tpchQuery } from './tpch-queries.ts';
