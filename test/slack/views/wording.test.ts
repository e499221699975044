// Small words that looked careless (issue 15): articles, casing, doubled parentheses.
import { describe, expect, it } from "vitest";
import { TOUCHPOINT_KINDS } from "../../../src/domain/vocabulary.js";
import type { AuditLog } from "../../../src/generated/prisma/client.js";
import { playbookOutcomeLine } from "../../../src/slack/commands/playbooks.js";
import { surveySubcommands } from "../../../src/slack/commands/survey.js";
import { vocBlocks } from "../../../src/slack/commands/voc.js";
import { surveyModal, touchpointKindWithArticle } from "../../../src/slack/views/modals.js";
import { auditReply, eraseConfirmationReply, eraseReply } from "../../../src/slack/views/privacy-admin.js";
import {
  retroHealthMessage,
  retroTasksMessage,
  retroTouchpointsMessage,
} from "../../../src/slack/views/retro-thread.js";
import type { RetroEvidence } from "../../../src/services/message-views.js";

describe("touchpointKindWithArticle", () => {
  it("says each kind with its article and casing", () => {
    expect(TOUCHPOINT_KINDS.map(touchpointKindWithArticle)).toEqual([
      "a call",
      "a meeting",
      "an email",
      "a QBR",
      "a support escalation",
      "a touchpoint",
    ]);
  });
});

