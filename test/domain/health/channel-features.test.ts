// Linked customer channels as evidence for both models: penalties only where Pulse listens,
// features the learned model can fit, and missing (never "silent") where no channel is linked.
import { describe, expect, it } from "vitest";
import { churnFeatureValues } from "../../../src/domain/health/churn-features.js";
import type { ChannelFeatures, EngagementFeatures } from "../../../src/domain/health/features.js";
import { DEFAULT_HEALTH_MODEL } from "../../../src/domain/health/model-config.js";
import { scoreAccountHealth } from "../../../src/domain/health/score-model.js";
import { daysAgo, features, SCORED_ON } from "./fixtures.js";

const channels = (over: Partial<ChannelFeatures> = {}): ChannelFeatures => ({
  customerMessages30: 40,
  customerPeople30: 4,
  lastCustomerMessageOn: daysAgo(1),
  activeWeeksBeforeLast: 4,
  medianFirstResponseSeconds30: 42 * 60,
  unanswered30: 0,
  customerLeaves90: 0,
  ...over,
});
const withChannels = (c: ChannelFeatures | null) => ({
  ...features(),
  evidence: { ...features().evidence, channels: true },
  channels: c,
});
const codes = (f: ReturnType<typeof withChannels>) =>
  scoreAccountHealth(f, DEFAULT_HEALTH_MODEL, SCORED_ON).reasons.map((r) => r.code);

describe("channel evidence in the rules model", () => {
  it("an account with no linked channel scores exactly as before", () => {
    const plain = scoreAccountHealth(features(), DEFAULT_HEALTH_MODEL, SCORED_ON);
    expect(scoreAccountHealth(withChannels(null), DEFAULT_HEALTH_MODEL, SCORED_ON).score).toBe(plain.score);
    expect(scoreAccountHealth(withChannels(channels()), DEFAULT_HEALTH_MODEL, SCORED_ON).score).toBe(plain.score);
  });

  it("unanswered questions lower the score, capped", () => {
    const base = scoreAccountHealth(withChannels(channels()), DEFAULT_HEALTH_MODEL, SCORED_ON).score;
    const two = scoreAccountHealth(withChannels(channels({ unanswered30: 2 })), DEFAULT_HEALTH_MODEL, SCORED_ON);
    expect(two.score).toBe(base - 8);
    expect(two.reasons.find((r) => r.code === "engagement.channel_unanswered")!.text).toBe(
      "2 customer questions in their channel left unanswered past the response target",
    );
    const ten = scoreAccountHealth(withChannels(channels({ unanswered30: 10 })), DEFAULT_HEALTH_MODEL, SCORED_ON);
    expect(ten.score).toBe(base - 12);
  });

  it("a weekly customer gone quiet for 21 days is a risk; one who never wrote weekly is not", () => {
    expect(codes(withChannels(channels({ lastCustomerMessageOn: daysAgo(25) })))).toContain("engagement.channel_quiet");
    expect(
      codes(withChannels(channels({ lastCustomerMessageOn: daysAgo(25), activeWeeksBeforeLast: 1 }))),
    ).not.toContain("engagement.channel_quiet");
    expect(codes(withChannels(channels({ lastCustomerMessageOn: daysAgo(10) })))).not.toContain(
      "engagement.channel_quiet",
    );
  });
});

describe("channel evidence for the learned model", () => {
  it("gives numbers for a linked account and missing values for one without a channel", () => {
    const linked = churnFeatureValues(withChannels(channels({ unanswered30: 2 })), SCORED_ON);
    expect(linked).toMatchObject({
      channel_customer_messages_30d: 40,
      channel_customer_people_30d: 4,
      channel_days_since_customer_message: 1,
      channel_median_first_response_h: 0.7,
      channel_unanswered_30d: 2,
      channel_customer_leaves_90d: 0,
    });
    const unlinked = churnFeatureValues(withChannels(null), SCORED_ON);
    for (const key of Object.keys(linked).filter((k) => k.startsWith("channel_"))) expect(unlinked[key]).toBeNull();
    // A workspace that links no channel: every account's channel inputs are missing, so the encoder drops them.
    const none = churnFeatureValues(features(), SCORED_ON);
    expect(none.channel_customer_messages_30d).toBeNull();
  });
});

describe("a departed sponsor or likely champion, in both models", () => {
  const SCORE = DEFAULT_HEALTH_MODEL;
  const departure = (engagement: Partial<EngagementFeatures>) =>
    features({ engagement: { sponsorsRemaining: 1, championsRemaining: 0, ...engagement } });
  const penalty = (f: ReturnType<typeof features>) =>
    scoreAccountHealth(f, SCORE, SCORED_ON).reasons.find((r) => r.code === "engagement.sponsor_left");

  it.each([
    [
      "a champion left, none remains, a sponsor does",
      { championLeftOn: daysAgo(3), championsRemaining: 0 },
      "A likely champion left on 20 Nov and no other champion is active in their channel; 1 sponsor remains",
    ],
    [
      "a champion left and no sponsor is on record",
      { championLeftOn: daysAgo(3), championsRemaining: 0, sponsorsRemaining: 0 },
      "A likely champion left on 20 Nov and no other champion is active in their channel; no sponsor is on record either",
    ],
    [
      "the sponsor left, two champions remain",
      { sponsorLeftOn: daysAgo(10), sponsorsRemaining: 0, championsRemaining: 2 },
      "The sponsor left on 13 Nov and no other sponsor is on record; 2 likely champions remain",
    ],
    [
      "both left: the later departure is the one named",
      { sponsorLeftOn: daysAgo(30), sponsorsRemaining: 0, championLeftOn: daysAgo(2), championsRemaining: 0 },
      "A likely champion left on 21 Nov and no other champion is active in their channel; no sponsor is on record either",
    ],
  ])("%s: penalised, saying who and what remains", (_what, engagement, text) => {
    const f = departure(engagement);
    const r = penalty(f);
    expect(r?.text).toBe(text);
    expect(r?.impact).toBe(-SCORE.engagement.sponsorLeftPenalty);
    expect(churnFeatureValues(f, SCORED_ON).sponsor_left).toBe(1);
  });

  it.each([
    ["another champion remains", { championLeftOn: daysAgo(3), championsRemaining: 1 }],
    ["nobody left", {}],
  ])("%s: no penalty, and the learned input says so too", (_what, engagement) => {
    const f = departure(engagement);
    expect(penalty(f)).toBeUndefined();
    expect(churnFeatureValues(f, SCORED_ON).sponsor_left).toBe(0);
  });

  it("a champion who left before the look-back no longer lowers the score", () => {
    const old = departure({ championLeftOn: daysAgo(SCORE.engagement.sponsorLeftLookbackDays + 1) });
    expect(penalty(old)).toBeUndefined();
  });
});
