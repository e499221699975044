import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AccountFeatures } from "../../../src/domain/health/features.js";
import { DEFAULT_HEALTH_MODEL } from "../../../src/domain/health/model-config.js";
import { LIFECYCLE_STAGES } from "../../../src/domain/vocabulary.js";
import { isScoreDrop, scoreAccountHealth, scoreTrend } from "../../../src/domain/health/score-model.js";
import { healthComponentsSchema, healthReasonsSchema } from "../../../src/domain/health/snapshot.js";
import { SCORED_ON, daysAgo, features } from "./fixtures.js";

const score = (f: AccountFeatures) => scoreAccountHealth(f, DEFAULT_HEALTH_MODEL, SCORED_ON);
const codes = (f: AccountFeatures) => score(f).reasons.map((r) => r.code);
const reason = (f: AccountFeatures, code: string) => score(f).reasons.find((r) => r.code === code);

describe("scoreAccountHealth: stories and their bands", () => {
  const cases: { name: string; f: AccountFeatures; band: string }[] = [
    { name: "healthy mature account", f: features(), band: "green" },
    {
      name: "usage collapsed this week",
      f: features({
        usage: { activeSum7: 7 * 5, activeSum30: 23 * 70 + 7 * 5 },
        engagement: { lastTouchAt: daysAgo(35) },
        perception: {
          lastAnswerAt: daysAgo(200),
          npsRecentAvg: null,
          npsRecentCount: 0,
          npsRecentMin: null,
          npsLatest: 7,
          npsLatestAt: daysAgo(200),
          csatRecentAvg: null,
          csatRecentCount: 0,
        },
      }),
      band: "red",
    },
    {
      name: "sponsor left and detractors answered",
      f: features({
        engagement: { sponsorLeftOn: daysAgo(30), sponsorsRemaining: 0, negativeTouches: 2 },
        perception: { npsRecentAvg: 3, npsRecentMin: 2, npsRecentMinAt: daysAgo(25), npsPriorAvg: 8.5 },
        usage: { activeSum7: 7 * 45, activeSum30: 30 * 50 },
      }),
      // Bad news is taken off the overall score: three kinds of it make the account red
      // even though users are still active.
      band: "red",
    },
    {
      name: "a new account with a little usage is not green for being new",
      f: features({
        stage: "orientation",
        createdAt: daysAgo(6),
        usage: {
          rowsEver: 6,
          activeSum30: 6 * 5,
          activeSumPrev30: 0,
          activeSum7: 6 * 5,
          activeSumBase28: 0,
          loginDays30: 5,
          modules30: 1,
          firstUsageOn: daysAgo(6),
          firstValueOn: null,
          malformedRows: 0,
        },
        engagement: { lastTouchAt: daysAgo(2), reachedImplementer: false, reachedEndUser: false },
        perception: {
          lastAnswerAt: null,
          npsRecentAvg: null,
          npsRecentCount: 0,
          npsPriorAvg: null,
          npsRecentMin: null,
          npsRecentMinAt: null,
          npsLatest: null,
          npsLatestAt: null,
          csatRecentAvg: null,
          csatRecentCount: 0,
        },
      }),
      band: "yellow",
    },
    {
      name: "stalled onboarding: 70 days in, no first value, quiet CSM",
      f: features({
        stage: "onboarding",
        createdAt: daysAgo(70),
        usage: {
          rowsEver: 70,
          activeSum30: 30 * 12,
          activeSumPrev30: 30 * 11,
          activeSum7: 7 * 12,
          activeSumBase28: 28 * 12,
          loginDays30: 22,
          modules30: 1,
          firstUsageOn: daysAgo(70),
          firstValueOn: null,
          malformedRows: 0,
          peerActiveShareRank: 0.1,
        },
        engagement: { lastTouchAt: daysAgo(30), reachedSponsor: false },
        perception: { npsRecentAvg: 6, npsRecentMin: 5, npsPriorAvg: null },
      }),
      band: "red",
    },
  ];
  it.each(cases)("$name -> $band", ({ f, band }) => {
    const result = score(f);
    expect(result.band).toBe(band);
    expect(healthComponentsSchema.safeParse(result.components).success).toBe(true);
    expect(healthReasonsSchema.safeParse(result.reasons).success).toBe(true);
    expect(result.modelVersion).toBe(DEFAULT_HEALTH_MODEL.version);
  });
});

