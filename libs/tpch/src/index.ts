export { TPCH_QUERY_NUMBERS, tpchQuery } from './tpch-queries.ts';
export { generateTpch, type GenerateTpchOptions, type GenerateTpchReport } from './generate-tpch.ts';
export { TPCH_FORMATS, type TpchFormat } from './generate-task.ts';
export { TPCH_SCHEMA, TPCH_TABLE_NAMES, tpchCardinalities, type TpchTableName } from './tpch-schema.ts';
