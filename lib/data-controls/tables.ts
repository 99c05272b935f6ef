// The clinic's rows, table by table, read from the database catalog rather than
// from a hand-kept list: every table with an organization_id column belongs to
// a clinic, so a table added later is exported and deleted without anyone
// remembering to register it here. Secret columns never leave this module.
import type { Db } from '@/lib/db/client';
import type { Tx } from '@/lib/audit/record';

export interface ClinicTable {
  name: string;
  /** Columns in table order, secrets removed. */
  columns: string[];
  /** Primary key columns with their SQL types, for keyset paging. */
  key: { column: string; type: string }[];
  /** Secret columns left out of exports (for the manifest). */
  omitted: string[];
}

/**
 * Columns that hold a secret or a credential (password hashes, token hashes,
 * API key hashes, webhook secrets): never exported, whatever table they are in.
 * The pattern is deliberately broad; KEPT lists the few that only look secret.
 */
const SECRET_COLUMN = /(^|_)(hash|password|secret|token|salt|credentials?|private_key)(_|$)/;
const KEPT: Record<string, readonly string[]> = {
  // The audit chain's own hashes: what lets a reader of the export verify the trail.
  audit_logs: ['hash', 'prev_hash'],
};

export function isSecretColumn(table: string, column: string): boolean {
  return SECRET_COLUMN.test(column) && !(KEPT[table] ?? []).includes(column);
}

/** A double-quoted SQL identifier. Names come from the catalog, and are quoted anyway. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Every table of the application schema with an organization_id column, with its columns and primary key. */
export async function clinicTables(db: Db | Tx): Promise<ClinicTable[]> {
  const columns = await db.$queryRaw<{ table_name: string; column_name: string }[]>`
    SELECT c.table_name, c.column_name
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema = current_schema()
      AND c.table_name IN (SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'organization_id')
    ORDER BY c.table_name, c.ordinal_position`;
  const keys = await db.$queryRaw<{ table_name: string; column_name: string; type: string }[]>`
    SELECT cl.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type
    FROM pg_index i
    JOIN pg_class cl ON cl.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = cl.relnamespace AND n.nspname = current_schema()
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
    WHERE i.indisprimary
    ORDER BY cl.relname, array_position(i.indkey::int2[], a.attnum)`;

  const tables = new Map<string, ClinicTable>();
  for (const { table_name: table, column_name: column } of columns) {
    const entry = tables.get(table) ?? { name: table, columns: [], key: [], omitted: [] };
    if (isSecretColumn(table, column)) entry.omitted.push(column);
    else entry.columns.push(column);
    tables.set(table, entry);
  }
  for (const { table_name: table, column_name: column, type } of keys) tables.get(table)?.key.push({ column, type });
  return [...tables.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export type Row = Record<string, unknown>;

/** A raw value as JSON can carry it: instants as ISO strings, 64-bit integers as strings (JSON numbers lose them). */
export function jsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}

/**
 * The clinic's rows of one table in primary-key order, `pageSize` at a time
 * (keyset paging, so a large table is never read whole). Values are JSON-ready.
 */
export async function* clinicRows(db: Db, table: ClinicTable, organizationId: string, pageSize = 500): AsyncGenerator<Row> {
  if (table.key.length === 0) throw new Error(`table ${table.name} has no primary key to page by`);
  const select = table.columns.map(ident).join(', ');
  const keyList = table.key.map((k) => ident(k.column)).join(', ');
  // Key values go back as text and are cast to the column's own type, so any key type pages the same way.
  const keyParams = table.key.map((k, i) => `$${i + 2}::text::${k.type}`).join(', ');
  const first = `SELECT ${select} FROM ${ident(table.name)} WHERE "organization_id" = $1::uuid ORDER BY ${keyList} LIMIT ${pageSize}`;
  const next = `SELECT ${select} FROM ${ident(table.name)} WHERE "organization_id" = $1::uuid AND (${keyList}) > (${keyParams}) ORDER BY ${keyList} LIMIT ${pageSize}`;
  let after: string[] | null = null;
  for (;;) {
    const rows: Row[] = after ? await db.$queryRawUnsafe<Row[]>(next, organizationId, ...after) : await db.$queryRawUnsafe<Row[]>(first, organizationId);
    for (const row of rows) yield Object.fromEntries(Object.entries(row).map(([k, v]) => [k, jsonValue(v)]));
    if (rows.length < pageSize) return;
    const last = rows.at(-1)!;
    after = table.key.map((k) => String(jsonValue(last[k.column])));
  }
}

/** How many rows of the clinic each table holds. */
export async function countClinicRows(db: Db | Tx, tables: ClinicTable[], organizationId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM ${ident(table.name)} WHERE "organization_id" = $1::uuid`, organizationId);
    counts[table.name] = Number(row?.n ?? 0);
  }
  return counts;
}