describe("scoreAccountHealth: reasons in plain words", () => {
  it.each([
    [
      features({ usage: { activeSum30: 30 * 40, activeSumPrev30: 30 * 70 } }),
      "usage.active_drop",
      "Active users fell 43% against the previous 30 days",
    ],
    [features({ engagement: { lastTouchAt: daysAgo(41) } }), "engagement.no_touch", "No CSM touchpoint in 41 days"],
    [
      features({
        perception: {
          npsRecentMin: 4,
          npsRecentCount: 1,
          npsRecentAvg: 4,
          npsRecentMinAt: new Date("2026-11-02T10:00:00Z"),
        },
      }),
      "perception.detractor_nps",
      "Detractor NPS (4) on 2 Nov",
    ],
    [
      features({ engagement: { sponsorLeftOn: new Date("2026-10-20T00:00:00Z"), sponsorsRemaining: 0 } }),
      "engagement.sponsor_left",
      "The sponsor left on 20 Oct and no other sponsor is on record",
    ],
    [features({ perception: { lastAnswerAt: daysAgo(150) } }), "perception.silence", "No survey answer in 150 days"],
  ])("%#: %s", (f, code, text) => {
    const r = reason(f, code);
    expect(r?.text).toBe(text);
    expect(r!.impact).toBeLessThan(0);
  });

  it("orders reasons strongest first and they add up to the score around 50", () => {
    const result = score(features({ engagement: { lastTouchAt: daysAgo(50) }, usage: { activeSum7: 7 * 30 } }));
    const impacts = result.reasons.map((r) => Math.abs(r.impact));
    expect(impacts).toEqual([...impacts].sort((a, b) => b - a));
    const sum = result.reasons.reduce((s, r) => s + r.impact, 0);
    expect(Math.abs(50 + sum - result.score)).toBeLessThanOrEqual(1.5);
  });
});

const NO_USAGE = {
  rowsEver: 0,
  activeSum30: 0,
  activeSumPrev30: 0,
  activeSum7: 0,
  activeSumBase28: 0,
  loginDays30: 0,
  modules30: 0,
  firstUsageOn: null,
  firstValueOn: null,
  malformedRows: 0,
  peerActiveShareRank: null,
};
const SILENT = {
  lastAnswerAt: null,
  npsRecentAvg: null,
  npsRecentCount: 0,
  npsPriorAvg: null,
  npsRecentMin: null,
  npsRecentMinAt: null,
  npsLatest: null,
  npsLatestAt: null,
  csatRecentAvg: null,
  csatRecentCount: 0,
};

