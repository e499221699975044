// Set-based upsert of many rows in one statement: the rows travel as one array per column
// (unnest), conflicting rows are updated only when a value actually differs, and the
// statement answers how many rows it created and updated (the rest were unchanged).
// Table and column names come from code, never from input.
import type { DbTx } from "./client.js";

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

/** Values are passed as text arrays and cast in SQL: one serialisation path for every type. */
function toText(value: unknown, type: ArrayType): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return type === "date" ? value.toISOString().slice(0, 10) : value.toISOString();
  if (type === "jsonb") return JSON.stringify(value);
  return String(value);
}

export async function bulkUpsert(tx: DbTx, spec: BulkUpsert): Promise<BulkUpsertResult> {
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
  for (const c of spec.columns) params.push(c.values.map((v) => toText(v, c.type)));
  const columnSql = spec.columns.map((c, i) => {
    const value = `x._c${i}::${c.type}`;
    return c.cast ? c.cast.replaceAll("{}", value) : value;
  });
  const updatable = spec.columns.filter((c) => c.update !== false && !spec.conflict.includes(c.name));
  const target = spec.table;
  const assignments = [...updatable.map((c) => `${quote(c.name)} = EXCLUDED.${quote(c.name)}`), ...(spec.touch ?? [])];
  const changed = updatable.length
    ? `(${updatable.map((c) => `${quote(target)}.${quote(c.name)}`).join(", ")}) IS DISTINCT FROM (${updatable.map((c) => `EXCLUDED.${quote(c.name)}`).join(", ")})`
    : "false";
  const onConflict = updatable.length ? `DO UPDATE SET ${assignments.join(", ")} WHERE ${changed}` : "DO NOTHING";
  // unnest(a, b, ...) with several arrays zips them into rows.
  const sql = `
    WITH up AS (
      INSERT INTO ${quote(target)} (${[...constantNames, ...spec.columns.map((c) => c.name)].map(quote).join(", ")})
      SELECT ${[...constantSql, ...columnSql].join(", ")}
        FROM unnest(${spec.columns.map((_, i) => `$${constantNames.length + i + 1}::text[]`).join(", ")}) AS x(${spec.columns.map((_, i) => `_c${i}`).join(", ")})
      ON CONFLICT (${spec.conflict.map(quote).join(", ")}) ${onConflict}
      RETURNING (xmax = 0) AS inserted
    )
    SELECT count(*) FILTER (WHERE inserted)::int AS created, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up`;
  const rows = await tx.$queryRawUnsafe<BulkUpsertResult[]>(sql, ...params);
  return rows[0] ?? { created: 0, updated: 0 };
}
