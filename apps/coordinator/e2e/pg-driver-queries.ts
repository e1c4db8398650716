/**
 * Start-up and metadata queries that Postgres drivers and BI tools send, as they send them
 * (the text their sources build, with the patterns a client would fill in), for the pg-wire
 * e2e test to replay: pgJDBC (DBeaver, Metabase, Tableau and DataGrip connect through it),
 * psycopg 3, npgsql, SQLAlchemy and node-postgres.
 */
export interface DriverQuery {
  readonly client: string;
  readonly sql: string;
}

/** pgJDBC's DatabaseMetaData.getTables(null, "tpch", "%", {"TABLE", "VIEW"}). */
export const PGJDBC_GET_TABLES: DriverQuery = {
  client: 'pgJDBC getTables',
  sql:
    "SELECT NULL AS TABLE_CAT, n.nspname AS TABLE_SCHEM, c.relname AS TABLE_NAME,  CASE n.nspname ~ '" +
    "^pg_' OR n.nspname = 'information_schema'  WHEN true THEN CASE  WHEN n.nspname = 'pg_catalog' OR" +
    " n.nspname = 'information_schema' THEN CASE c.relkind   WHEN 'r' THEN 'SYSTEM TABLE'   WHEN 'v' " +
    "THEN 'SYSTEM VIEW'   WHEN 'i' THEN 'SYSTEM INDEX'   ELSE NULL   END  WHEN n.nspname = 'pg_toast'" +
    " THEN CASE c.relkind   WHEN 'r' THEN 'SYSTEM TOAST TABLE'   WHEN 'i' THEN 'SYSTEM TOAST INDEX'  " +
    " ELSE NULL   END  ELSE CASE c.relkind   WHEN 'r' THEN 'TEMPORARY TABLE'   WHEN 'p' THEN 'TEMPORA" +
    "RY TABLE'   WHEN 'i' THEN 'TEMPORARY INDEX'   WHEN 'S' THEN 'TEMPORARY SEQUENCE'   WHEN 'v' THEN" +
    " 'TEMPORARY VIEW'   ELSE NULL   END  END  WHEN false THEN CASE c.relkind  WHEN 'r' THEN 'TABLE' " +
    " WHEN 'p' THEN 'PARTITIONED TABLE'  WHEN 'i' THEN 'INDEX'  WHEN 'P' then 'PARTITIONED INDEX'  WH" +
    "EN 'S' THEN 'SEQUENCE'  WHEN 'v' THEN 'VIEW'  WHEN 'c' THEN 'TYPE'  WHEN 'f' THEN 'FOREIGN TABLE" +
    "'  WHEN 'm' THEN 'MATERIALIZED VIEW'  ELSE NULL  END  ELSE NULL  END  AS TABLE_TYPE, d.descripti" +
    "on AS REMARKS,  '' as TYPE_CAT, '' as TYPE_SCHEM, '' as TYPE_NAME, '' AS SELF_REFERENCING_COL_NA" +
    "ME, '' AS REF_GENERATION  FROM pg_catalog.pg_namespace n, pg_catalog.pg_class c  LEFT JOIN pg_ca" +
    "talog.pg_description d ON (c.oid = d.objoid AND d.objsubid = 0  and d.classoid = 'pg_class'::reg" +
    "class)  WHERE c.relnamespace = n.oid  AND n.nspname LIKE 'tpch' AND c.relname LIKE '%' AND (fals" +
    "e  OR ( c.relkind = 'r' AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' )  OR ( c." +
    "relkind = 'v' AND n.nspname <> 'pg_catalog' AND n.nspname <> 'information_schema' ) )  ORDER BY " +
    'TABLE_TYPE,TABLE_SCHEM,TABLE_NAME',
};

/** pgJDBC's DatabaseMetaData.getColumns(null, "tpch", "nation", "%"). */
export const PGJDBC_GET_COLUMNS: DriverQuery = {
  client: 'pgJDBC getColumns',
  sql:
    "SELECT * FROM (SELECT n.nspname,c.relname,a.attname,a.atttypid,a.attnotnull OR (t.typtype = 'd' " +
    'AND t.typnotnull) AS attnotnull,a.atttypmod,a.attlen,t.typtypmod,row_number() OVER (PARTITION BY' +
    " a.attrelid ORDER BY a.attnum) AS attnum, nullif(a.attidentity, '') as attidentity,nullif(a.attg" +
    "enerated, '') as attgenerated,pg_catalog.pg_get_expr(def.adbin, def.adrelid) AS adsrc,dsc.descri" +
    'ption,t.typbasetype,t.typtype  FROM pg_catalog.pg_namespace n  JOIN pg_catalog.pg_class c ON (c.' +
    'relnamespace = n.oid)  JOIN pg_catalog.pg_attribute a ON (a.attrelid=c.oid)  JOIN pg_catalog.pg_' +
    'type t ON (a.atttypid = t.oid)  LEFT JOIN pg_catalog.pg_attrdef def ON (a.attrelid=def.adrelid A' +
    'ND a.attnum = def.adnum)  LEFT JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.att' +
    "num = dsc.objsubid)  LEFT JOIN pg_catalog.pg_class dc ON (dc.oid=dsc.classoid AND dc.relname='pg" +
    "_class')  LEFT JOIN pg_catalog.pg_namespace dn ON (dc.relnamespace=dn.oid AND dn.nspname='pg_cat" +
    "alog')  WHERE c.relkind in ('r','p','v','f','m') and a.attnum > 0 AND NOT a.attisdropped  AND n." +
    "nspname LIKE 'tpch' AND c.relname LIKE 'nation') c WHERE true  ORDER BY nspname,c.relname,attnum",
};

