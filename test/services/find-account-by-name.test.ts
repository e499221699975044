// Account lookups by name take the name literally: "%" and "_" are characters, not wildcards.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findAccountByName } from "../../src/services/churn-post-mortem.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createWorkspace } from "../helpers/portfolio.js";

let t: TestDatabase;
let ws: number;
beforeAll(async () => {
  t = await createTestDatabase();
  ws = await createWorkspace(t.db, "T0FIND");
  await t.db.account.createMany({
    data: ["Acme Corp", "Globex", "100% Juice"].map((name) => ({ workspaceId: ws, name })),
  });
});
afterAll(async () => t.drop());

describe("findAccountByName", () => {
  it("matches part of a name case-insensitively, and wildcards only literally", async () => {
    expect((await findAccountByName(t.db, ws, "acme")).name).toBe("Acme Corp");
    expect((await findAccountByName(t.db, ws, "100%")).name).toBe("100% Juice");
    await expect(findAccountByName(t.db, ws, "%")).resolves.toMatchObject({ name: "100% Juice" });
    await expect(findAccountByName(t.db, ws, "_")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