describe("scoreAccountHealth: missing data never inverts the score", () => {
  it("a kind of evidence the workspace collects for nobody is left out, with no per-account reason", () => {
    const f = features({
      evidence: { touchpoints: false, surveys: false, usage: true, logins: true, modules: true },
      engagement: { lastTouchAt: null },
      perception: SILENT,
    });
    const result = score(f);
    expect(result.engagementScore).toBeNull();
    expect(result.perceptionScore).toBeNull();
    expect(result.components.engagement.details.treatment).toBe("not_collected");
    expect(result.reasons.filter((r) => r.component !== "usage")).toEqual([]);
    expect(result.components.usage.weight).toBe(1);
  });

  it("an account with no usage rows in a workspace with a usage feed scores usage 0 at any age", () => {
    for (const age of [5, 400]) {
      const f = features({ createdAt: daysAgo(age), usage: NO_USAGE });
      expect(score(f).usageScore).toBe(0);
      expect(reason(f, "usage.no_data")?.text).toBe("No product usage has ever been recorded for this account");
    }
  });

  it("usage rows but nobody active in the last week scores usage low and says since when", () => {
    const f = features({
      usage: { activeSum7: 0, activeSum30: 0, loginDays30: 0, modules30: 0, lastActiveOn: daysAgo(40) },
    });
    expect(reason(f, "usage.no_activity")?.text).toBe("No active users since 14 Oct (40 days)");
    expect(score(f).usageScore).toBeLessThan(30);
  });

  it("an account that never answered a survey counts the same at any age", () => {
    const young = score(features({ createdAt: daysAgo(20), perception: SILENT }));
    const old = score(features({ perception: SILENT }));
    expect(young.perceptionScore).toBe(DEFAULT_HEALTH_MODEL.perception.neverAnsweredScore);
    expect(old.perceptionScore).toBe(young.perceptionScore);
    expect(young.score).toBe(old.score);
  });

  it("no touchpoint ever is stale, whatever the account's age", () => {
    const young = features({ createdAt: daysAgo(5), engagement: { lastTouchAt: null } });
    const old = features({ createdAt: daysAgo(900), engagement: { lastTouchAt: null } });
    expect(reason(young, "engagement.no_touch")?.text).toBe("No CSM touchpoint on record");
    expect(score(young).score).toBe(score(old).score);
  });

  it("a negative call does not count as a recent touch: logging 'they will not renew' lowers the score", () => {
    // The negative call is excluded from lastTouchAt by the feature query; here it adds a penalty.
    const before = features({ engagement: { lastTouchAt: daysAgo(50) } });
    const after = features({
      engagement: { lastTouchAt: daysAgo(50), negativeTouches: 1, negativeTouches90: 1, touches90: 7 },
    });
    expect(score(after).score).toBeLessThan(score(before).score);
    expect(reason(after, "engagement.negative_touch")!.impact).toBeLessThan(0);
  });

  it("overdue success-plan milestones lower the score", () => {
    const late = features({ engagement: { overdueMilestones: 2 } });
    expect(score(late).score).toBe(score(features()).score - 6);
    expect(reason(late, "engagement.milestones_overdue")?.text).toBe("2 success-plan milestones overdue");
  });

  it("unknown seats skip adoption instead of dividing by zero", () => {
    const f = features({ seats: null });
    expect(score(f).components.usage.details.adoption).toBeNull();
    expect(codes(f)).toContain("usage.seats_unknown");
  });

  it("a workspace that collects nothing scores the middle of yellow, moved only by bad news", () => {
    const none = { touchpoints: false, surveys: false, usage: false, logins: false, modules: false };
    expect(score(features({ evidence: none })).score).toBe(60);
    expect(score(features({ evidence: none, engagement: { escalations: 1 } })).score).toBeLessThan(60);
    expect(score(features({ evidence: none, contract: { billingTerm: "monthly" } }))).toMatchObject({
      score: 54,
      band: "yellow",
    });
  });
});

describe("stage awareness", () => {
  it("the stage sets the target: onboarding expects a smaller active share than maturity", () => {
    const usage = { activeSum7: 7 * 20, activeSum30: 30 * 20, activeSumPrev30: 30 * 15, activeSumBase28: 28 * 18 };
    const onboarding = score(features({ stage: "onboarding", usage: { ...usage, firstValueOn: daysAgo(175) } }));
    const mature = score(features({ stage: "maturity", usage }));
    expect(onboarding.components.usage.details.expectedShare).toBe(50);
    expect(mature.components.usage.details.expectedShare).toBe(60);
  });

  it("an account whose stage nobody set is judged in a stage inferred from tenure and whether its usage started", () => {
    const stageOf = (age: number, rowsEver = 180) =>
      score(features({ stageSet: false, stage: "orientation", createdAt: daysAgo(age), usage: { rowsEver } }))
        .components.usage.details;
    expect(stageOf(20)).toMatchObject({ stage: "onboarding", stageInferred: true });
    expect(stageOf(100)).toMatchObject({ stage: "adoption", stageInferred: true });
    expect(stageOf(400)).toMatchObject({ stage: "maturity", stageInferred: true });
    expect(stageOf(400, 0)).toMatchObject({ stage: "onboarding", stageInferred: true });
    expect(score(features({ stage: "orientation" })).components.usage.details).toMatchObject({
      stage: "orientation",
      stageInferred: false,
    });
  });

  it("a segment override changes the rules for that segment only", () => {
    const model = {
      ...DEFAULT_HEALTH_MODEL,
      segments: { enterprise: { stages: { maturity: { usage: { targetActiveShare: 0.3 } } } } },
    };
    const f = features({ usage: { activeSum7: 7 * 30 } });
    const ent = scoreAccountHealth({ ...f, segment: "enterprise" }, model, SCORED_ON);
    const smb = scoreAccountHealth({ ...f, segment: "smb" }, model, SCORED_ON);
    expect(ent.components.usage.details.adoption).toBe(100);
    expect(smb.components.usage.details.adoption).toBe(50);
  });
});

