// Account attribute history (account_attribute_change): every value an import or the
// accounts API set for plan, seats, billingTerm, autoRenew, arr or a trait, by the day it
// took effect. Scoring a past day reads the attributes as they were then, from here.
import type { DbTx } from "./client.js";
import { isoDay } from "../domain/dates.js";

/** "plan" | "seats" | "billingTerm" | "autoRenew" | "arr" | "trait:<name>". */
export type AttributeName = string;
export type AttributeValue = string | number | boolean | null;

export interface AttributeChange {
  accountId: number;
  attribute: AttributeName;
  value: AttributeValue;
}

/**
 * Writes the changes as effective on `effectiveOn`; a second change to the same attribute
 * on the same day replaces the first (one value per account, attribute and day).
 */
export async function writeAttributeChanges(
  tx: DbTx,
  options: { workspaceId: number; effectiveOn: Date; source: "import" | "api"; changes: AttributeChange[] },
): Promise<number> {
  const { changes } = options;
  if (!changes.length) return 0;
  // The last change of a batch wins, as it would have if written one by one.
  const latest = new Map<string, AttributeChange>();
  for (const c of changes) latest.set(`${c.accountId}\u0000${c.attribute}`, c);
  const rows = [...latest.values()];
  return tx.$executeRaw`
    INSERT INTO account_attribute_change ("workspaceId", "accountId", attribute, value, "effectiveOn", source)
    SELECT ${options.workspaceId}, a, attr, v::jsonb, ${isoDay(options.effectiveOn)}::date, ${options.source}::"DataSource"
      FROM unnest(${rows.map((r) => r.accountId)}::int[], ${rows.map((r) => r.attribute)}::text[], ${rows.map((r) => JSON.stringify(r.value))}::text[]) AS t(a, attr, v)
    ON CONFLICT ("workspaceId", "accountId", attribute, "effectiveOn") DO UPDATE
       SET value = EXCLUDED.value, source = EXCLUDED.source
     WHERE account_attribute_change.value IS DISTINCT FROM EXCLUDED.value OR account_attribute_change.source IS DISTINCT FROM EXCLUDED.source`;
}

/** Account id -> attribute -> value as of the day asked. */
export type AttributesAsOf = Map<number, Record<AttributeName, AttributeValue>>;
