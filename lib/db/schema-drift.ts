// The schema drift check behind `npm run db:check`. The SQL in prisma/migrations is the source of truth
// for the database; prisma/schema.prisma mirrors it for the typed client. This reads the Prisma schema
// (a small parser of the subset this project writes), introspects a database the migrations were
// applied to (pg_catalog), and lists every disagreement: tables, columns, types, nullability, defaults,
// primary keys, unique constraints, the indexes the Prisma schema declares, and enums.
import type pg from "pg";

// ---------------------------------------------------------------------------------------------------
// Deliberately unmodelled: tables that exist only in SQL. Each entry says why; anything else in the
// database without a model is drift.
export const SQL_ONLY_TABLES: Readonly<Record<string, string>> = {
  // Bookkeeping of lib/db/migrate.ts, created by the migrator rather than by a migration.
  _cost_review_migrations: "the migrator's own record of applied migrations",
};
// Not checked at all, by construction:
// - partitions (pg_class.relispartition): cost_events is partitioned by month and its partitions are
//   created at run time (lib/ingest/partitions.ts); the partitioned parent is what the model mirrors;
// - unique indexes Prisma cannot declare (partial, or on an expression), e.g. cost_incidents_one_open
//   and review_items_session_endpoint_cohort_key;
// - non-unique indexes the Prisma schema does not declare (raw-SQL lookups), and foreign keys
//   (several models leave their relations to the migration, see the schema's comments);
// - functions and views.
// ---------------------------------------------------------------------------------------------------

export type PrismaField = {
  name: string;
  column: string;
  type: string;
  optional: boolean;
  list: boolean;
  /** The argument of @default(…), as written; null without one. */
  default: string | null;
  /** The native type of @db.X(…), e.g. "Uuid" or "Decimal(6, 2)"; null without one. */
  native: string | null;
  id: boolean;
  /** The map: name of @unique, or "" for @unique without one; null when the field is not unique. */
  unique: string | null;
};
export type PrismaIndex = { fields: string[]; name: string | null; type: string | null };
export type PrismaModel = { name: string; table: string; fields: PrismaField[]; id: string[] | null; uniques: PrismaIndex[]; indexes: PrismaIndex[] };
export type PrismaEnum = { name: string; dbName: string; values: string[] };
export type PrismaSchema = { models: PrismaModel[]; enums: PrismaEnum[] };

export type DbColumn = { name: string; type: string; isEnum: boolean; enumName: string | null; notNull: boolean; default: string | null; identity: boolean };
export type DbIndex = {
  name: string;
  columns: string[];
  unique: boolean;
  primary: boolean;
  method: string;
  /**
   * Partial or on an expression: nothing the Prisma schema can declare. (A NULLS NOT DISTINCT unique
   * index on plain columns is declared as @@unique: the client cannot say "nulls not distinct".)
   */
  unmodellable: boolean;
};
export type DbTable = { name: string; columns: DbColumn[]; indexes: DbIndex[] };
export type DbSchema = { tables: DbTable[]; enums: { name: string; values: string[] }[] };

const SCALARS = new Set(["String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime", "Json", "Bytes"]);

/** Removes `//` comments (and `///` doc comments) outside string literals. */
function stripComments(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      let inString = false;
      for (let i = 0; i < line.length; i++) {
        const ch = line[i];
        if (ch === "\\" && inString) i++;
        else if (ch === '"') inString = !inString;
        else if (!inString && ch === "/" && line[i + 1] === "/") return line.slice(0, i);
      }
      return line;
    })
    .join("\n");
}

/** The attributes of a field or block line: `@name(args)` / `@@name(args)`, args as written (null without parentheses). */
export function parseAttributes(text: string): { name: string; args: string | null }[] {
  const out: { name: string; args: string | null }[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "@") {
      i++;
      continue;
    }
    let j = i;
    while (text[j] === "@") j++;
    const m = /^[A-Za-z_][\w.]*/.exec(text.slice(j));
    if (!m) throw new Error(`Unreadable attribute in: ${text}`);
    const name = text.slice(i, j) + m[0];
    j += m[0].length;
    let args: string | null = null;
    if (text[j] === "(") {
      let depth = 0;
      let inString = false;
      let k = j;
      for (; k < text.length; k++) {
        const ch = text[k];
        if (inString) {
          if (ch === "\\") k++;
          else if (ch === '"') inString = false;
        } else if (ch === '"') inString = true;
        else if (ch === "(" || ch === "[") depth++;
        else if (ch === ")" || ch === "]") {
          depth--;
          if (depth === 0 && ch === ")") break;
        }
      }
      if (k >= text.length) throw new Error(`Unbalanced parentheses in: ${text}`);
      args = text.slice(j + 1, k);
      j = k + 1;
    }
    out.push({ name, args });
    i = j;
  }
  return out;
}