describe("trend and score drops", () => {
  it.each([
    [70, 80, 90, { change7d: -10, change30d: -20 }, false],
    [60, 80, null, { change7d: -20, change30d: null }, true],
    [65, 80, null, { change7d: -15, change30d: null }, false],
    [70, null, null, { change7d: null, change30d: null }, false],
  ] as const)("score %i vs %s a week ago", (now, week, month, trend, drop) => {
    const t = scoreTrend(now, week, month);
    expect(t).toEqual(trend);
    expect(isScoreDrop(t, 15)).toBe(drop);
  });
});

// Properties ----------------------------------------------------------------------------

const featureArb = fc
  .record({
    stage: fc.constantFrom(...LIFECYCLE_STAGES),
    seats: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: null }),
    ageDays: fc.integer({ min: 0, max: 2000 }),
    usageDays: fc.integer({ min: 0, max: 400 }),
    active30: fc.integer({ min: 0, max: 60_000 }),
    activePrev: fc.integer({ min: 0, max: 60_000 }),
    active7: fc.integer({ min: 0, max: 14_000 }),
    activeBase: fc.integer({ min: 0, max: 56_000 }),
    loginDays: fc.integer({ min: 0, max: 30 }),
    modules: fc.integer({ min: 0, max: 12 }),
    firstValueAgo: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
    touchAgo: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
    sponsor: fc.boolean(),
    implementer: fc.boolean(),
    endUser: fc.boolean(),
    escalations: fc.integer({ min: 0, max: 5 }),
    negative: fc.integer({ min: 0, max: 5 }),
    sponsorLeftAgo: fc.option(fc.integer({ min: 0, max: 300 }), { nil: null }),
    nps: fc.option(fc.double({ min: 0, max: 10, noNaN: true }), { nil: null }),
    npsPrior: fc.option(fc.double({ min: 0, max: 10, noNaN: true }), { nil: null }),
    csat: fc.option(fc.double({ min: 1, max: 5, noNaN: true }), { nil: null }),
    answerAgo: fc.option(fc.integer({ min: 0, max: 800 }), { nil: null }),
    peer: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
    evidence: fc.record({
      touchpoints: fc.boolean(),
      surveys: fc.boolean(),
      usage: fc.boolean(),
      logins: fc.boolean(),
      modules: fc.boolean(),
    }),
    stageSet: fc.boolean(),
  })
  .map(
    (r): AccountFeatures => ({
      accountId: 1,
      segment: null,
      stage: r.stage,
      seats: r.seats,
      createdAt: daysAgo(r.ageDays),
      stageSet: r.stageSet,
      usage: {
        rowsEver: r.usageDays,
        activeSum30: r.usageDays ? r.active30 : 0,
        activeSumPrev30: r.usageDays ? r.activePrev : 0,
        activeSum7: r.usageDays ? Math.min(r.active7, r.active30) : 0,
        activeSumBase28: r.usageDays ? r.activeBase : 0,
        loginDays30: r.usageDays ? r.loginDays : 0,
        modules30: r.usageDays ? r.modules : 0,
        firstUsageOn: r.usageDays ? daysAgo(r.usageDays) : null,
        firstValueOn: r.usageDays && r.firstValueAgo !== null ? daysAgo(Math.min(r.firstValueAgo, r.usageDays)) : null,
        malformedRows: 0,
        loginsSum30: 0,
        loginsSumPrev30: 0,
        lastActiveOn: null,
        moduleNames30: [],
        seats90Ago: null,
        peerActiveShareRank: r.usageDays ? r.peer : null,
      },
      engagement: {
        lastTouchAt: r.touchAgo === null ? null : daysAgo(r.touchAgo),
        reachedSponsor: r.sponsor,
        reachedImplementer: r.implementer,
        reachedEndUser: r.endUser,
        escalations: r.escalations,
        negativeTouches: r.negative,
        sponsorLeftOn: r.sponsorLeftAgo === null ? null : daysAgo(r.sponsorLeftAgo),
        sponsorsRemaining: r.sponsorLeftAgo === null ? 1 : 0,
        championLeftOn: null,
        championsRemaining: 0,
        touches90: 0,
        negativeTouches90: 0,
        positiveTouches90: 0,
        escalations90: 0,
        overdueMilestones: 0,
      },
      perception: {
        npsRecentAvg: r.answerAgo !== null ? r.nps : null,
        npsRecentCount: r.answerAgo !== null && r.nps !== null ? 1 : 0,
        npsPriorAvg: r.answerAgo !== null ? r.npsPrior : null,
        npsRecentMin: r.answerAgo !== null && r.nps !== null ? Math.floor(r.nps) : null,
        npsRecentMinAt: r.answerAgo !== null && r.nps !== null ? daysAgo(r.answerAgo) : null,
        npsLatest: r.answerAgo !== null && r.nps !== null ? Math.floor(r.nps) : null,
        npsLatestAt: r.answerAgo !== null && r.nps !== null ? daysAgo(r.answerAgo) : null,
        csatRecentAvg: r.answerAgo !== null ? r.csat : null,
        csatRecentCount: r.answerAgo !== null && r.csat !== null ? 1 : 0,
        cesRecentAvg: null,
        lastAnswerAt: r.answerAgo === null ? null : daysAgo(r.answerAgo),
      },
      contract: {
        billingTerm: null,
        autoRenew: null,
        renewalDate: null,
        arr: null,
        arr90Ago: null,
        plan: null,
        traits: {},
      },
      evidence: r.evidence,
    }),
  );