/** psycopg 3's TypeInfo.fetch(conn, "numeric"). */
export const PSYCOPG_TYPE_INFO: DriverQuery = {
  client: 'psycopg TypeInfo.fetch',
  sql:
    'SELECT typname AS name, oid, typarray AS array_oid, oid::regtype::text AS regtype, typdelim AS delimiter ' +
    "FROM pg_type t WHERE t.oid = to_regtype('numeric') ORDER BY t.oid",
};

/**
 * npgsql's type loading at its first connection (PostgresDatabaseInfo: the version, the types,
 * composite types' fields and enum labels), sent as one simple Query message.
 */
export const NPGSQL_LOAD_TYPES: DriverQuery = {
  client: 'npgsql PostgresDatabaseInfo',
  sql:
    'SELECT pg_catalog.version();\n' +
    'SELECT ns.nspname, t.oid, t.typname, t.typtype, t.typnotnull, t.elemtypoid\n' +
    'FROM (\n' +
    '    SELECT\n' +
    '        typ.oid, typ.typnamespace, typ.typname, typ.typtype, typ.typrelid, typ.typnotnull, typ.relkind,\n' +
    '        elemtyp.oid AS elemtypoid, elemtyp.typname AS elemtypname, elemcls.relkind AS elemrelkind,\n' +
    "        CASE WHEN elemproc.proname='array_recv' THEN 'a' ELSE elemtyp.typtype END AS elemtyptype\n" +
    '    FROM (\n' +
    '        SELECT typ.oid, typnamespace, typname, typrelid, typnotnull, relkind, typelem AS elemoid,\n' +
    "            CASE WHEN proc.proname='array_recv' THEN 'a' ELSE typ.typtype END AS typtype,\n" +
    '            CASE\n' +
    "                WHEN proc.proname='array_recv' THEN typ.typelem\n" +
    "                WHEN typ.typtype='r' THEN rngsubtype\n" +
    "                WHEN typ.typtype='m' THEN (SELECT rngtypid FROM pg_range WHERE rngmultitypid = typ.oid)\n" +
    "                WHEN typ.typtype='d' THEN typ.typbasetype\n" +
    '            END AS elemtypoid\n' +
    '        FROM pg_catalog.pg_type AS typ\n' +
    '        LEFT JOIN pg_catalog.pg_class AS cls ON (cls.oid = typ.typrelid)\n' +
    '        LEFT JOIN pg_catalog.pg_proc AS proc ON proc.oid = typ.typreceive\n' +
    '        LEFT JOIN pg_catalog.pg_range AS rng ON (rng.rngtypid = typ.oid)\n' +
    '    ) AS typ\n' +
    '    LEFT JOIN pg_catalog.pg_type AS elemtyp ON elemtyp.oid = elemtypoid\n' +
    '    LEFT JOIN pg_catalog.pg_class AS elemcls ON (elemcls.oid = elemtyp.typrelid)\n' +
    '    LEFT JOIN pg_catalog.pg_proc AS elemproc ON elemproc.oid = elemtyp.typreceive\n' +
    ') AS t\n' +
    'JOIN pg_catalog.pg_namespace AS ns ON (ns.oid = typnamespace)\n' +
    'WHERE\n' +
    "    typtype IN ('b', 'r', 'm', 'e', 'd') OR\n" +
    "    (typtype = 'c' AND relkind='c') OR\n" +
    "    (typtype = 'p' AND typname IN ('record', 'void')) OR\n" +
    "    (typtype = 'a' AND (\n" +
    "        elemtyptype IN ('b', 'r', 'm', 'e', 'd') OR\n" +
    "        (elemtyptype = 'p' AND elemtypname IN ('record', 'void')) OR\n" +
    "        (elemtyptype = 'c' AND elemrelkind='c')\n" +
    '    ))\n' +
    'ORDER BY CASE\n' +
    "       WHEN typtype IN ('b', 'e', 'p') THEN 0\n" +
    "       WHEN typtype = 'r' THEN 1\n" +
    "       WHEN typtype = 'm' THEN 2\n" +
    "       WHEN typtype = 'c' THEN 3\n" +
    "       WHEN typtype = 'd' AND elemtyptype <> 'a' THEN 4\n" +
    "       WHEN typtype = 'a' THEN 5\n" +
    "       WHEN typtype = 'd' AND elemtyptype = 'a' THEN 6\n" +
    'END;\n' +
    'SELECT typ.oid, att.attname, att.atttypid\n' +
    'FROM pg_catalog.pg_type AS typ\n' +
    'JOIN pg_catalog.pg_namespace AS ns ON (ns.oid = typ.typnamespace)\n' +
    'JOIN pg_catalog.pg_class AS cls ON (cls.oid = typ.typrelid)\n' +
    'JOIN pg_catalog.pg_attribute AS att ON (att.attrelid = typ.typrelid)\n' +
    'WHERE\n' +
    "  (typ.typtype = 'c' AND cls.relkind='c') AND\n" +
    '  attnum > 0 AND\n' +
    '  NOT attisdropped\n' +
    'ORDER BY typ.oid, att.attnum;\n' +
    'SELECT pg_type.oid, enumlabel\n' +
    'FROM pg_catalog.pg_enum\n' +
    'JOIN pg_catalog.pg_type ON pg_type.oid=enumtypid\n' +
    'ORDER BY oid, enumsortorder;\n',
};