describe("surveyModal", () => {
  it.each([
    ["nps", "NPS score (0-10)"],
    ["csat", "CSAT score (1-5)"],
    ["ces", "CES score (1-7)"],
  ] as const)("labels the %s score once, without nested parentheses", (kind, label) => {
    const modal = surveyModal({ kind, today: new Date("2026-11-23T00:00:00Z"), metadata: {} });
    const labels = JSON.stringify(modal.blocks);
    expect(labels).toContain(`"text":"${label}"`);
    expect(labels).not.toMatch(/\([^()]*\(/);
  });
});

describe("help says an NPS", () => {
  it("uses the article the letters are said with", () => {
    const summaries = Object.fromEntries(surveySubcommands.map((c) => [c.name, c.summary]));
    expect(summaries.nps).toMatch(/^record an NPS /);
    expect(summaries.csat).toMatch(/^record a CSAT /);
    expect(summaries.ces).toMatch(/^record a CES /);
  });
});

describe("counts are said as a person says them, never 'record(s)' or '1 entries'", () => {
  it("in the erase confirmation and its result", () => {
    const preview = { email: "jane@acme.test", contacts: 1, accounts: [{ id: 1, name: "Acme" }] };
    const confirm = JSON.stringify(eraseConfirmationReply(preview as never, "tok"));
    expect(confirm).toContain("1 contact record with");
    const done = JSON.stringify(eraseReply({ contacts: 2, surveyResponses: 1, touchpoints: 3 }));
    expect(done).toContain("2 contact records");
    expect(done).toContain("1 survey answer cleared");
    expect(done).toContain("3 touchpoint notes scrubbed");
    expect(confirm + done).not.toContain("(s)");
  });
});

describe("the audit log reads as names, in the reader's time zone", () => {
  const at = new Date("2026-12-01T09:30:00Z");
  const row = (over: Partial<AuditLog>): AuditLog => ({
    id: 1n,
    workspaceId: 1,
    actorSlackId: "UMAYA",
    action: "x.y",
    entityType: "account",
    entityId: "7",
    accountId: 7,
    details: {},
    requestId: null,
    at,
    ...over,
  });
  const names = {
    accounts: new Map([[7, "Acme Corp"]]),
    users: new Map<number, string>(),
    actors: new Map([["UMAYA", "Maya Chen"]]),
  };
  it("names the digest by the number people know it by, and other entries by their account, not row ids", () => {
    const reply = auditReply(
      [
        row({ action: "digest.subscribe", entityType: "digest_subscription", entityId: "3", accountId: null }),
        row({ action: "churn.winback", entityType: "churn_event", entityId: "41" }),
        row({ action: "qbr.build", entityType: "qbr_pack", entityId: "12" }),
        row({ action: "demo.seed", entityType: "workspace", entityId: "1", accountId: null, actorSlackId: null }),
        row({ action: "account.view" }),
      ],
      "this workspace",
      names,
      "Europe/Madrid",
    );
    const text = JSON.stringify(reply.blocks);
    expect(text).toContain("*digest.subscribe* digest #3");
    expect(text).toContain("*churn.winback* churn on Acme Corp");
    expect(text).toContain("*qbr.build* QBR pack on Acme Corp");
    expect(text).toContain("*demo.seed* the workspace");
    expect(text).toContain("*account.view* account Acme Corp");
    expect(text).not.toMatch(/churn_event|qbr_pack|digest_subscription|workspace 1/);
    // 09:30 UTC is 10:30 in Madrid.
    expect(text).toContain("1 Dec 2026, 10:30");
    expect(text).not.toContain("Times in UTC");
  });
  it("says 1 entry", () => {
    const reply = auditReply([row({ action: "account.view" })], "Acme Corp", names, null);
    expect(reply.text).toBe("Audit log — Acme Corp: 1 entry");
    expect(JSON.stringify(reply.blocks)).toContain("Newest 1 entry, newest first.");
  });
});

describe("the retro thread", () => {
  const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
  const evidence: RetroEvidence = {
    event: {
      id: 1,
      accountName: "Willow Logistics",
      currency: "USD",
      kind: "full",
      churnedOn: day("2026-11-20"),
      arrBefore: 5700,
      arrLost: 5700,
      primaryReason: "budget_or_price",
      reasonOther: null,
      contributingFactors: [],
      warningSigns: null,
      warningSeenOn: null,
      couldHaveDone: null,
      lessons: null,
      preventable: true,
      firstRedOn: null,
      daysOfWarning: null,
      filedBySlackId: "UMGR",
      retroStatus: "open",
      reversedAt: null,
    } as RetroEvidence["event"],
    timeZone: "UTC",
    windowStart: day("2026-05-25"),
    windowEnd: day("2026-11-20"),
    history: [
      { scoredOn: day("2026-05-30"), score: 60, band: "yellow" },
      { scoredOn: day("2026-05-31"), score: 45, band: "red" },
      { scoredOn: day("2026-06-09"), score: 70, band: "green" },
      { scoredOn: day("2026-11-20"), score: 82, band: "green" },
    ],
    bandChanges: [
      { on: day("2026-05-31"), from: "yellow", to: "red", score: 45 },
      { on: day("2026-06-09"), from: "red", to: "green", score: 70 },
    ],
    touchpoints: [
      { occurredAt: day("2026-10-27"), kind: "qbr", sentiment: "positive", notes: "Review", loggedBySlackId: null },
      {
        occurredAt: day("2026-10-14"),
        kind: "support_escalation",
        sentiment: null,
        notes: null,
        loggedBySlackId: null,
      },
    ],
    surveys: [],
    tasks: [],
  };

  it("names who logged a touchpoint or owns a task instead of mentioning them on every row", () => {
    const named: RetroEvidence = {
      ...evidence,
      touchpoints: evidence.touchpoints.map((t) => ({ ...t, loggedBySlackId: "UMAYA", loggedByName: "Maya Chen" })),
      tasks: [
        {
          title: "Call",
          dueOn: day("2026-11-01"),
          status: "open",
          completedAt: null,
          createdAt: day("2026-10-20"),
          ownerSlackId: "UMAYA",
          ownerName: "Maya Chen",
        },
      ],
    };
    const text = JSON.stringify([retroTouchpointsMessage(named).blocks, retroTasksMessage(named).blocks]);
    expect(text).not.toContain("<@UMAYA>");
    expect(text).toContain("· Maya Chen");
    expect(text).toContain(", Maya Chen)");
  });

  it("names touchpoint kinds as the card does (QBR, support escalation)", () => {
    const text = JSON.stringify(retroTouchpointsMessage(evidence).blocks);
    expect(text).toContain("· QBR ·");
    expect(text).toContain("· support escalation");
    expect(text).not.toMatch(/· qbr\b/);
  });

  it("draws the fallback sparkline as plain text, and says no warning without denying the red it lists", () => {
    const message = retroHealthMessage(evidence, { uploaded: false, reason: "missing_scope" });
    const text = JSON.stringify(message.blocks);
    expect(text).toMatch(/[▁▂▃▄▅▆▇█]{4}/);
    expect(text).not.toMatch(/`[▁▂▃▄▅▆▇█]/);
    // The band changes show a red in May; the warning is counted from the last green day.
    expect(text).toContain("yellow → *red*");
    expect(text).not.toContain("did not turn red before the churn");
    expect(text).toContain("did not turn red after it was last green");
  });
});

describe("the playbooks report", () => {
  it("says there is not enough data without parentheses inside parentheses", () => {
    const group = { fired: 0, judged: 0, recovered: 0 };
    const line = playbookOutcomeLine({
      name: "Low usage",
      controlShare: 0.2,
      treated: group,
      control: group,
      tasks: { done: 0, total: 0 },
      effect: { notEnoughData: "need at least 10 in each group (treated 0, control 0)" },
    } as never);
    expect(line).toContain("effect: not enough data yet, need at least 10 in each group (treated 0, control 0)");
    expect(line).not.toMatch(/\([^()]*\(/);
  });
});

describe("the VoC report's footnote", () => {
  it("says what the arrows compare with in words, not 'Trend against 28 May 2026 to 25 Aug 2026'", () => {
    const figure = (value: number | null, responses: number) => ({ value, responses });
    const row = { group: "All", nps: figure(15, 10), csat: figure(80, 5), ces: figure(null, 0) };
    const blocks = vocBlocks({
      period: { label: "last 90 days" },
      previous: { label: "28 May 2026 to 25 Aug 2026" },
      segment: null,
      groupBy: "segment",
      rows: [row],
      previousRows: new Map([["All", { ...row, nps: figure(20, 8) }]]),
    } as never);
    const text = JSON.stringify(blocks);
    expect(text).toContain("NPS 15 (n=10) ↓5");
    expect(text).toContain("↑ ↓ the change against the period before (28 May 2026 to 25 Aug 2026), → unchanged.");
    expect(text).not.toContain("Trend against");
  });
});