/** Splits attribute arguments at top-level commas. */
function splitArgs(args: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let k = 0; k < args.length; k++) {
    const ch = args[k];
    if (inString) {
      if (ch === "\\") k++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "(" || ch === "[") depth++;
    else if (ch === ")" || ch === "]") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(args.slice(start, k).trim());
      start = k + 1;
    }
  }
  parts.push(args.slice(start).trim());
  return parts.filter((p) => p !== "");
}

/** A string literal's value. */
function unquote(s: string): string {
  const m = /^"((?:[^"\\]|\\.)*)"$/.exec(s.trim());
  if (!m) throw new Error(`Expected a string literal, got ${s}`);
  return (m[1] ?? "").replace(/\\(.)/g, "$1");
}

/** Named and positional arguments of an attribute: `[a, b], map: "x", type: Gin`. */
function namedArgs(args: string | null): { positional: string[]; named: Map<string, string> } {
  const positional: string[] = [];
  const named = new Map<string, string>();
  for (const part of args === null ? [] : splitArgs(args)) {
    const m = /^(\w+)\s*:\s*([\s\S]+)$/.exec(part);
    if (m) named.set(m[1]!, m[2]!.trim());
    else positional.push(part);
  }
  return { positional, named };
}

function fieldList(s: string): string[] {
  const m = /^\[([\s\S]*)\]$/.exec(s.trim());
  if (!m) throw new Error(`Expected a list of fields, got ${s}`);
  // A field may carry arguments, e.g. [ts(sort: Desc)]: only the name matters here.
  return splitArgs(m[1] ?? "").map((f) => f.replace(/\(.*\)$/, "").trim());
}

/** Parses the models and enums of a Prisma schema (generator and datasource blocks are skipped). */
export function parsePrismaSchema(text: string): PrismaSchema {
  const lines = stripComments(text).split("\n");
  const blocks: { kind: string; name: string; body: string[] }[] = [];
  let current: { kind: string; name: string; body: string[] } | null = null;
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (current === null) {
      const m = /^(model|enum|generator|datasource|view|type)\s+(\w+)\s*\{$/.exec(line);
      if (!m) throw new Error(`Unexpected line outside a block: ${line}`);
      current = { kind: m[1]!, name: m[2]!, body: [] };
    } else if (line === "}") {
      blocks.push(current);
      current = null;
    } else current.body.push(line);
  }
  if (current !== null) throw new Error(`Block ${current.name} is not closed`);

  const enums: PrismaEnum[] = blocks
    .filter((b) => b.kind === "enum")
    .map((b) => {
      const map = b.body.flatMap((l) => parseAttributes(l)).find((a) => a.name === "@@map");
      return {
        name: b.name,
        dbName: map?.args ? unquote(map.args) : b.name,
        values: b.body.filter((l) => !l.startsWith("@@")).map((l) => l.split(/\s+/)[0]!),
      };
    });
  const enumNames = new Set(enums.map((e) => e.name));
  if (blocks.some((b) => b.kind === "view" || b.kind === "type")) throw new Error("views and composite types are not supported by the drift check");

  const models: PrismaModel[] = blocks
    .filter((b) => b.kind === "model")
    .map((b) => {
      const model: PrismaModel = { name: b.name, table: b.name, fields: [], id: null, uniques: [], indexes: [] };
      for (const line of b.body) {
        if (line.startsWith("@@")) {
          for (const attr of parseAttributes(line)) {
            const { positional, named } = namedArgs(attr.args);
            const name = named.has("map") ? unquote(named.get("map")!) : named.has("name") ? unquote(named.get("name")!) : null;
            if (attr.name === "@@map") model.table = unquote(positional[0] ?? "");
            else if (attr.name === "@@id") model.id = fieldList(positional[0] ?? named.get("fields")!);
            else if (attr.name === "@@unique") model.uniques.push({ fields: fieldList(positional[0] ?? named.get("fields")!), name, type: null });
            else if (attr.name === "@@index") model.indexes.push({ fields: fieldList(positional[0] ?? named.get("fields")!), name, type: named.get("type") ?? null });
            else throw new Error(`Model ${b.name}: the drift check does not know ${attr.name}`);
          }
          continue;
        }
        const m = /^(\w+)\s+(\w+)(\[\])?(\?)?\s*(.*)$/.exec(line);
        if (!m) throw new Error(`Model ${b.name}: unreadable field line: ${line}`);
        const [, name = "", type = "", list, optional, rest = ""] = m;
        if (!SCALARS.has(type) && !enumNames.has(type)) continue; // a relation field: no column of its own
        const attrs = parseAttributes(rest);
        const get = (n: string) => attrs.find((a) => a.name === n);
        const native = attrs.find((a) => a.name.startsWith("@db."));
        const unique = get("@unique");
        const field: PrismaField = {
          name,
          column: get("@map")?.args ? unquote(get("@map")!.args!) : name,
          type,
          optional: optional === "?",
          list: list === "[]",
          default: get("@default")?.args ?? null,
          native: native ? native.name.slice("@db.".length) + (native.args !== null ? `(${native.args})` : "") : null,
          id: get("@id") !== undefined,
          unique: unique ? (namedArgs(unique.args).named.has("map") ? unquote(namedArgs(unique.args).named.get("map")!) : "") : null,
        };
        model.fields.push(field);
      }
      const idField = model.fields.filter((f) => f.id).map((f) => f.name);
      if (idField.length) model.id = idField;
      return model;
    });
  return { models, enums };
}