/** Metabase's schema listing (its Postgres driver, over pgJDBC). */
export const METABASE_SCHEMAS: DriverQuery = {
  client: 'Metabase schemas',
  sql:
    'SELECT nspname AS "TABLE_SCHEM", current_database() AS "TABLE_CATALOG" FROM pg_catalog.pg_namespace ' +
    "WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg_%' ORDER BY nspname",
};

/** What drivers send at connect and as keep-alives, each answering one row or only a tag. */
export const SESSION_QUERIES: readonly DriverQuery[] = [
  { client: 'pgJDBC connect', sql: 'SET extra_float_digits = 3' },
  { client: 'pgJDBC connect', sql: "SET application_name = 'PostgreSQL JDBC Driver'" },
  { client: 'pool keep-alive', sql: 'SELECT 1' },
  { client: 'pgJDBC getTransactionIsolation', sql: 'SHOW TRANSACTION ISOLATION LEVEL' },
  { client: 'SQLAlchemy connect', sql: 'select pg_catalog.version()' },
  { client: 'SQLAlchemy connect', sql: 'select current_schema()' },
  { client: 'SQLAlchemy connect', sql: 'show standard_conforming_strings' },
];

/**
 * pgJDBC's TypeInfoCache (42.x), prepared with the type's name or OID as $1: getPGType(name)
 * → its OID on the search path, getSQLType(oid) → whether it is an array (typinput is
 * array_in), getPGArrayElement(oid) → the element type of an array type.
 */
export const PGJDBC_TYPE_INFO: Record<'oidByName' | 'typeByOid' | 'arrayElement', DriverQuery> = {
  oidByName: {
    client: 'pgJDBC TypeInfoCache.getPGType',
    sql:
      'SELECT pg_type.oid, typname   FROM pg_catalog.pg_type   LEFT   JOIN (select ns.oid as nspoid, ns.nspname, r.r' +
      '           from pg_namespace as ns           join ( select s.r, (current_schemas(false))[s.r] as nspname' +
      '                    from generate_series(1, array_upper(current_schemas(false), 1)) as s(r) ) as r' +
      '          using ( nspname )        ) as sp     ON sp.nspoid = typnamespace  WHERE typname = $1' +
      '  ORDER BY sp.r, pg_type.oid DESC LIMIT 1',
  },
  typeByOid: {
    client: 'pgJDBC TypeInfoCache.getSQLType',
    sql:
      "SELECT typinput='pg_catalog.array_in'::regproc as is_array, typtype, typname, pg_type.oid" +
      '   FROM pg_catalog.pg_type   LEFT JOIN (select ns.oid as nspoid, ns.nspname, r.r' +
      '           from pg_namespace as ns           join ( select s.r, (current_schemas(false))[s.r] as nspname' +
      '                    from generate_series(1, array_upper(current_schemas(false), 1)) as s(r) ) as r' +
      '          using ( nspname )        ) as sp     ON sp.nspoid = typnamespace  WHERE pg_type.oid = $1' +
      '  ORDER BY sp.r, pg_type.oid DESC',
  },
  arrayElement: {
    client: 'pgJDBC TypeInfoCache.getPGArrayElement',
    sql:
      'SELECT e.oid, n.nspname = ANY(current_schemas(true)), n.nspname, e.typname FROM pg_catalog.pg_type t' +
      ' JOIN pg_catalog.pg_namespace n ON t.typnamespace = n.oid JOIN pg_catalog.pg_type e ON t.typelem = e.oid' +
      ' WHERE t.oid = $1',
  },
};
