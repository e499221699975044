// A small reader of prisma/schema.prisma: enough to know, for every model, its table and
// each scalar column's type, nullability and list-ness. Used to check migrations against
// the schema the client was generated from.
import { readFileSync } from "node:fs";

export interface SchemaField {
  name: string;
  column: string;
  type: string;
  optional: boolean;
  list: boolean;
  dbType?: string;
  isEnum: boolean;
}

export interface SchemaModel {
  name: string;
  table: string;
  fields: SchemaField[];
}

export interface ParsedSchema {
  models: SchemaModel[];
  enums: Map<string, string[]>;
}

export function parsePrismaSchema(path = "prisma/schema.prisma"): ParsedSchema {
  const text = readFileSync(path, "utf8").replace(/\/\/.*$/gm, "");
  const enums = new Map<string, string[]>();
  for (const m of text.matchAll(/^enum\s+(\w+)\s*\{\n([\s\S]*?)^\}/gm)) {
    enums.set(m[1]!, m[2]!.split(/\s+/).filter(Boolean));
  }
  const scalars = new Set(["Int", "BigInt", "String", "Boolean", "DateTime", "Decimal", "Json", "Float", "Bytes"]);
  const models: SchemaModel[] = [];
  // A block ends at a line holding only "}" (defaults such as @default("{}") contain braces).
  for (const m of text.matchAll(/^model\s+(\w+)\s*\{\n([\s\S]*?)^\}/gm)) {
    const name = m[1]!;
    const body = m[2]!;
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? name;
    const fields: SchemaField[] = [];
    for (const line of body.split("\n")) {
      const f = /^\s*(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
      if (!f || line.trim().startsWith("@@")) continue;
      const [, fieldName, type, list, optional, rest] = f;
      const isEnum = enums.has(type!);
      if (!scalars.has(type!) && !isEnum) continue; // a relation
      fields.push({
        name: fieldName!,
        column: /@map\("([^"]+)"\)/.exec(rest!)?.[1] ?? fieldName!,
        type: type!,
        optional: Boolean(optional),
        list: Boolean(list),
        dbType: /@db\.(\w+(?:\([^)]*\))?)/.exec(rest!)?.[1],
        isEnum,
      });
    }
    models.push({ name, table, fields });
  }
  return { models, enums };
}
