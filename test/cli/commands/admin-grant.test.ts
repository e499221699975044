// Who can become admin: the first real person in a workspace holding only the demo's people,
// and anyone `pulse admin grant` names from the server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoPortfolio } from "../../../src/services/seed-demo.js";
import { adoptDemoWorkspace, resolveUser } from "../../../src/services/workspace-users.js";
import { pulse, useCliDatabase } from "../../helpers/cli.js";
import { createTestDatabase, type TestDatabase } from "../../helpers/db.js";

let t: TestDatabase;
let restore: () => void;
let workspaceId: number;

beforeAll(async () => {
  t = await createTestDatabase();
  restore = useCliDatabase(t.url);
  await seedDemoPortfolio(t.db, { now: new Date("2026-11-23T07:00:00Z") });
  expect(await adoptDemoWorkspace(t.db, "TREALTEAM", "Real team")).toBe(true);
  workspaceId = (await t.db.workspace.findUniqueOrThrow({ where: { slackTeamId: "TREALTEAM" } })).id;
});
afterAll(async () => {
  restore();
  await t.drop();
});

describe("the first real user of an adopted demo", () => {
  it("becomes admin (audited), the second real user a CSM", async () => {
    const first = await resolveUser(t.db, workspaceId, "U0REALONE", { name: "Real One" });
    expect(first.role).toBe("admin");
    const audit = await t.db.auditLog.findFirstOrThrow({ where: { workspaceId, action: "user.role" } });
    expect(audit).toMatchObject({ actorSlackId: "U0REALONE", entityId: String(first.id) });
    expect(audit.details).toMatchObject({ to: "admin" });
    expect((await resolveUser(t.db, workspaceId, "U0REALTWO")).role).toBe("csm");
  });
});

describe("pulse admin grant", () => {
  it("sets a role, says what changed, and writes the audit trail", async () => {
    const res = await pulse("admin", "grant", "U0REALTWO", "manager", "--workspace", "TREALTEAM");
    expect(res).toMatchObject({ code: 0, err: "" });
    expect(res.out).toContain("U0REALTWO is now a manager in workspace TREALTEAM (was csm)");
    const user = await t.db.user.findFirstOrThrow({ where: { workspaceId, slackUserId: "U0REALTWO" } });
    expect(user.role).toBe("manager");
    const audit = await t.db.auditLog.findFirstOrThrow({
      where: { workspaceId, action: "user.role", entityId: String(user.id) },
    });
    expect(audit).toMatchObject({ actorSlackId: null, details: { from: "csm", to: "manager", via: "cli" } });
  });

  it("creates someone Pulse has not met yet, and answers JSON with --json", async () => {
    // The only workspace needs no --workspace; a mention pasted from Slack is read as its id.
    const res = await pulse("admin", "grant", "<@U0NEWBIE|newbie>", "admin", "--json");
    expect(res.code).toBe(0);
    expect(JSON.parse(res.out)).toEqual({ workspace: "TREALTEAM", slackUserId: "U0NEWBIE", from: null, role: "admin" });
    await t.db.workspace.create({ data: { slackTeamId: "TSECOND", name: "Second" } });
    const ambiguous = await pulse("admin", "grant", "U0NEWBIE", "admin");
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.err).toContain("pass --workspace");
  });

  it("refuses to leave a workspace without an admin", async () => {
    await pulse("admin", "grant", "U0NEWBIE", "csm", "--workspace", "TREALTEAM");
    await pulse("admin", "grant", "U0DEMOADMIN", "csm", "--workspace", "TREALTEAM");
    const res = await pulse("admin", "grant", "U0REALONE", "csm", "--workspace", "TREALTEAM");
    expect(res.code).toBe(1);
    expect(res.err).toContain("only admin");
    expect((await t.db.user.findFirstOrThrow({ where: { workspaceId, slackUserId: "U0REALONE" } })).role).toBe("admin");
  });

  it.each([
    [["admin"], "say grant"],
    [["admin", "revoke", "U0REALONE", "csm"], 'unknown action "revoke"'],
    [["admin", "grant"], "give the Slack user id"],
    [["admin", "grant", "bob", "admin"], '"bob" is not a Slack user id'],
    [["admin", "grant", "U0REALONE"], "say which role"],
    [["admin", "grant", "U0REALONE", "owner"], 'unknown role "owner"'],
    [["admin", "grant", "U0REALONE", "csm", "extra"], "unexpected arguments: extra"],
    [["admin", "grant", "U0REALONE", "csm", "--workspace", "acme"], "--workspace must be a Slack team id"],
    [["admin", "grant", "U0REALONE", "csm", "--role"], "unknown option --role"],
  ])("refuses %j with a usage error (exit 2)", async (argv, message) => {
    const res = await pulse(...argv);
    expect(res.code).toBe(2);
    expect(res.err).toContain(message);
    expect(res.err).toContain("Usage: pulse admin grant <slack user id> admin|manager|csm");
  });
});
