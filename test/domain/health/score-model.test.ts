import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AccountFeatures } from "../../../src/domain/health/features.js";
import { DEFAULT_HEALTH_MODEL, LIFECYCLE_STAGES } from "../../../src/domain/health/model-config.js";
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
      f: features({ usage: { activeSum7: 7 * 5, activeSum30: 23 * 70 + 7 * 5 }, engagement: { lastTouchAt: daysAgo(35) }, perception: { lastAnswerAt: daysAgo(200), npsRecentAvg: null, npsRecentCount: 0, npsRecentMin: null, npsLatest: 7, npsLatestAt: daysAgo(200), csatRecentAvg: null, csatRecentCount: 0 } }),
      band: "red",
    },
    {
      name: "sponsor left and detractors answered",
      f: features({
        engagement: { sponsorLeftOn: daysAgo(30), sponsorsRemaining: 0, negativeTouches: 2 },
        perception: { npsRecentAvg: 3, npsRecentMin: 2, npsRecentMinAt: daysAgo(25), npsPriorAvg: 8.5 },
        usage: { activeSum7: 7 * 45, activeSum30: 30 * 50 },
      }),
      // Users are still active, so not red yet: the reasons carry the warning.
      band: "yellow",
    },
    {
      name: "new orientation account with a little usage",
      f: features({
        stage: "orientation",
        createdAt: daysAgo(6),
        usage: { rowsEver: 6, activeSum30: 6 * 5, activeSumPrev30: 0, activeSum7: 6 * 5, activeSumBase28: 0, loginDays30: 5, modules30: 1, firstUsageOn: daysAgo(6), firstValueOn: null, malformedRows: 0 },
        engagement: { lastTouchAt: daysAgo(2), reachedImplementer: false, reachedEndUser: false },
        perception: { lastAnswerAt: null, npsRecentAvg: null, npsRecentCount: 0, npsPriorAvg: null, npsRecentMin: null, npsRecentMinAt: null, npsLatest: null, npsLatestAt: null, csatRecentAvg: null, csatRecentCount: 0 },
      }),
      band: "green",
    },
    {
      name: "stalled onboarding: 70 days in, no first value, quiet CSM",
      f: features({
        stage: "onboarding",
        createdAt: daysAgo(70),
        usage: { rowsEver: 70, activeSum30: 30 * 12, activeSumPrev30: 30 * 11, activeSum7: 7 * 12, activeSumBase28: 28 * 12, loginDays30: 22, modules30: 1, firstUsageOn: daysAgo(70), firstValueOn: null, malformedRows: 0 },
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
    [features({ usage: { activeSum30: 30 * 40, activeSumPrev30: 30 * 70 } }), "usage.active_drop", "Active users fell 43% against the previous 30 days"],
    [features({ engagement: { lastTouchAt: daysAgo(41) } }), "engagement.no_touch", "No CSM touchpoint in 41 days"],
    [features({ perception: { npsRecentMin: 4, npsRecentCount: 1, npsRecentAvg: 4, npsRecentMinAt: new Date("2026-11-02T10:00:00Z") } }), "perception.detractor_nps", "Detractor NPS (4) on 2 Nov"],
    [features({ engagement: { sponsorLeftOn: new Date("2026-10-20T00:00:00Z"), sponsorsRemaining: 0 } }), "engagement.sponsor_left", "The sponsor left on 20 Oct and no other sponsor is on record"],
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

describe("scoreAccountHealth: missing data is evidence", () => {
  it("a new account without usage rows leaves usage out and says so", () => {
    const f = features({ createdAt: daysAgo(5), usage: { rowsEver: 0, activeSum30: 0, activeSumPrev30: 0, activeSum7: 0, activeSumBase28: 0, loginDays30: 0, modules30: 0, firstUsageOn: null, firstValueOn: null, malformedRows: 0 } });
    const result = score(f);
    expect(result.usageScore).toBeNull();
    expect(result.components.usage.weight).toBe(0);
    expect(result.components.usage.details.treatment).toBe("new_account");
    expect(reason(f, "usage.new_account")?.text).toBe("New account (5 days old) with no usage data yet: usage is left out of the score");
  });

  it("an established account that never sent usage cannot be green", () => {
    const f = features({ usage: { rowsEver: 0, activeSum30: 0, activeSumPrev30: 0, activeSum7: 0, activeSumBase28: 0, loginDays30: 0, modules30: 0, firstUsageOn: null, firstValueOn: null, malformedRows: 0 } });
    const result = score(f);
    expect(result.usageScore).toBeNull();
    expect(result.band).toBe("yellow");
    expect(result.score).toBe(DEFAULT_HEALTH_MODEL.bands.greenAtLeast - 1);
    expect(reason(f, "usage.no_data")!.impact).toBeLessThan(0);
  });

  it("usage rows but nobody active in the last week scores usage low and says so", () => {
    const f = features({ usage: { activeSum7: 0, activeSum30: 0, loginDays30: 0, modules30: 0 } });
    expect(reason(f, "usage.no_activity")?.text).toBe("No active users in the last 7 days");
    expect(score(f).usageScore).toBeLessThan(30);
  });

  it("no survey answers: left out while young, counted as silence once old enough", () => {
    const silent = { lastAnswerAt: null, npsRecentAvg: null, npsRecentCount: 0, npsPriorAvg: null, npsRecentMin: null, npsRecentMinAt: null, npsLatest: null, npsLatestAt: null, csatRecentAvg: null, csatRecentCount: 0 };
    const young = features({ createdAt: daysAgo(40), perception: silent });
    expect(score(young).perceptionScore).toBeNull();
    expect(codes(young)).toContain("perception.no_answers_yet");
    const old = features({ perception: silent });
    expect(score(old).perceptionScore).toBe(DEFAULT_HEALTH_MODEL.perception.neverAnsweredScore);
    expect(codes(old)).toContain("perception.never_answered");
  });

  it("no touchpoint ever counts from the account's creation", () => {
    const f = features({ createdAt: daysAgo(41), engagement: { lastTouchAt: null } });
    expect(reason(f, "engagement.no_touch")?.text).toBe("No CSM touchpoint since the account was created 41 days ago");
  });

  it("unknown seats skip adoption instead of dividing by zero", () => {
    const f = features({ seats: null });
    expect(score(f).components.usage.details.adoption).toBeNull();
    expect(codes(f)).toContain("usage.seats_unknown");
  });
});

describe("stage awareness", () => {
  it("an onboarding account is judged against its ramp, a mature one against the full target", () => {
    const usage = { activeSum7: 7 * 20, activeSum30: 30 * 20, activeSumPrev30: 30 * 15, activeSumBase28: 28 * 18 };
    const onboarding = score(features({ stage: "onboarding", createdAt: daysAgo(25), usage: { ...usage, firstUsageOn: daysAgo(25), firstValueOn: daysAgo(10) } }));
    const mature = score(features({ stage: "maturity", usage }));
    expect(onboarding.components.usage.details.expectedShare).toBeLessThan(mature.components.usage.details.expectedShare as number);
    expect(onboarding.usageScore!).toBeGreaterThan(mature.usageScore!);
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
  })
  .map(
    (r): AccountFeatures => ({
      accountId: 1,
      segment: null,
      stage: r.stage,
      seats: r.seats,
      createdAt: daysAgo(r.ageDays),
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
        lastAnswerAt: r.answerAgo === null ? null : daysAgo(r.answerAgo),
      },
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

  it("more recent usage never lowers the usage component", () => {
    fc.assert(
      fc.property(featureArb, fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 5 }), (f, extraActive, extraLoginDays, extraModules) => {
        fc.pre(f.usage.rowsEver > 0);
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
      }),
      { numRuns: 500 },
    );
  });

  it("a newer touchpoint never lowers engagement", () => {
    fc.assert(
      fc.property(featureArb, fc.integer({ min: 0, max: 400 }), fc.constantFrom("sponsor", "implementer", "end_user"), (f, newerAgo, reached) => {
        const current = f.engagement.lastTouchAt ? Math.round((SCORED_ON.getTime() - f.engagement.lastTouchAt.getTime()) / 86_400_000) : Infinity;
        fc.pre(newerAgo < current);
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
      }),
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
});
