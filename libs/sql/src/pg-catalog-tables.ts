import { BOOLEAN, DOUBLE, INTEGER, VARCHAR, listOf, type SqlType } from '@tributary/common';
import type { CatalogListing, LiteralValue } from '@tributary/plan';
import { scalarFunctionNames } from './bind-function.ts';
import { AGGREGATE_NAMES } from './contains-aggregate.ts';
import type { SystemTable } from './system-tables.ts';

/**
 * pg_catalog as Postgres clients read it (psql's \dt, \d, \l, \dn; JDBC and BI tools' start-up
 * queries): the catalog's schemas, tables, views and columns in pg_namespace, pg_class and
 * pg_attribute, the types Tributary's columns are described as in pg_type, one database, and
 * the tables clients only join to (indexes, constraints, descriptions …) present but empty.
 */

const col = (name: string, type: SqlType = VARCHAR) => ({ name, type });
const oidCol = (name: string) => col(name, INTEGER);
/** Columns that are arrays in Postgres: oid[], int2vector, oidvector (OIDs are integers here), text[], aclitem[]. */
const oidsCol = (name: string) => col(name, listOf(INTEGER));
const textsCol = (name: string) => col(name, listOf(VARCHAR));

/** Postgres' own OIDs for its fixed schemas, so clients that know them find them. */
const PG_CATALOG_OID = 11;
const PUBLIC_OID = 2200;
const DATABASE_OID = 1;
const OWNER_OID = 10;
/** Postgres' OID of the `internal` language, which built-in functions are written in. */
const INTERNAL_LANGUAGE_OID = 12;
/** Postgres' fixed OID of the pg_language catalog table. */
const PG_LANGUAGE_CLASS_OID = 2612;
/** pg_proc.provolatile: functions whose value may change within a query, or between queries. */
const VOLATILE_FUNCTIONS = new Set(['random', 'setseed', 'uuid', 'gen_random_uuid']);
const STABLE_FUNCTIONS = new Set([
  'now',
  'current_date',
  'current_timestamp',
  'today',
  'get_current_timestamp',
]);

/**
 * A stable OID for a catalog object (FNV-1a of its kind and path), above Postgres' fixed
 * ones: a client may look a table's OID up in one statement and use it in the next.
 */
