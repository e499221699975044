// A healthy mature account as of 2026-11-23; tests override what they are about.
import type { AccountFeatures } from "../../../src/domain/health/features.js";

export const SCORED_ON = new Date("2026-11-23T00:00:00Z");
export const daysAgo = (n: number) => new Date(SCORED_ON.getTime() - n * 86_400_000);

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends Date | null ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};

export function features(overrides: DeepPartial<AccountFeatures> = {}): AccountFeatures {
  const base: AccountFeatures = {
    accountId: 1,
    segment: "mid-market",
    stage: "maturity",
    seats: 100,
    createdAt: daysAgo(400),
    stageSet: true,
    usage: {
      rowsEver: 180,
      activeSum30: 30 * 70,
      activeSumPrev30: 30 * 70,
      activeSum7: 7 * 70,
      activeSumBase28: 28 * 70,
      loginDays30: 30,
      modules30: 6,
      firstUsageOn: daysAgo(180),
      firstValueOn: daysAgo(175),
      malformedRows: 0,
      loginsSum30: 30 * 80,
      loginsSumPrev30: 30 * 80,
      lastActiveOn: daysAgo(1),
      moduleNames30: ["reports", "dashboards", "alerts", "exports", "api", "admin"],
      seats90Ago: 100,
      peerActiveShareRank: 0.8,
    },
    engagement: {
      lastTouchAt: daysAgo(5),
      reachedSponsor: true,
      reachedImplementer: true,
      reachedEndUser: true,
      escalations: 0,
      negativeTouches: 0,
      sponsorLeftOn: null,
      sponsorsRemaining: 1,
      championLeftOn: null,
      championsRemaining: 0,
      touches90: 6,
      negativeTouches90: 0,
      positiveTouches90: 3,
      escalations90: 0,
      overdueMilestones: 0,
    },
    perception: {
      npsRecentAvg: 9,
      npsRecentCount: 2,
      npsPriorAvg: 9,
      npsRecentMin: 9,
      npsRecentMinAt: daysAgo(20),
      npsLatest: 9,
      npsLatestAt: daysAgo(20),
      csatRecentAvg: 4.5,
      csatRecentCount: 2,
      cesRecentAvg: null,
      lastAnswerAt: daysAgo(20),
    },
    contract: {
      billingTerm: "annual",
      autoRenew: true,
      renewalDate: daysAgo(-200),
      arr: 50_000,
      arr90Ago: 50_000,
      plan: "Pro",
      traits: {},
    },
    evidence: { touchpoints: true, surveys: true, usage: true, logins: true, modules: true },
  };
  return {
    ...base,
    ...overrides,
    usage: { ...base.usage, ...overrides.usage },
    engagement: { ...base.engagement, ...overrides.engagement },
    perception: { ...base.perception, ...overrides.perception },
    contract: { ...base.contract, ...overrides.contract },
    evidence: { ...base.evidence, ...overrides.evidence },
  } as AccountFeatures;
}
