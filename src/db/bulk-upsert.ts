// Set-based upsert of many rows in one statement: the rows travel as one JSON document,
// conflicting rows are updated only when a value actually differs, and the
// statement answers how many rows it created and updated (the rest were unchanged).
// Table and column names come from code, never from input.

/** Runs one SQL statement with positional parameters on a transaction's connection. */
export type SqlQuery = <T>(sql: string, params: unknown[]) => Promise<T[]>;

export type ArrayType = "int4" | "text" | "date" | "timestamptz" | "numeric" | "jsonb" | "bool";

export interface BulkColumn {
  name: string;
  type: ArrayType;
  values: unknown[];
  /** SQL turning the unnested value `{}` into the column's value, e.g. `{}::"TouchpointKind"`. */
  cast?: string;
  /** Updated on conflict (default true). Key columns are never updated. */
  update?: boolean;
}

export interface BulkUpsert {
  table: string;
  /** Constant values for every row (workspaceId, source, …); not updated on conflict. `cast` as for columns. */
  constants: Record<string, { value: unknown; type: ArrayType; cast?: string }>;
  columns: BulkColumn[];
  conflict: string[];
  /** Extra assignments on update, such as `"updatedAt" = now()`, applied only when something changed. */
  touch?: string[];
}

export interface BulkUpsertResult {
  created: number;
  updated: number;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

const dayTexts = new Map<number, string>();

/** A day as YYYY-MM-DD. A usage file repeats the same days many times over: each is formatted once. */
export function dayText(day: Date): string {
  const time = day.getTime();
  let text = dayTexts.get(time);
  if (text === undefined) {
    if (dayTexts.size > 20_000) dayTexts.clear();
    text = day.toISOString().slice(0, 10);
    dayTexts.set(time, text);
  }
  return text;
}

/** Text for values JSON has no type for (days, instants). */
function toText(value: unknown, type: ArrayType): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return type === "date" ? dayText(value) : value.toISOString();
  if (type === "jsonb") return JSON.stringify(value);
  return String(value);
}

export async function bulkUpsert(query: SqlQuery, spec: BulkUpsert): Promise<BulkUpsertResult> {
  const rowCount = spec.columns[0]?.values.length ?? 0;
  if (rowCount === 0) return { created: 0, updated: 0 };
  const params: unknown[] = [];
  const constantNames = Object.keys(spec.constants);
  const constantSql = constantNames.map((name) => {
    const constant = spec.constants[name]!;
    params.push(toText(constant.value, constant.type));
    const value = `$${params.length}::text::${constant.type}`;
    return constant.cast ? constant.cast.replaceAll("{}", value) : value;
  });
  // The rows travel as one JSON document read by json_to_recordset: a single parameter,
  // which costs far less to send than one array per column (measured: the per-element
  // array encoding dominated the client side of large imports).
  const records: Record<string, unknown>[] = new Array(rowCount);
  for (let r = 0; r < rowCount; r++) {
    const record: Record<string, unknown> = {};
    spec.columns.forEach((c, i) => {
      const value = c.values[r];
      record[`c${i}`] = value instanceof Date ? toText(value, c.type) : (value ?? null);
    });
    records[r] = record;
  }
  params.push(JSON.stringify(records));
  const columnSql = spec.columns.map((c, i) => (c.cast ? c.cast.replaceAll("{}", `x.c${i}`) : `x.c${i}`));
  const updatable = spec.columns.filter((c) => c.update !== false && !spec.conflict.includes(c.name));
  const target = spec.table;
  const assignments = [...updatable.map((c) => `${quote(c.name)} = EXCLUDED.${quote(c.name)}`), ...(spec.touch ?? [])];
  const changed = updatable.length
    ? `(${updatable.map((c) => `${quote(target)}.${quote(c.name)}`).join(", ")}) IS DISTINCT FROM (${updatable.map((c) => `EXCLUDED.${quote(c.name)}`).join(", ")})`
    : "false";
  const onConflict = updatable.length ? `DO UPDATE SET ${assignments.join(", ")} WHERE ${changed}` : "DO NOTHING";
  const sql = `
    WITH up AS (
      INSERT INTO ${quote(target)} (${[...constantNames, ...spec.columns.map((c) => c.name)].map(quote).join(", ")})
      SELECT ${[...constantSql, ...columnSql].join(", ")}
        FROM json_to_recordset($${params.length}::json) AS x(${spec.columns.map((c, i) => `c${i} ${c.type}`).join(", ")})
      ON CONFLICT (${spec.conflict.map(quote).join(", ")}) ${onConflict}
      RETURNING (xmax = 0) AS inserted
    )
    SELECT count(*) FILTER (WHERE inserted)::int AS created, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up`;
  const rows = await query<BulkUpsertResult>(sql, params);
  return rows[0] ?? { created: 0, updated: 0 };
}
