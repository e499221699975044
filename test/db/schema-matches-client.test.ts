// The migrated database must be exactly what the generated client expects: every model a
// table, every field a column of the right type and nullability, every enum its values.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { Prisma } from "../../src/generated/prisma/client.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { parsePrismaSchema, type SchemaField } from "../helpers/prisma-schema.js";

let t: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  t = await createTestDatabase();
  client = new pg.Client({ connectionString: t.url });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await t.drop();
});

interface ColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: "YES" | "NO";
  numeric_precision: number | null;
  numeric_scale: number | null;
  datetime_precision: number | null;
  character_maximum_length: number | null;
}

function expectedUdt(field: SchemaField): string {
  if (field.isEnum) return field.type;
  const db = field.dbType ?? "";
  switch (field.type) {
    case "Int":
      return "int4";
    case "BigInt":
      return "int8";
    case "Boolean":
      return "bool";
    case "Decimal":
      return "numeric";
    case "Json":
      return db === "Json" ? "json" : "jsonb";
    case "Float":
      return "float8";
    case "DateTime":
      return db === "Date" ? "date" : db.startsWith("Timestamptz") ? "timestamptz" : "timestamp";
    case "String":
      return db.startsWith("Char") ? "bpchar" : db.startsWith("VarChar") ? "varchar" : "text";
    default:
      return field.type;
  }
}

describe("migrated schema", () => {
  const schema = parsePrismaSchema();

  it("has a table for every model the client knows, and no stray tables", async () => {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const tables = rows
      .map((r) => r.table_name)
      .filter((n) => n !== "_prisma_migrations")
      .sort();
    expect(tables).toEqual(schema.models.map((m) => m.table).sort());
    // The client generated from the same schema names exactly these models.
    expect(Object.keys(Prisma.ModelName).sort()).toEqual(schema.models.map((m) => m.name).sort());
  });

  it("has every field as a column with the right type, precision and nullability", async () => {
    const { rows } = await client.query<ColumnRow>(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable, numeric_precision, numeric_scale,
              datetime_precision, character_maximum_length
         FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const byKey = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r]));
    const problems: string[] = [];
    for (const model of schema.models) {
      const columnsOfTable = rows
        .filter((r) => r.table_name === model.table)
        .map((r) => r.column_name)
        .sort();
      const fieldColumns = model.fields.map((f) => f.column).sort();
      if (JSON.stringify(columnsOfTable) !== JSON.stringify(fieldColumns)) {
        problems.push(`${model.table}: columns ${columnsOfTable.join(",")} but fields ${fieldColumns.join(",")}`);
      }
      for (const field of model.fields) {
        const col = byKey.get(`${model.table}.${field.column}`);
        if (!col) continue;
        const udt = field.list ? `_${expectedUdt(field)}` : expectedUdt(field);
        if (col.udt_name !== udt) problems.push(`${model.table}.${field.column}: ${col.udt_name}, expected ${udt}`);
        // Prisma creates scalar-list columns without NOT NULL.
        const nullable = field.optional || field.list;
        if ((col.is_nullable === "YES") !== nullable) {
          problems.push(
            `${model.table}.${field.column}: nullable=${col.is_nullable}, expected ${nullable ? "YES" : "NO"}`,
          );
        }
        const decimal = /^Decimal\((\d+),\s*(\d+)\)$/.exec(field.dbType ?? "");
        if (decimal && (col.numeric_precision !== Number(decimal[1]) || col.numeric_scale !== Number(decimal[2]))) {
          problems.push(`${model.table}.${field.column}: numeric(${col.numeric_precision},${col.numeric_scale})`);
        }
        const ts = /^Timestamptz\((\d+)\)$/.exec(field.dbType ?? "");
        if (ts && col.datetime_precision !== Number(ts[1])) {
          problems.push(`${model.table}.${field.column}: timestamp precision ${col.datetime_precision}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("has every enum with exactly the client's values, in order", async () => {
    const { rows } = await client.query<{ typname: string; labels: string[] }>(
      `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const inDb = Object.fromEntries(rows.map((r) => [r.typname, r.labels]));
    expect(inDb).toEqual(Object.fromEntries(schema.enums));
  });

  it("lets the generated client read every model (all selected columns decode)", async () => {
    const db = t.db as unknown as Record<string, { findFirst: () => Promise<unknown> }>;
    for (const model of schema.models) {
      const delegate = db[model.name.charAt(0).toLowerCase() + model.name.slice(1)];
      expect(delegate, model.name).toBeDefined();
      await expect(delegate!.findFirst()).resolves.toBeNull();
    }
  });
});