/** Reads tables (not partitions), columns, indexes and enums of the connection's current schema. */
export async function introspect(db: pg.Pool | pg.PoolClient | pg.Client): Promise<DbSchema> {
  const [columns, indexes, enums] = await Promise.all([
    db.query<{ table: string; column: string; type: string; typtype: string; typname: string; elemtyptype: string | null; elemtypname: string | null; not_null: boolean; default: string | null; identity: boolean }>(
      `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
              t.typtype::text AS typtype, t.typname::text AS typname, et.typtype::text AS elemtyptype, et.typname::text AS elemtypname,
              a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity <> '' AS identity
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
       LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
       WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
       ORDER BY c.relname, a.attnum`,
    ),
    db.query<{ table: string; name: string; columns: string[]; unique: boolean; primary: boolean; method: string; unmodellable: boolean }>(
      `SELECT c.relname AS table, i.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary, am.amname::text AS method,
              (ix.indpred IS NOT NULL OR ix.indexprs IS NOT NULL) AS unmodellable,
              ARRAY(SELECT a.attname::text FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
                    WHERE k.ord <= ix.indnkeyatts ORDER BY k.ord) AS columns
       FROM pg_index ix
       JOIN pg_class c ON c.oid = ix.indrelid
       JOIN pg_class i ON i.oid = ix.indexrelid
       JOIN pg_am am ON am.oid = i.relam
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
       WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
       ORDER BY c.relname, i.relname`,
    ),
    db.query<{ name: string; values: string[] }>(
      `SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace AND n.nspname = current_schema()
       GROUP BY t.typname ORDER BY t.typname`,
    ),
  ]);
  const tables = new Map<string, DbTable>();
  for (const c of columns.rows) {
    const table = tables.get(c.table) ?? { name: c.table, columns: [], indexes: [] };
    tables.set(c.table, table);
    const isEnum = c.typtype === "e" || c.elemtyptype === "e";
    table.columns.push({
      name: c.column,
      type: c.type,
      isEnum,
      enumName: c.typtype === "e" ? c.typname : c.elemtyptype === "e" ? c.elemtypname : null,
      notNull: c.not_null,
      default: c.default,
      identity: c.identity,
    });
  }
  for (const ix of indexes.rows) tables.get(ix.table)?.indexes.push({ ...ix });
  return { tables: [...tables.values()], enums: enums.rows };
}

/** The PostgreSQL type (as format_type spells it) that a Prisma field maps to; enums are compared by name instead. */
export function expectedType(f: PrismaField): string {
  const native = f.native?.replace(/\s+/g, "");
  let base: string;
  if (native) {
    const m = /^(\w+)(?:\((.*)\))?$/.exec(native)!;
    const [, kind = "", args] = m;
    const withArgs = (name: string) => (args ? `${name}(${args})` : name);
    const map: Record<string, () => string> = {
      Uuid: () => "uuid",
      Text: () => "text",
      VarChar: () => withArgs("character varying"),
      Char: () => withArgs("character"),
      Decimal: () => withArgs("numeric"),
      Timestamptz: () => (args ? `timestamp(${args}) with time zone` : "timestamp with time zone"),
      Timestamp: () => (args ? `timestamp(${args}) without time zone` : "timestamp without time zone"),
      Date: () => "date",
      Integer: () => "integer",
      SmallInt: () => "smallint",
      BigInt: () => "bigint",
      DoublePrecision: () => "double precision",
      Real: () => "real",
      Boolean: () => "boolean",
      JsonB: () => "jsonb",
      Json: () => "json",
      Inet: () => "inet",
      ByteA: () => "bytea",
    };
    const make = map[kind];
    if (!make) throw new Error(`Field ${f.name}: the drift check does not know @db.${kind}`);
    base = make();
  } else {
    const defaults: Record<string, string> = {
      String: "text",
      Int: "integer",
      BigInt: "bigint",
      Float: "double precision",
      Decimal: "numeric(65,30)",
      Boolean: "boolean",
      DateTime: "timestamp(3) without time zone",
      Json: "jsonb",
      Bytes: "bytea",
    };
    const known = defaults[f.type];
    if (!known) throw new Error(`Field ${f.name}: the drift check does not know the type ${f.type}`);
    base = known;
  }
  return f.list ? `${base}[]` : base;
}

