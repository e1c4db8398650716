import { Type } from 'typebox';
import { OpenObject } from '../http/api-schemas.ts';

/** Schemas of Dremio's v3 API (docs.dremio.com, API Reference: SQL, Job, Catalog), as Tributary answers them. */

export const DREMIO_V3_TAG = 'dremio-v3';

export const V3IdParams = Type.Object({ id: Type.String({ description: 'the id Dremio named it by' }) });

export const V3SqlBody = Type.Object(
  {
    sql: Type.String({ minLength: 1, description: 'The SQL statement' }),
    context: Type.Optional(
      Type.Array(Type.String(), { description: 'The path its bare names resolve in, e.g. ["tpch"]' }),
    ),
    maxStalenessMs: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          "Tributary's own: how old (ms) a stale reflection's data may be for this query to read it; 0 or absent: never",
      }),
    ),
    references: Type.Optional(
      Type.Object(
        {},
        { additionalProperties: true, description: 'Versioned references: none are supported' },
      ),
    ),
  },
  { additionalProperties: false },
);

export const V3JobId = OpenObject({ id: Type.String({ description: 'The job id' }) });

const DremioTypeSchema = OpenObject({
  name: Type.String({
    description: 'BOOLEAN, INTEGER, BIGINT, DOUBLE, DECIMAL, DATE, TIMESTAMP, VARCHAR, NULL',
  }),
  precision: Type.Optional(Type.Integer()),
  scale: Type.Optional(Type.Integer()),
});
export const V3Field = OpenObject({ name: Type.String(), type: DremioTypeSchema });

export const V3JobStatus = OpenObject({
  jobState: Type.String(),
  rowCount: Type.Integer(),
  errorMessage: Type.String(),
  startedAt: Type.String(),
  endedAt: Type.Optional(Type.String()),
  acceleration: OpenObject({ reflectionRelationships: Type.Array(Type.Unknown()) }),
  queryType: Type.String(),
  queueName: Type.String(),
  queueId: Type.String(),
  resourceSchedulingStartedAt: Type.Optional(Type.String()),
  resourceSchedulingEndedAt: Type.Optional(Type.String()),
  cancellationReason: Type.String(),
});

/** Dremio's default page; its cap of 500 rows is lifted (a page is streamed from the spool). */
export const V3_DEFAULT_LIMIT = 100;

export const V3ResultsQuery = Type.Object({
  offset: Type.Optional(Type.Integer({ minimum: 0, description: 'the first row (0-based); 0 by default' })),
  limit: Type.Optional(
    Type.Integer({
      minimum: 0,
      description: `rows to send, ${V3_DEFAULT_LIMIT} by default; Dremio caps it at 500, Tributary does not`,
    }),
  ),
});

export const V3JobResults = OpenObject({
  rowCount: Type.Integer({ description: "All the job's rows" }),
  schema: Type.Array(V3Field),
  rows: Type.Array(Type.Object({}, { additionalProperties: true })),
});

const CatalogSummary = OpenObject({
  id: Type.String(),
  path: Type.Array(Type.String()),
  tag: Type.String(),
  type: Type.String({ description: 'CONTAINER or DATASET' }),
  containerType: Type.Optional(Type.String({ description: 'SOURCE, SPACE or FOLDER' })),
  datasetType: Type.Optional(Type.String({ description: 'VIRTUAL or PROMOTED' })),
  createdAt: Type.Optional(Type.String()),
});

export const V3CatalogRoot = OpenObject({ data: Type.Array(CatalogSummary) });

export const V3CatalogEntity = OpenObject(
  {
    entityType: Type.String({ description: 'source, space, folder or dataset' }),
    id: Type.String(),
    tag: Type.String(),
    path: Type.Optional(Type.Array(Type.String())),
    name: Type.Optional(Type.String()),
    type: Type.Optional(
      Type.String({ description: 'a dataset: PHYSICAL_DATASET or VIRTUAL_DATASET; a source: NAS, SQLITE' }),
    ),
    children: Type.Optional(Type.Array(CatalogSummary)),
    fields: Type.Optional(Type.Array(V3Field)),
    sql: Type.Optional(Type.String()),
    sqlContext: Type.Optional(Type.Array(Type.String())),
    config: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { title: 'DremioCatalogEntity' },
);

const entityFields = {
  entityType: Type.Enum(['source', 'space', 'folder', 'dataset'], {
    description: 'What to create: source, space, folder or dataset (a view)',
  }),
  id: Type.Optional(Type.String()),
  name: Type.Optional(Type.String({ minLength: 1, description: 'a space or source' })),
  path: Type.Optional(
    Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'a folder or view' }),
  ),
  type: Type.Optional(
    Type.String({ description: 'a view: VIRTUAL_DATASET; a source: NAS, CSV, PARQUET or SQLITE' }),
  ),
  sql: Type.Optional(Type.String({ minLength: 1, description: "a view's SQL" })),
  sqlContext: Type.Optional(
    Type.Array(Type.String(), { description: "the path a view's bare names resolve in" }),
  ),
  config: Type.Optional(
    Type.Object(
      {},
      { additionalProperties: true, description: 'a source: path (and format for NAS), connector options' },
    ),
  ),
};

/** Other fields Dremio's entities carry (children, fields, createdAt, acceleration, …) are accepted and left aside. */
export const V3CreateBody = Type.Object(entityFields, { additionalProperties: true });

export const V3ReplaceBody = Type.Object(
  {
    ...entityFields,
    tag: Type.String({ minLength: 1, description: 'the tag read before: a stale one is refused (409)' }),
  },
  { additionalProperties: true },
);

export const V3DeleteQuery = Type.Object({
  tag: Type.Optional(Type.String({ description: 'the tag read before: a stale one is refused (409)' })),
});