describe("properties", () => {
  it("the score is a whole number within 0-100 and the snapshot JSON is valid", () => {
    fc.assert(
      fc.property(featureArb, (f) => {
        const r = score(f);
        expect(Number.isInteger(r.score)).toBe(true);
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(100);
        expect(healthComponentsSchema.safeParse(r.components).success).toBe(true);
        expect(healthReasonsSchema.safeParse(r.reasons).success).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  // What held the score up is read under "What held it up" (issue 15, blocker 3): it must
  // not read as a shortfall ("did not reach an implementer", "fell 15%"), nor the other way.
  it("a reason that holds the score up never reads as a shortfall, and one that lowers it never as praise", () => {
    fc.assert(
      fc.property(featureArb, (f) => {
        for (const r of score(f).reasons) {
          if (r.impact >= 0.5) expect(r.text, r.code).not.toMatch(/did not reach|\bfell\b|bottom quarter|^No /);
          if (r.impact <= -0.5)
            expect(r.text, r.code).not.toMatch(/^Touchpoints reached|held steady|held up|top quarter/);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("percentiles are written as ordinals", () => {
    const text = (rank: number) =>
      score(features({ usage: { peerActiveShareRank: rank } })).reasons.find((r) => /percentile/.test(r.text))?.text;
    expect(text(0.32)).toMatch(/\(32nd percentile\)/);
    expect(text(0.31)).toMatch(/\(31st percentile\)/);
    expect(text(0.33)).toMatch(/\(33rd percentile\)/);
    expect(text(0.28)).toMatch(/\(28th percentile\)/);
  });

  it("more recent usage never lowers the usage component", () => {
    fc.assert(
      fc.property(
        featureArb,
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 5 }),
        (f, extraActive, extraLoginDays, extraModules) => {
          fc.pre(f.usage.rowsEver > 0 && f.evidence.usage);
          // The extra active user-days land in the last week (and so in the last 30 days).
          const weekShare = extraActive;
          const more: AccountFeatures = {
            ...f,
            usage: {
              ...f.usage,
              activeSum7: f.usage.activeSum7 + weekShare,
              activeSum30: f.usage.activeSum30 + weekShare,
              loginDays30: Math.min(30, f.usage.loginDays30 + extraLoginDays),
              modules30: f.usage.modules30 + extraModules,
            },
          };
          expect(score(more).usageScore!).toBeGreaterThanOrEqual(score(f).usageScore!);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("a newer touchpoint never lowers engagement", () => {
    fc.assert(
      fc.property(
        featureArb,
        fc.integer({ min: 0, max: 400 }),
        fc.constantFrom("sponsor", "implementer", "end_user"),
        (f, newerAgo, reached) => {
          const current = f.engagement.lastTouchAt
            ? Math.round((SCORED_ON.getTime() - f.engagement.lastTouchAt.getTime()) / 86_400_000)
            : Infinity;
          fc.pre(newerAgo < current && f.evidence.touchpoints);
          const touched: AccountFeatures = {
            ...f,
            engagement: {
              ...f.engagement,
              lastTouchAt: daysAgo(newerAgo),
              reachedSponsor: f.engagement.reachedSponsor || reached === "sponsor",
              reachedImplementer: f.engagement.reachedImplementer || reached === "implementer",
              reachedEndUser: f.engagement.reachedEndUser || reached === "end_user",
            },
          };
          expect(score(touched).engagementScore!).toBeGreaterThanOrEqual(score(f).engagementScore!);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("the same inputs always give the same score", () => {
    fc.assert(
      fc.property(featureArb, (f) => {
        const copy = structuredClone(f);
        expect(score(copy)).toEqual(score(f));
      }),
      { numRuns: 200 },
    );
  });

  it("account age alone never moves the score (for a stage a person set)", () => {
    fc.assert(
      fc.property(featureArb, fc.integer({ min: 0, max: 3000 }), (f, otherAge) => {
        fc.pre(f.stageSet);
        const older: AccountFeatures = { ...f, createdAt: daysAgo(otherAge) };
        expect(score(older).score).toBe(score(f).score);
      }),
      { numRuns: 500 },
    );
  });

  it("a negative touchpoint or an escalation never raises the score", () => {
    fc.assert(
      fc.property(featureArb, fc.constantFrom("negative", "escalation"), (f, kind) => {
        const e = f.engagement;
        const worse: AccountFeatures = {
          ...f,
          engagement:
            kind === "negative"
              ? {
                  ...e,
                  negativeTouches: e.negativeTouches + 1,
                  negativeTouches90: e.negativeTouches90 + 1,
                  touches90: e.touches90 + 1,
                }
              : { ...e, escalations: e.escalations + 1, escalations90: e.escalations90 + 1 },
        };
        expect(score(worse).score).toBeLessThanOrEqual(score(f).score);
      }),
      { numRuns: 500 },
    );
  });

  it("evidence the workspace does not collect cannot move any account's score", () => {
    fc.assert(
      fc.property(featureArb, featureArb, (f, other) => {
        const noEngagement = { ...f.evidence, touchpoints: false, surveys: false };
        const a: AccountFeatures = { ...f, evidence: noEngagement };
        const b: AccountFeatures = {
          ...f,
          evidence: noEngagement,
          engagement: {
            ...other.engagement,
            escalations: f.engagement.escalations,
            negativeTouches: f.engagement.negativeTouches,
            sponsorLeftOn: f.engagement.sponsorLeftOn,
            sponsorsRemaining: f.engagement.sponsorsRemaining,
            championLeftOn: f.engagement.championLeftOn,
            championsRemaining: f.engagement.championsRemaining,
          },
          perception: other.perception,
        };
        expect(score(b).score).toBe(score(a).score);
      }),
      { numRuns: 300 },
    );
  });
});
