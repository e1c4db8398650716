import { SourceError } from '@tributary/common';
import type { SourceType } from '@tributary/plan';
import type { Connector } from './connector.ts';
import { CsvConnector } from './csv/csv-connector.ts';
import { ParquetConnector } from './parquet/parquet-connector.ts';
import { SqliteConnector } from './sqlite/sqlite-connector.ts';

const connectors: Record<SourceType, Connector> = {
  csv: new CsvConnector(),
  parquet: new ParquetConnector(),
  sqlite: new SqliteConnector(),
};

/** The connector of a source type (connectors are stateless apart from caches). */
export function connectorFor(type: SourceType): Connector {
  const connector = connectors[type] as Connector | undefined;
  if (!connector)
    throw new SourceError(
      'SOURCE_TYPE_UNKNOWN',
      `unknown source type "${String(type)}"; expected csv, parquet or sqlite`,
    );
  return connector;
}