/** A column default as PostgreSQL prints it, without its casts and quotes: `'USD'::text` → USD, `CURRENT_TIMESTAMP` → now(). */
export function normaliseDbDefault(expr: string): string {
  let s = expr.trim();
  for (;;) {
    const stripped = s.replace(/::(?:"[^"]+"|[a-z_][a-z_ ]*?(?:\(\d+(?:,\s*\d+)?\))?(?: with(?:out)? time zone)?)(?:\[\])?$/i, "");
    if (stripped === s) break;
    s = stripped.trim();
    if (/^\(.*\)$/.test(s) && !/^\(.*\)\s*\(/.test(s)) s = s.slice(1, -1).trim();
  }
  const quoted = /^'((?:[^']|'')*)'$/.exec(s);
  if (quoted) return (quoted[1] ?? "").replace(/''/g, "'");
  if (/^(current_timestamp|now\(\))(\(\d+\))?$/i.test(s)) return "now()";
  if (/^ARRAY\[\]$/i.test(s)) return "{}";
  return s;
}

/** What the database default should read as (normalised), for a Prisma @default argument; null: no database default. */
export function expectedDefault(f: PrismaField): string | null | "autoincrement" {
  const d = f.default?.trim();
  if (d === undefined || d === null) return null;
  if (d === "autoincrement()") return "autoincrement";
  if (d === "now()") return "now()";
  if (/^(uuid|cuid|nanoid|ulid)\(.*\)$/.test(d)) return null; // generated by the client, not the database
  const gen = /^dbgenerated\(([\s\S]*)\)$/.exec(d);
  if (gen) return normaliseDbDefault(unquote(gen[1] ?? ""));
  if (d.startsWith('"')) return unquote(d);
  if (d.startsWith("[")) {
    const items = splitArgs(d.slice(1, -1)).map((v) => (v.startsWith('"') ? unquote(v) : v));
    return `{${items.join(",")}}`;
  }
  return d; // numbers, booleans, enum values
}