export function catalogOid(kind: string, path: string): number {
  let hash = 0x811c9dc5;
  const text = `${kind}:${path.toLowerCase()}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return 16_384 + (hash % 2_000_000_000);
}

/** A base type of pg_type with the OID of its array type (Postgres' own OIDs). */
const BASE_TYPES: readonly { oid: number; name: string; len: number; category: string; array: number }[] = [
  { oid: 16, name: 'bool', len: 1, category: 'B', array: 1000 },
  { oid: 20, name: 'int8', len: 8, category: 'N', array: 1016 },
  { oid: 21, name: 'int2', len: 2, category: 'N', array: 1005 },
  { oid: 23, name: 'int4', len: 4, category: 'N', array: 1007 },
  { oid: 25, name: 'text', len: -1, category: 'S', array: 1009 },
  { oid: 26, name: 'oid', len: 4, category: 'N', array: 1028 },
  { oid: 700, name: 'float4', len: 4, category: 'N', array: 1021 },
  { oid: 701, name: 'float8', len: 8, category: 'N', array: 1022 },
  { oid: 1043, name: 'varchar', len: -1, category: 'S', array: 1015 },
  { oid: 1082, name: 'date', len: 4, category: 'D', array: 1182 },
  { oid: 1083, name: 'time', len: 8, category: 'D', array: 1183 },
  { oid: 1114, name: 'timestamp', len: 8, category: 'D', array: 1115 },
  { oid: 1184, name: 'timestamptz', len: 8, category: 'D', array: 1185 },
  { oid: 1700, name: 'numeric', len: -1, category: 'N', array: 1231 },
];

/**
 * The Postgres types Tributary's columns are described as (pgwire's pg-types), with their
 * pg_type facts: the base types, their array types (`_int4`, typelem the element, category
 * 'A'), and the two vector types of the catalog (int2vector, oidvector).
 */
export const PG_TYPES: readonly {
  oid: number;
  name: string;
  len: number;
  category: string;
  /** The element type of an array type, else 0. */
  elem: number;
  /** The array type of a base type, else 0. */
  array: number;
}[] = [
  ...BASE_TYPES.map((t) => ({ ...t, elem: 0 })),
  ...BASE_TYPES.map((t) => ({
    oid: t.array,
    name: `_${t.name}`,
    len: -1,
    category: 'A',
    elem: t.oid,
    array: 0,
  })),
  { oid: 22, name: 'int2vector', len: -1, category: 'A', elem: 21, array: 1006 },
  { oid: 30, name: 'oidvector', len: -1, category: 'A', elem: 26, array: 1013 },
];

/** The OID of the array type of a base type's OID (text[] for one without). */
export function pgArrayOid(elementOid: number): number {
  return BASE_TYPES.find((t) => t.oid === elementOid)?.array ?? 1009;
}

/** A column's Postgres type OID and modifier (as pgwire describes it in RowDescription). */
export function pgTypeOfColumn(type: SqlType): { oid: number; modifier: number } {
  switch (type.kind) {
    case 'BOOLEAN':
      return { oid: 16, modifier: -1 };
    case 'INTEGER':
      // Postgres has no one-byte integer: TINYINT travels as int2, as SMALLINT does.
      return { oid: type.bits ? 21 : 23, modifier: -1 };
    case 'BIGINT':
      return { oid: 20, modifier: -1 };
    case 'DOUBLE':
      return { oid: type.single ? 700 : 701, modifier: -1 };
    case 'DECIMAL':
      return { oid: 1700, modifier: ((type.precision << 16) | type.scale) + 4 };
    case 'HUGEINT':
      return { oid: 1700, modifier: (38 << 16) + 4 };
    case 'DATE':
      return { oid: 1082, modifier: -1 };
    case 'TIMESTAMP':
      return { oid: type.withTimeZone ? 1184 : 1114, modifier: -1 };
    case 'TIME':
      return { oid: 1083, modifier: -1 };
    case 'NULL':
      return { oid: 25, modifier: -1 };
    case 'VARCHAR':
      return { oid: 1043, modifier: -1 };
    case 'LIST': {
      // An array column keeps its element's modifier, as pg_attribute does.
      const element = pgTypeOfColumn(type.element);
      return { oid: pgArrayOid(element.oid), modifier: element.modifier };
    }
  }
}

/** Every schema with its OID: sources, spaces, folders, and the catalog schemas. */
function namespaces(listing: CatalogListing): { oid: number; name: string }[] {
  return [
    { oid: PG_CATALOG_OID, name: 'pg_catalog' },
    { oid: PUBLIC_OID, name: 'public' },
    { oid: catalogOid('namespace', 'information_schema'), name: 'information_schema' },
    { oid: catalogOid('namespace', 'sys'), name: 'sys' },
    ...listing.sources().map((s) => ({ oid: catalogOid('namespace', s.name), name: s.name })),
    ...listing.spaces().map((s) => ({ oid: catalogOid('namespace', s.name), name: s.name })),
    ...listing.folders().map((f) => ({ oid: catalogOid('namespace', f.join('.')), name: f.join('.') })),
  ];
}

/** Tables ('r') and views ('v'), each with its schema's OID and its columns. */
function classes(listing: CatalogListing) {
  return [
    ...listing.tables().map((t) => ({
      schema: t.source,
      name: t.table,
      kind: 'r',
      columns: t.columns,
      rows: t.rowCount ?? -1,
    })),
    ...listing.views().map((v) => ({
      schema: v.path.slice(0, -1).join('.'),
      name: v.path[v.path.length - 1],
      kind: 'v',
      columns: v.columns,
      rows: -1,
    })),
  ].map((c) => ({
    ...c,
    oid: catalogOid('class', `${c.schema}.${c.name}`),
    namespace: catalogOid('namespace', c.schema),
  }));
}

/** A table of pg_catalog that clients join to but Tributary has nothing for (no indexes, no constraints). */
function empty(name: string, columns: SystemTable['columns']): SystemTable {
  return { schema: 'pg_catalog', name, columns, rows: () => [] };
}

export const PG_CATALOG_TABLES: readonly SystemTable[] = [
  {
    schema: 'pg_catalog',
    name: 'pg_namespace',
    columns: [oidCol('oid'), col('nspname'), oidCol('nspowner'), textsCol('nspacl')],
    rows: (listing) => namespaces(listing).map((n) => [n.oid, n.name, OWNER_OID, null]),
  },
  {
    schema: 'pg_catalog',
    name: 'pg_class',
    columns: [
      oidCol('oid'),
      col('relname'),
      oidCol('relnamespace'),
      oidCol('reltype'),
      oidCol('reloftype'),
      oidCol('relowner'),
      oidCol('relam'),
      oidCol('relfilenode'),
      oidCol('reltablespace'),
      col('relpages', INTEGER),
      col('reltuples', DOUBLE),
      oidCol('reltoastrelid'),
      col('relhasindex', BOOLEAN),
      col('relisshared', BOOLEAN),
      col('relpersistence'),
      col('relkind'),
      col('relnatts', INTEGER),
      col('relchecks', INTEGER),
      col('relhasrules', BOOLEAN),
      col('relhastriggers', BOOLEAN),
      col('relhassubclass', BOOLEAN),
      col('relrowsecurity', BOOLEAN),
      col('relforcerowsecurity', BOOLEAN),
      col('relispopulated', BOOLEAN),
      col('relreplident'),
      col('relispartition', BOOLEAN),
      textsCol('relacl'),
      textsCol('reloptions'),
      col('relpartbound'),
    ],
    rows: (listing) =>
      classes(listing).map((c) => [
        c.oid,
        c.name,
        c.namespace,
        0,
        0,
        OWNER_OID,
        0,
        0,
        0,
        0,
        c.rows,
        0,
        false,
        false,
        'p',
        c.kind,
        c.columns.length,
        0,
        false,
        false,
        false,
        false,
        false,
        true,
        'n',
        false,
        null,
        null,
        null,
      ]),
  },
  {
    schema: 'pg_catalog',
    name: 'pg_attribute',
    columns: [
      oidCol('attrelid'),
      col('attname'),
      oidCol('atttypid'),
      col('attlen', INTEGER),
      col('attnum', INTEGER),
      col('atttypmod', INTEGER),
      col('attndims', INTEGER),
      col('attnotnull', BOOLEAN),
      col('atthasdef', BOOLEAN),
      col('attidentity'),
      col('attgenerated'),
      col('attisdropped', BOOLEAN),
      col('attislocal', BOOLEAN),
      oidCol('attcollation'),
      col('attstattarget', INTEGER),
      col('attstorage'),
      col('attcompression'),
      textsCol('attacl'),
      textsCol('attoptions'),
    ],
    rows: (listing) =>
      classes(listing).flatMap((c) =>
        c.columns.map((column, i): (LiteralValue | readonly LiteralValue[])[] => {
          const { oid, modifier } = pgTypeOfColumn(column.type);
          const len = PG_TYPES.find((t) => t.oid === oid)?.len ?? -1;
          return [
            c.oid,
            column.name,
            oid,
            len,
            i + 1,
            modifier,
            0,
            false,
            false,
            '',
            '',
            false,
            true,
            0,
            -1,
            // Postgres' storage: plain for fixed-width types, extended for variable-width ones.
            len === -1 ? 'x' : 'p',
            '',
            null,
            null,
          ];
        }),
      ),
  },
  {
    schema: 'pg_catalog',
    name: 'pg_type',
    columns: [
      oidCol('oid'),
      col('typname'),
      oidCol('typnamespace'),
      oidCol('typowner'),
      col('typlen', INTEGER),
      col('typbyval', BOOLEAN),
      col('typtype'),
      col('typcategory'),
      col('typisdefined', BOOLEAN),
      col('typdelim'),
      oidCol('typrelid'),
      oidCol('typelem'),
      oidCol('typarray'),
      oidCol('typbasetype'),
      col('typtypmod', INTEGER),
      col('typnotnull', BOOLEAN),
      oidCol('typcollation'),
      col('typndims', INTEGER),
      col('typdefault'),
      // The I/O functions' OIDs, as `'array_in'::regproc` gives them (drivers tell arrays apart
      // by typinput); pg_proc does not list them.
      oidCol('typinput'),
      oidCol('typoutput'),
      oidCol('typreceive'),
      oidCol('typsend'),
    ],
    rows: () =>
      PG_TYPES.map((t) => [
        t.oid,
        t.name,
        PG_CATALOG_OID,
        OWNER_OID,
        t.len,
        t.len > 0 && t.len <= 8,
        'b',
        t.category,
        true,
        ',',
        0,
        t.elem,
        t.array,
        0,
        -1,
        false,
        0,
        0,
        null,
        ...['in', 'out', 'recv', 'send'].map((io) =>
          catalogOid('proc', `f:${t.category === 'A' && t.name.startsWith('_') ? 'array_' : t.name}${io}`),
        ),
      ]),
  },
  {
    schema: 'pg_catalog',
    name: 'pg_database',
    columns: [
      oidCol('oid'),
      col('datname'),
      oidCol('datdba'),
      col('encoding', INTEGER),
      col('datlocprovider'),
      col('datistemplate', BOOLEAN),
      col('datallowconn', BOOLEAN),
      col('datconnlimit', INTEGER),
      col('datcollate'),
      col('datctype'),
      col('daticulocale'),
      textsCol('datacl'),
    ],
    rows: () => [[DATABASE_OID, 'tributary', OWNER_OID, 6, 'c', false, true, -1, 'C', 'C', null, null]],
  },
  {
    schema: 'pg_catalog',
    name: 'pg_roles',
    columns: [
      oidCol('oid'),
      col('rolname'),
      col('rolsuper', BOOLEAN),
      col('rolinherit', BOOLEAN),
      col('rolcreaterole', BOOLEAN),
      col('rolcreatedb', BOOLEAN),
      col('rolcanlogin', BOOLEAN),
      col('rolconnlimit', INTEGER),
      col('rolvaliduntil'),
      textsCol('rolconfig'),
      col('rolreplication', BOOLEAN),
      col('rolbypassrls', BOOLEAN),
    ],
    rows: () => [[OWNER_OID, 'tributary', true, true, false, false, false, -1, null, null, false, false]],
  },
  // Role membership (psql's \du): Tributary's one catalog role is a member of none.
  empty('pg_auth_members', [
    oidCol('roleid'),
    oidCol('member'),
    oidCol('grantor'),
    col('admin_option', BOOLEAN),
  ]),
  {
    schema: 'pg_catalog',
    name: 'pg_language',
    columns: [
      oidCol('oid'),
      // The system column every Postgres table has: the OID of pg_language itself (psql's \dL joins descriptions on it).
      oidCol('tableoid'),
      col('lanname'),
      oidCol('lanowner'),
      col('lanispl', BOOLEAN),
      col('lanpltrusted', BOOLEAN),
      // No procedural language is installed: psql's \dL lists those with a call handler.
      oidCol('lanplcallfoid'),
    ],
    // Postgres' fixed OIDs for its built-in languages; Tributary's functions are all `internal`.
    rows: () => [
      [INTERNAL_LANGUAGE_OID, PG_LANGUAGE_CLASS_OID, 'internal', OWNER_OID, false, false, 0],
      [13, PG_LANGUAGE_CLASS_OID, 'c', OWNER_OID, false, false, 0],
      [14, PG_LANGUAGE_CLASS_OID, 'sql', OWNER_OID, false, true, 0],
    ],
  },
  empty('pg_am', [oidCol('oid'), col('amname'), col('amtype')]),
  empty('pg_index', [
    oidCol('indexrelid'),
    oidCol('indrelid'),
    col('indnatts', INTEGER),
    col('indisunique', BOOLEAN),
    col('indisprimary', BOOLEAN),
    col('indisclustered', BOOLEAN),
    col('indisvalid', BOOLEAN),
    oidsCol('indkey'),
  ]),
  empty('pg_description', [
    oidCol('objoid'),
    oidCol('classoid'),
    col('objsubid', INTEGER),
    col('description'),
  ]),
  {
    schema: 'pg_catalog',
    name: 'pg_proc',
    columns: [
      oidCol('oid'),
      col('proname'),
      oidCol('pronamespace'),
      oidCol('proowner'),
      oidCol('prorettype'),
      col('prokind'),
      col('proretset', BOOLEAN),
      col('pronargs', INTEGER),
      oidsCol('proargtypes'),
      col('prosrc'),
      oidCol('prolang'),
      col('provolatile'),
      col('proparallel'),
      col('prosecdef', BOOLEAN),
      textsCol('proacl'),
    ],
    // Tributary's functions, built in (pg_catalog); their argument types vary by call, so none are listed.
    rows: () =>
      [
        ...scalarFunctionNames().map((name) => [name, 'f'] as const),
        ...[...AGGREGATE_NAMES].map((name) => [name, 'a'] as const),
      ]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([name, kind]) => [
          catalogOid('proc', `${kind}:${name}`),
          name,
          PG_CATALOG_OID,
          OWNER_OID,
          0,
          kind,
          false,
          0,
          [],
          name,
          INTERNAL_LANGUAGE_OID,
          VOLATILE_FUNCTIONS.has(name) ? 'v' : STABLE_FUNCTIONS.has(name) ? 's' : 'i',
          's',
          false,
          null,
        ]),
  },
  {
    schema: 'pg_catalog',
    name: 'pg_settings',
    columns: [col('name'), col('setting'), col('unit'), col('category'), col('short_desc'), col('vartype')],
    rows: () => [
      ['server_version', '15.0', null, 'Preset Options', 'Shows the server version.', 'string'],
      [
        'server_encoding',
        'UTF8',
        null,
        'Preset Options',
        'Shows the server character set encoding.',
        'string',
      ],
      [
        'max_identifier_length',
        '63',
        null,
        'Preset Options',
        'Shows the maximum identifier length.',
        'integer',
      ],
    ],
  },
  empty('pg_attrdef', [oidCol('oid'), oidCol('adrelid'), col('adnum', INTEGER), col('adbin')]),
  empty('pg_collation', [oidCol('oid'), col('collname'), oidCol('collnamespace')]),
  empty('pg_constraint', [
    oidCol('oid'),
    col('conname'),
    oidCol('connamespace'),
    col('contype'),
    oidCol('conrelid'),
    oidCol('contypid'),
    oidCol('confrelid'),
    oidCol('conindid'),
    oidCol('conparentid'),
    col('conislocal', BOOLEAN),
    col('convalidated', BOOLEAN),
    col('condeferrable', BOOLEAN),
    col('condeferred', BOOLEAN),
    oidsCol('conkey'),
    oidsCol('confkey'),
  ]),
  empty('pg_inherits', [
    oidCol('inhrelid'),
    oidCol('inhparent'),
    col('inhseqno', INTEGER),
    col('inhdetachpending', BOOLEAN),
  ]),
  empty('pg_trigger', [
    oidCol('oid'),
    oidCol('tgrelid'),
    col('tgname'),
    col('tgisinternal', BOOLEAN),
    col('tgenabled'),
    oidCol('tgparentid'),
  ]),
  empty('pg_policy', [
    oidCol('oid'),
    col('polname'),
    oidCol('polrelid'),
    col('polcmd'),
    col('polpermissive', BOOLEAN),
    oidsCol('polroles'),
    col('polqual'),
    col('polwithcheck'),
  ]),
  empty('pg_rewrite', [
    oidCol('oid'),
    col('rulename'),
    oidCol('ev_class'),
    col('ev_type'),
    col('ev_enabled'),
    col('is_instead', BOOLEAN),
  ]),
  empty('pg_statistic_ext', [
    oidCol('oid'),
    oidCol('stxrelid'),
    col('stxname'),
    oidCol('stxnamespace'),
    oidsCol('stxkeys'),
    textsCol('stxkind'),
    col('stxstattarget', INTEGER),
  ]),
  empty('pg_publication', [
    oidCol('oid'),
    col('pubname'),
    oidCol('pubowner'),
    col('puballtables', BOOLEAN),
    col('pubinsert', BOOLEAN),
    col('pubupdate', BOOLEAN),
    col('pubdelete', BOOLEAN),
    col('pubtruncate', BOOLEAN),
    col('pubviaroot', BOOLEAN),
  ]),
  empty('pg_publication_rel', [
    oidCol('oid'),
    oidCol('prpubid'),
    oidCol('prrelid'),
    col('prqual'),
    oidsCol('prattrs'),
  ]),
  empty('pg_publication_namespace', [oidCol('oid'), oidCol('pnpubid'), oidCol('pnnspid')]),
  empty('pg_tablespace', [oidCol('oid'), col('spcname'), oidCol('spcowner')]),
  // Catalogs psql's \dC, \do, \dc, \dy, \des and \drds read: Tributary has none of these objects.
  empty('pg_cast', [
    oidCol('oid'),
    oidCol('castsource'),
    oidCol('casttarget'),
    oidCol('castfunc'),
    col('castcontext'),
    col('castmethod'),
  ]),
  empty('pg_operator', [
    oidCol('oid'),
    col('oprname'),
    oidCol('oprnamespace'),
    col('oprkind'),
    oidCol('oprleft'),
    oidCol('oprright'),
    oidCol('oprresult'),
    oidCol('oprcode'),
  ]),
  empty('pg_conversion', [
    oidCol('oid'),
    col('conname'),
    oidCol('connamespace'),
    col('conforencoding', INTEGER),
    col('contoencoding', INTEGER),
    col('condefault', BOOLEAN),
  ]),
  empty('pg_event_trigger', [
    oidCol('oid'),
    col('evtname'),
    col('evtevent'),
    oidCol('evtowner'),
    oidCol('evtfoid'),
    col('evtenabled'),
    textsCol('evttags'),
  ]),
  empty('pg_foreign_data_wrapper', [oidCol('oid'), col('fdwname'), oidCol('fdwowner')]),
  empty('pg_foreign_server', [oidCol('oid'), col('srvname'), oidCol('srvowner'), oidCol('srvfdw')]),
  empty('pg_db_role_setting', [oidCol('setdatabase'), oidCol('setrole'), textsCol('setconfig')]),
  empty('pg_foreign_table', [oidCol('ftrelid'), oidCol('ftserver'), textsCol('ftoptions')]),
  empty('pg_partitioned_table', [oidCol('partrelid'), col('partstrat')]),
  empty('pg_extension', [
    oidCol('oid'),
    col('extname'),
    oidCol('extowner'),
    oidCol('extnamespace'),
    col('extrelocatable', BOOLEAN),
    col('extversion'),
  ]),
  empty('pg_range', [
    oidCol('rngtypid'),
    oidCol('rngsubtype'),
    oidCol('rngmultitypid'),
    oidCol('rngcollation'),
  ]),
  empty('pg_enum', [oidCol('oid'), oidCol('enumtypid'), col('enumsortorder', DOUBLE), col('enumlabel')]),
];
