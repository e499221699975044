import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  emailHash,
  eraseContact,
  exportAccountData,
  findAccountByRef,
  listAudit,
  previewContactErasure,
  scrubText,
} from "../../src/services/privacy.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createSmallWorkspace, type SmallWorkspace } from "../helpers/small-workspace.js";

const NOW = new Date("2026-11-23T10:00:00Z");
let t: TestDatabase;
let a: SmallWorkspace;
let b: SmallWorkspace;

beforeAll(async () => {
  t = await createTestDatabase();
  a = await createSmallWorkspace(t.db, "TPRIVA");
  // Same names and email in another workspace: must never be touched by A's requests.
  b = await createSmallWorkspace(t.db, "TPRIVB");
});
afterAll(async () => {
  await t.drop();
});

describe("scrubText", () => {
  it.each([
    ["Met Jane Doe today", ["Jane Doe"], "Met [erased] today"],
    ["mail JANE.DOE@ACME.TEST now", ["jane.doe@acme.test"], "mail [erased] now"],
    ["xjane.doe@acme.test stays", ["jane.doe@acme.test"], "xjane.doe@acme.test stays"],
    ["Janet Doerr is someone else", ["Jane Doe"], "Janet Doerr is someone else"],
    ["(Jane Doe), Jane Doe.", ["Jane Doe"], "([erased]), [erased]."],
    ["a+b, not aab", ["a+b"], "[erased], not aab"],
  ])("%s -> %s", (text, terms, expected) => {
    expect(scrubText(text, terms)).toBe(expected);
  });
});