function sameDefault(expected: string, actual: string): boolean {
  if (expected === actual) return true;
  // Numbers may be printed with or without a decimal part (1 vs 1.0).
  return /^-?\d+(\.\d+)?$/.test(expected) && /^-?\d+(\.\d+)?$/.test(actual) && Number(expected) === Number(actual);
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Every disagreement between the Prisma schema and the database, as readable sentences; empty when they agree. */
export function compareSchemas(prisma: PrismaSchema, db: DbSchema, sqlOnlyTables: Readonly<Record<string, string>> = SQL_ONLY_TABLES): string[] {
  const problems: string[] = [];
  const tables = new Map(db.tables.map((t) => [t.name, t]));
  const modelled = new Set(prisma.models.map((m) => m.table));
  for (const t of db.tables) {
    if (!modelled.has(t.name) && !(t.name in sqlOnlyTables)) {
      problems.push(`table ${t.name} exists in the migrations but no model maps to it (model it, or add it to SQL_ONLY_TABLES with a reason)`);
    }
  }
  for (const name of Object.keys(sqlOnlyTables)) {
    if (modelled.has(name)) problems.push(`table ${name} is listed in SQL_ONLY_TABLES but a model maps to it`);
  }

  const dbEnums = new Map(db.enums.map((e) => [e.name, e.values]));
  const prismaEnums = new Map(prisma.enums.map((e) => [e.name, e]));
  for (const e of prisma.enums) {
    const values = dbEnums.get(e.dbName);
    if (!values) problems.push(`enum ${e.name}: no type "${e.dbName}" in the database`);
    else if (!sameList(values, e.values)) problems.push(`enum ${e.name}: values are ${e.values.join(", ")} in the Prisma schema but ${values.join(", ")} in the database`);
  }
  for (const e of db.enums) {
    if (!prisma.enums.some((p) => p.dbName === e.name)) problems.push(`enum type "${e.name}" exists in the migrations but not in the Prisma schema`);
  }

  for (const model of prisma.models) {
    const table = tables.get(model.table);
    const where = `${model.name} (${model.table})`;
    if (!table) {
      problems.push(`${where}: no such table in the migrations`);
      continue;
    }
    const columns = new Map(table.columns.map((c) => [c.name, c]));
    const fieldColumns = new Set(model.fields.map((f) => f.column));
    for (const c of table.columns) {
      if (!fieldColumns.has(c.name)) problems.push(`${where}: column ${c.name} exists in the migrations but no field maps to it`);
    }
    for (const f of model.fields) {
      const c = columns.get(f.column);
      const at = `${where}.${f.name}`;
      if (!c) {
        problems.push(`${at}: no column ${f.column} in the migrations`);
        continue;
      }
      const e = prismaEnums.get(f.type);
      if (e) {
        if (!c.isEnum || c.enumName !== e.dbName || f.list !== c.type.endsWith("[]")) problems.push(`${at}: enum ${e.dbName}${f.list ? "[]" : ""} in the Prisma schema but ${c.type} in the database`);
      } else if (expectedType(f) !== c.type) {
        problems.push(`${at}: ${expectedType(f)} in the Prisma schema but ${c.type} in the database`);
      }
      if (f.optional === c.notNull) problems.push(`${at}: ${f.optional ? "optional" : "required"} in the Prisma schema but ${c.notNull ? "NOT NULL" : "nullable"} in the database`);
      const want = expectedDefault(f);
      const have = c.identity ? "autoincrement" : c.default === null ? null : /^nextval\(/i.test(c.default) ? "autoincrement" : normaliseDbDefault(c.default);
      if (want === null && have !== null) problems.push(`${at}: the database has a default (${c.default ?? "identity"}) that the Prisma schema does not declare`);
      else if (want !== null && have === null) problems.push(`${at}: @default(${f.default}) in the Prisma schema but no default in the database`);
      else if (want !== null && have !== null && !sameDefault(want, have)) problems.push(`${at}: @default(${f.default}) in the Prisma schema but DEFAULT ${c.default} in the database`);
    }

    const columnsOf = (fields: string[]) =>
      fields.map((name) => {
        const f = model.fields.find((x) => x.name === name);
        if (!f) problems.push(`${where}: an attribute names ${name}, which is not a scalar field of the model`);
        return f?.column ?? name;
      });
    const pk = table.indexes.find((i) => i.primary);
    if (model.id) {
      const cols = columnsOf(model.id);
      if (!pk) problems.push(`${where}: primary key (${cols.join(", ")}) in the Prisma schema but none in the database`);
      else if (!sameList(pk.columns, cols)) problems.push(`${where}: primary key (${cols.join(", ")}) in the Prisma schema but (${pk.columns.join(", ")}) in the database`);
    } else if (pk) problems.push(`${where}: primary key (${pk.columns.join(", ")}) in the database but none in the Prisma schema`);

    const declaredUniques = [
      ...model.fields.filter((f) => f.unique !== null).map((f) => ({ columns: [f.column], name: f.unique || null })),
      ...model.uniques.map((u) => ({ columns: columnsOf(u.fields), name: u.name })),
    ];
    const dbUniques = table.indexes.filter((i) => i.unique && !i.primary && !i.unmodellable);
    for (const u of declaredUniques) {
      const match = dbUniques.find((i) => sameList(i.columns, u.columns));
      if (!match) problems.push(`${where}: unique (${u.columns.join(", ")}) in the Prisma schema but no such unique index in the database`);
      else if (u.name && match.name !== u.name) problems.push(`${where}: unique (${u.columns.join(", ")}) is named ${u.name} in the Prisma schema but ${match.name} in the database`);
    }
    for (const i of dbUniques) {
      if (!declaredUniques.some((u) => sameList(u.columns, i.columns))) problems.push(`${where}: unique index ${i.name} (${i.columns.join(", ")}) in the database is not declared in the Prisma schema`);
    }

    for (const ix of model.indexes) {
      const cols = columnsOf(ix.fields);
      const method = (ix.type ?? "BTree").toLowerCase();
      const match = table.indexes.find((i) => !i.unique && sameList(i.columns, cols) && i.method === method && (!ix.name || i.name === ix.name));
      if (!match) {
        problems.push(`${where}: index${ix.name ? ` ${ix.name}` : ""} (${cols.join(", ")})${ix.type ? ` of type ${ix.type}` : ""} in the Prisma schema but no such index in the database`);
      }
    }
  }
  return problems;
}