describe("findAccountByRef", () => {
  it("finds by name (any case), CRM id and #id; refuses unknown ones with a coded error", async () => {
    expect((await findAccountByRef(t.db, a.workspaceId, "acme corp")).id).toBe(a.accountId);
    expect((await findAccountByRef(t.db, a.workspaceId, "ACME-1")).id).toBe(a.accountId);
    expect((await findAccountByRef(t.db, a.workspaceId, `#${a.accountId}`)).id).toBe(a.accountId);
    await expect(findAccountByRef(t.db, a.workspaceId, `#${b.accountId}`)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(findAccountByRef(t.db, a.workspaceId, "Globex")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("export", () => {
  it("holds every section for the account and records account.view", async () => {
    const result = await exportAccountData(
      t.db,
      { workspaceId: a.workspaceId, slackUserId: "UADMIN", requestId: "req-1" },
      "Acme Corp",
    );
    const data = JSON.parse(result.json) as Record<string, unknown[]> & { account: { id: number; arr: string } };
    expect(data.account.id).toBe(a.accountId);
    expect(data.account.arr).toBe("120000");
    expect(data.contacts).toHaveLength(2);
    expect(data.touchpoints).toHaveLength(1);
    expect(data.surveyResponses).toHaveLength(2);
    expect(data.usageDays).toHaveLength(1);
    expect(result.counts).toMatchObject({ contacts: 2, touchpoints: 1, surveyResponses: 2, usageDays: 1 });
    expect(result.json).not.toContain(`"workspaceId": ${b.workspaceId},`);
    const view = await t.db.auditLog.findFirstOrThrow({
      where: { workspaceId: a.workspaceId, action: "account.view" },
    });
    expect(view).toMatchObject({ actorSlackId: "UADMIN", accountId: a.accountId, requestId: "req-1" });
  });
});

describe("erase contact", () => {
  it("nulls the contact's personal data, its survey names and comments, scrubs notes, and audits a hash only", async () => {
    const result = await eraseContact(
      t.db,
      { workspaceId: a.workspaceId, slackUserId: "UADMIN" },
      " Jane.Doe@ACME.test ",
      NOW,
    );
    expect(result).toEqual({
      contacts: 1,
      surveyResponses: 1,
      touchpoints: 1,
      channelActivity: 0,
      emailHash: emailHash("jane.doe@acme.test"),
    });

    const contact = await t.db.contact.findUniqueOrThrow({ where: { id: a.contactId } });
    expect(contact).toMatchObject({ name: null, email: null, title: null, erasedAt: NOW, stakeholderType: "sponsor" });
    const survey = await t.db.surveyResponse.findUniqueOrThrow({ where: { id: a.surveyId } });
    expect(survey).toMatchObject({ respondentName: null, comment: null, score: 4 });
    const note = (await t.db.touchpoint.findUniqueOrThrow({ where: { id: a.touchpointId } })).notes!;
    expect(note).toBe("Call with [erased] ([erased]) and Bob: [erased] wants SSO. Cc [erased]");

    // Others untouched: Bob in A, everything in B.
    expect(await t.db.contact.findUniqueOrThrow({ where: { id: a.otherContactId } })).toMatchObject({
      name: "Bob Stone",
      email: "bob@acme.test",
    });
    expect(
      await t.db.surveyResponse.count({
        where: { workspaceId: a.workspaceId, respondentName: "Bob Stone", comment: "Great" },
      }),
    ).toBe(1);
    expect(await t.db.contact.findUniqueOrThrow({ where: { id: b.contactId } })).toMatchObject({
      name: "Jane Doe",
      email: "jane.doe@acme.test",
      erasedAt: null,
    });
    expect((await t.db.touchpoint.findUniqueOrThrow({ where: { id: b.touchpointId } })).notes).toContain(
      "jane.doe@acme.test",
    );

    const audit = await t.db.auditLog.findFirstOrThrow({
      where: { workspaceId: a.workspaceId, action: "contact.erase" },
    });
    expect(audit.details).toMatchObject({ emailSha256: emailHash("jane.doe@acme.test"), contacts: 1 });
    const everything = JSON.stringify(
      await t.db.auditLog.findMany({ where: { workspaceId: a.workspaceId } }),
      (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v),
    );
    expect(everything.toLowerCase()).not.toContain("jane.doe@acme.test");
    expect(everything).not.toContain("Jane Doe");
  });

  it("an unknown email erases nothing but is still recorded; a non-email is refused", async () => {
    const result = await eraseContact(
      t.db,
      { workspaceId: a.workspaceId, slackUserId: "UADMIN" },
      "nobody@nowhere.test",
      NOW,
    );
    expect(result).toMatchObject({ contacts: 0, surveyResponses: 0, touchpoints: 0 });
    expect(await t.db.auditLog.count({ where: { workspaceId: a.workspaceId, action: "contact.erase" } })).toBe(2);
    await expect(
      eraseContact(t.db, { workspaceId: a.workspaceId, slackUserId: "UADMIN" }, "not-an-email", NOW),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});

describe("matching is exact: LIKE wildcards in typed text match nothing", () => {
  let c: SmallWorkspace;
  let secondAccountId: number;
  const everyEmail = async () =>
    (await t.db.contact.findMany({ where: { workspaceId: c.workspaceId }, orderBy: { id: "asc" } })).map(
      (x) => x.email,
    );

  beforeAll(async () => {
    c = await createSmallWorkspace(t.db, "TPRIVC");
    const second = await t.db.account.create({
      data: { workspaceId: c.workspaceId, name: "Globex", externalId: "GLX-1" },
    });
    secondAccountId = second.id;
    await t.db.contact.createMany({
      data: [
        { workspaceId: c.workspaceId, accountId: second.id, name: "Sam Jones", email: "sam@globex.com" },
        { workspaceId: c.workspaceId, accountId: second.id, name: "Sue Park", email: "sue@sales.com" },
        // The same person as a contact of two accounts.
        { workspaceId: c.workspaceId, accountId: second.id, name: "Jane Doe", email: "JANE.DOE@acme.test" },
      ],
    });
  });

  it.each(["%@%s.com", "%@%.%", "jane_doe@acme.test", "_ane.doe@acme.test", "%@acme.test"])(
    "erasing %s erases no one",
    async (pattern) => {
      const before = await everyEmail();
      const result = await eraseContact(t.db, { workspaceId: c.workspaceId, slackUserId: "UADMIN" }, pattern, NOW);
      expect(result.contacts).toBe(0);
      expect(await everyEmail()).toEqual(before);
      expect((await previewContactErasure(t.db, c.workspaceId, pattern)).contacts).toBe(0);
    },
  );

  it("an account reference with wildcards finds no account, for export too", async () => {
    await expect(findAccountByRef(t.db, c.workspaceId, "%")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(findAccountByRef(t.db, c.workspaceId, "Acme_Corp")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(findAccountByRef(t.db, c.workspaceId, "glo%")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      exportAccountData(t.db, { workspaceId: c.workspaceId, slackUserId: "UADMIN" }, "G_obex"),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await findAccountByRef(t.db, c.workspaceId, "GLOBEX")).id).toBe(secondAccountId);
  });

  it("the preview counts the contacts holding the address (any case) and names their accounts", async () => {
    const preview = await previewContactErasure(t.db, c.workspaceId, "Jane.Doe@Acme.Test");
    expect(preview).toEqual({
      email: "Jane.Doe@Acme.Test",
      contacts: 2,
      accounts: [
        { id: c.accountId, name: "Acme Corp" },
        { id: secondAccountId, name: "Globex" },
      ],
    });
    await expect(previewContactErasure(t.db, c.workspaceId, "jane")).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("a confirmed erasure runs once: a second click, even a simultaneous one, erases nothing more", async () => {
    const actor = { workspaceId: c.workspaceId, slackUserId: "UADMIN" };
    const audits = () =>
      t.db.auditLog.count({
        where: {
          workspaceId: c.workspaceId,
          action: "contact.erase",
          details: { path: ["confirmation"], equals: "tok-1" },
        },
      });
    const clicks = await Promise.allSettled(
      [1, 2].map(() => eraseContact(t.db, actor, "jane.doe@acme.test", NOW, { token: "tok-1", contacts: 2 })),
    );
    const done = clicks.filter((r) => r.status === "fulfilled");
    expect(done).toHaveLength(1);
    expect((done[0] as PromiseFulfilledResult<{ contacts: number }>).value.contacts).toBe(2);
    expect(clicks.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "CONFLICT" } });
    await expect(
      eraseContact(t.db, actor, "jane.doe@acme.test", NOW, { token: "tok-1", contacts: 2 }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await audits()).toBe(1);
  });

  it("a confirmation for another number of contacts than match now erases nothing", async () => {
    const actor = { workspaceId: c.workspaceId, slackUserId: "UADMIN" };
    await expect(
      eraseContact(t.db, actor, "sam@globex.com", NOW, { token: "tok-2", contacts: 3 }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      userMessage: expect.stringContaining("nothing was erased"),
    });
    expect(await t.db.contact.count({ where: { workspaceId: c.workspaceId, email: "sam@globex.com" } })).toBe(1);
  });
});

describe("audit listing", () => {
  it("lists the newest 50, newest first, for the workspace or one account", async () => {
    // After every row the earlier tests wrote (stamped with the real clock, whatever NOW says).
    const base = Math.max(Date.now(), NOW.getTime()) + 60_000;
    for (let i = 0; i < 55; i++) {
      await t.db.auditLog.create({
        data: {
          workspaceId: a.workspaceId,
          action: "test.write",
          entityType: "thing",
          entityId: String(i),
          at: new Date(base + i * 1000),
        },
      });
    }
    const all = await listAudit(t.db, a.workspaceId);
    expect(all.rows).toHaveLength(50);
    expect(all.rows[0]!.entityId).toBe("54");
    const forAccount = await listAudit(t.db, a.workspaceId, "Acme Corp");
    expect(forAccount.rows.every((r) => r.accountId === a.accountId)).toBe(true);
    expect(forAccount.rows.map((r) => r.action)).toEqual(expect.arrayContaining(["account.view", "contact.erase"]));
    expect((await listAudit(t.db, b.workspaceId)).rows.some((r) => r.action === "test.write")).toBe(false);
  });
});
