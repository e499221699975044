// The demo portfolio: what a new user sees first, so it has to tell a true story. Each
// account follows one archetype a CSM would recognise (a steady customer, an onboarding
// ramp, a slow decliner, a sudden drop, unused seats, a departed champion, …) and its
// usage, touchpoints and survey answers are drawn from that story, deterministically
// from a seed. Churned accounts declined before they left, so a back-test has something
// true to find. Pure: no I/O; the seeding service writes what this returns.
import { addDays, startOfUtcDay } from "./dates.js";
import { createRng, type Rng } from "./random.js";
import type { LifecycleStage, Sentiment, StakeholderType, SurveyKind, TouchpointKind } from "./vocabulary.js";

export const DEMO_TEAM_ID = "T0DEMO";
export const DEMO_HISTORY_DAYS = 180;
export const DEMO_MODULES = [
  "dashboards",
  "reports",
  "automation",
  "integrations",
  "api",
  "alerts",
  "mobile",
  "admin",
] as const;

export type Archetype =
  | "steady"
  | "coasting"
  | "expanding"
  | "onboarding_ramp"
  | "new_orientation"
  | "stalled_onboarding"
  | "slow_decline"
  | "sudden_drop"
  | "unused_seats"
  | "champion_left"
  | "churned";

export type Segment = "enterprise" | "mid-market" | "smb";
export type Stage = LifecycleStage;
export type Stakeholder = StakeholderType;

export interface DemoUser {
  slackUserId: string;
  name: string;
  role: "csm" | "manager" | "admin";
  timezone: string;
}

export interface DemoContact {
  name: string;
  email: string;
  title: string;
  stakeholderType: Stakeholder;
  leftAt?: Date;
}

export interface DemoUsageDay {
  day: Date;
  activeUsers: number;
  logins: number;
  seats: number;
  modules: Record<string, number>;
}

export interface DemoTouchpoint {
  kind: TouchpointKind;
  occurredAt: Date;
  stakeholderTypes: Stakeholder[];
  sentiment: Sentiment;
  notes: string;
}

export interface DemoSurvey {
  kind: SurveyKind;
  score: number;
  comment?: string;
  respondedAt: Date;
  stakeholderType: Stakeholder;
  /** Index into the account's contacts. */
  contactIndex: number;
}

export interface DemoChurn {
  churnedOn: Date;
  primaryReason:
    | "low_adoption"
    | "champion_left"
    | "competitor"
    | "budget_or_price"
    | "product_gap"
    | "failed_onboarding";
  contributingFactors: DemoChurn["primaryReason"][];
  warningSigns: string;
  lessons: string;
  preventable: boolean;
}

export interface DemoArrChange {
  effectiveOn: Date;
  kind: "new_business" | "expansion" | "contraction" | "churn";
  arrBefore: number;
  arrAfter: number;
}

export interface DemoAccount {
  externalId: string;
  name: string;
  domain: string;
  segment: Segment;
  archetype: Archetype;
  ownerSlackId: string;
  arr: number;
  seats: number;
  contractStart: Date;
  renewalDate: Date;
  stage: Stage;
  createdAt: Date;
  status: "active" | "churned";
  churn?: DemoChurn;
  contacts: DemoContact[];
  usage: DemoUsageDay[];
  touchpoints: DemoTouchpoint[];
  surveys: DemoSurvey[];
  arrChanges: DemoArrChange[];
}

export interface DemoPortfolio {
  teamId: string;
  workspaceName: string;
  users: DemoUser[];
  accounts: DemoAccount[];
}

const USERS: DemoUser[] = [
  { slackUserId: "U0DEMOADMIN", name: "Sam Okafor", role: "admin", timezone: "Europe/London" },
  { slackUserId: "U0DEMOMGR", name: "Priya Raman", role: "manager", timezone: "America/New_York" },
  { slackUserId: "U0DEMOCSM1", name: "Maya Chen", role: "csm", timezone: "America/Los_Angeles" },
  { slackUserId: "U0DEMOCSM2", name: "Jonas Weber", role: "csm", timezone: "Europe/Berlin" },
  { slackUserId: "U0DEMOCSM3", name: "Lucía Martín", role: "csm", timezone: "Europe/Madrid" },
  { slackUserId: "U0DEMOCSM4", name: "Tom Becker", role: "csm", timezone: "America/Chicago" },
  { slackUserId: "U0DEMOCSM5", name: "Aisha Bello", role: "csm", timezone: "Africa/Lagos" },
];

/** The demo's own people: nobody real, so they never count as a workspace's first user. */
export const DEMO_SLACK_USER_IDS: readonly string[] = USERS.map((u) => u.slackUserId);

const ARCHETYPE_COUNTS: [Archetype, number][] = [
  ["steady", 40],
  ["coasting", 16],
  ["expanding", 18],
  ["onboarding_ramp", 16],
  ["new_orientation", 6],
  ["stalled_onboarding", 10],
  ["slow_decline", 24],
  ["sudden_drop", 12],
  ["unused_seats", 20],
  ["champion_left", 14],
  ["churned", 24],
];

const NAME_HEADS = [
  "Acme",
  "Northwind",
  "Bluefin",
  "Cobalt",
  "Driftwood",
  "Evergreen",
  "Foxglove",
  "Granite",
  "Harbor",
  "Ironbark",
  "Juniper",
  "Keystone",
  "Lumen",
  "Meridian",
  "Nimbus",
  "Oakridge",
  "Pinnacle",
  "Quarry",
  "Redwood",
  "Summit",
  "Tidewater",
  "Umber",
  "Vantage",
  "Willow",
  "Yarrow",
  "Zephyr",
  "Atlas",
  "Beacon",
  "Cascade",
  "Delta",
];
const NAME_TAILS = [
  "Analytics",
  "Logistics",
  "Health",
  "Foods",
  "Robotics",
  "Capital",
  "Media",
  "Systems",
  "Energy",
  "Labs",
];

const FIRST_NAMES = [
  "Alex",
  "Jordan",
  "Sasha",
  "Kim",
  "Noor",
  "Ravi",
  "Elena",
  "Marco",
  "Grace",
  "Hiro",
  "Fatima",
  "Owen",
  "Lena",
  "Diego",
  "Ines",
  "Yusuf",
];
const LAST_NAMES = [
  "Nguyen",
  "Patel",
  "Schmidt",
  "Rossi",
  "Kowalski",
  "Haddad",
  "Silva",
  "Johansson",
  "Tanaka",
  "Mensah",
  "Dubois",
  "Novak",
];

const SEGMENT_PROFILE: Record<Segment, { arr: [number, number]; seats: [number, number] }> = {
  enterprise: { arr: [120_000, 480_000], seats: [250, 1500] },
  "mid-market": { arr: [24_000, 110_000], seats: [40, 250] },
  smb: { arr: [3_000, 20_000], seats: [5, 40] },
};

function roundMoney(n: number): number {
  return Math.round(n / 100) * 100;
}

/**
 * How one account lives its archetype. Real portfolios are not made of clones: steady
 * customers sit at different levels, declines start at different times and go to
 * different depths, and no two sudden drops happen in the same week by the same amount
 * (twelve accounts losing 90% of their users in one week reads as a tracking outage).
 */
interface Shape {
  /** The account's usual share of seats active. */
  level: number;
  /** When a drop or a departure starts (t units), when a churn happens, when usage starts. */
  dropAt: number;
  churnT: number;
  startT: number;
  /** Share of the level lost by the end of a decline or drop. */
  depth: number;
  /** How long a sudden drop takes to play out, in t units (a few days). */
  slide: number;
  /** When a slow decline starts. */
  declineFrom: number;
  /** Modules used when things are fine. */
  breadth: number;
}

/** Share of seats active on a day, by archetype; `t` runs 0 (oldest day) .. 1 (today). */
function activeShare(a: Archetype, t: number, shape: Shape): number {
  if (t < shape.startT) return 0;
  const { level, depth } = shape;
  switch (a) {
    case "steady":
    case "coasting":
      return level;
    case "expanding":
      return level + 0.15 * t;
    case "onboarding_ramp": {
      const since = (t - shape.startT) / Math.max(0.01, 1 - shape.startT);
      return 0.08 + (level - 0.08) * Math.min(1, since * 1.2);
    }
    case "new_orientation":
      return 0.03 + 0.1 * ((t - shape.startT) / Math.max(0.01, 1 - shape.startT));
    case "stalled_onboarding": {
      const since = (t - shape.startT) / Math.max(0.01, 1 - shape.startT);
      return 0.06 + 0.1 * Math.min(1, since * 3);
    }
    case "slow_decline":
      return level * (1 - depth * Math.max(0, (t - shape.declineFrom) / (1 - shape.declineFrom)));
    case "sudden_drop":
      return level * (1 - depth * Math.min(1, Math.max(0, (t - shape.dropAt) / shape.slide)));
    case "unused_seats":
      return level;
    case "champion_left":
      return t < shape.dropAt ? level : level * (1 - depth * Math.min(1, (t - shape.dropAt) / 0.2));
    case "churned": {
      if (t >= shape.churnT) return 0;
      const declineStart = shape.churnT - 0.45;
      return t < declineStart ? level : level - (level - 0.07) * ((t - declineStart) / 0.45);
    }
  }
}

function moduleBreadth(a: Archetype, t: number, ctx: Shape): number {
  switch (a) {
    case "steady":
      return ctx.breadth;
    case "coasting":
      return Math.min(ctx.breadth, 4);
    case "expanding":
      return 7 + (t > 0.5 ? 1 : 0);
    case "onboarding_ramp":
      return 2 + Math.round(3 * t);
    case "new_orientation":
      return 1;
    case "stalled_onboarding":
      return 1;
    case "slow_decline":
      return t < 0.5 ? 5 : 3;
    case "sudden_drop":
      return t < ctx.dropAt ? ctx.breadth : Math.max(1, Math.round(ctx.breadth * (1 - ctx.depth)));
    case "unused_seats":
      return 2;
    case "champion_left":
      return t < ctx.dropAt ? 6 : 4;
    case "churned":
      return t < ctx.churnT - 0.3 ? 4 : 2;
  }
}

function makeContacts(rng: Rng, domain: string, championLeftOn: Date | undefined): DemoContact[] {
  const person = () => {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    return { name: `${first} ${last}`, email: `${first}.${last}@${domain}`.toLowerCase() };
  };
  const contacts: DemoContact[] = [
    { ...person(), title: "VP Operations", stakeholderType: "sponsor" },
    { ...person(), title: "Systems Administrator", stakeholderType: "implementer" },
    { ...person(), title: "Team Lead", stakeholderType: "end_user" },
    { ...person(), title: "Analyst", stakeholderType: "end_user" },
  ];
  if (championLeftOn) contacts[0]!.leftAt = championLeftOn;
  return contacts;
}

// Touchpoint notes are composed from parts: who was met and how, what the story says at
// that point of it, and what happens next. A card lists the last few notes, and a demo
// that says the same sentence three times in a row reads as generated, not as a customer.
const NOTE_OPENERS: Record<TouchpointKind, string[]> = {
  call: ["Call with {who}", "Quick call with {who}", "Phone check-in with {who}", "Caught up with {who} by phone"],
  meeting: ["Met {who}", "Working session with {who}", "On-site visit with {who}", "Video meeting with {who}"],
  email: ["Email from {who}", "Emailed {who}", "Reply from {who}", "Email thread with {who}"],
  qbr: ["QBR with {who}", "Quarterly business review with {who}", "Business review with {who} and their team"],
  support_escalation: ["Escalation raised by {who}", "Support escalation from {who}", "{who} escalated a ticket"],
  other: ["Note about {who}", "Heard from {who}"],
};

const STORY_NOTES: Record<Archetype, { early: string[]; late: string[] }> = {
  steady: {
    early: [
      "team happy, asked about the new alerts module",
      "reviewed the adoption dashboard; renewal looks straightforward",
      "weekly ops meeting now runs off our dashboards",
      "asked for tips on scheduling reports for the leadership team",
      "no open issues; they want early access to the mobile app",
      "walked through last quarter's usage, steady across teams",
    ],
    late: [
      "renewal paperwork started, no concerns raised",
      "shared a customer story draft for their approval",
      "asked about SSO for the new subsidiary",
    ],
  },
  coasting: {
    early: [
      "they use the core reports and little else",
      "no complaints; no appetite for new modules either",
      "asked to keep the same plan next year",
      "the admin is happy with the current setup",
    ],
    late: [
      "showed the automation module, polite interest",
      "fine with the product, busy with other projects",
      "renewal likely flat; no expansion this year",
    ],
  },
  expanding: {
    early: [
      "sponsor wants to roll out to two more departments",
      "discussed seat expansion and API access for the data team",
      "the finance team wants its own dashboards",
      "asked for a quote on the automation add-on",
    ],
    late: [
      "second department live; training the new admins",
      "expansion signed; planning the rollout in waves",
      "API integration with their warehouse went live",
    ],
  },
  onboarding_ramp: {
    early: [
      "kickoff done; admin configured SSO and imported data",
      "agreed success criteria and a go-live date",
      "data import finished, first dashboards built",
    ],
    late: [
      "training session for the first team; good questions",
      "second team onboarded, logins climbing",
      "they built their first automation without help",
      "reviewed the onboarding checklist, two items left",
    ],
  },
  new_orientation: {
    early: [
      "welcome call: agreed success criteria and onboarding plan",
      "introduced the onboarding team and the timeline",
    ],
    late: ["sent the admin setup guide and booked the kickoff", "confirmed who owns the rollout on their side"],
  },
  stalled_onboarding: {
    early: [
      "admin has not finished the integration setup; waiting on their IT",
      "kickoff went well, but nobody has logged in since",
      "data import blocked on a firewall rule",
    ],
    late: [
      "rescheduled training again; champion is busy with a re-org",
      "offered a hands-on setup session, no reply yet",
      "IT ticket still open on their side",
      "agreed to restart onboarding after their quarter close",
    ],
  },
  slow_decline: {
    early: [
      "usage review: a few teams run fewer reports than last quarter",
      "asked how other customers use alerts",
      "mentioned a new internal BI tool being piloted",
    ],
    late: [
      "usage review: fewer reports run than last quarter",
      "users say the old workflow is 'good enough'",
      "the BI pilot is spreading to more teams",
      "sponsor is unsure the renewal will be approved",
      "offered a workflow review, they will think about it",
    ],
  },
  sudden_drop: {
    early: [
      "all looked fine; they are planning a bigger rollout",
      "asked for a report template for their board",
      "no concerns, usage strong across teams",
      "walked through the new dashboard filters",
    ],
    late: [
      "no reply to the usage check-in yet",
      "left a voicemail about the usage dip",
      "they say a team moved to another tool, checking",
    ],
  },
  unused_seats: {
    early: [
      "licensed for the whole org, only one team uses it so far",
      "the pilot team is happy; no plan yet for the others",
      "asked who should own the wider rollout",
    ],
    late: [
      "other departments still have not been invited",
      "sponsor asked whether they need all those seats",
      "proposed a rollout plan for two more teams",
    ],
  },
  champion_left: {
    early: [
      "sponsor presented our results to their leadership",
      "planning next year's goals with the sponsor",
      "sponsor asked for a renewal proposal",
    ],
    late: [
      "our sponsor has left the company; new contact unclear",
      "end users still active but nobody owns the budget",
      "asked who replaces the sponsor, no answer yet",
      "new VP starts next month; we asked for an intro",
    ],
  },
  churned: {
    early: [
      "usage steady; asked about pricing for next year",
      "renewal still months away; no concerns raised",
      "a new team lead asked for training",
    ],
    late: [
      "usage falling; customer evaluating alternatives",
      "customer raised price concerns ahead of renewal",
      "a competitor demo was mentioned",
      "sponsor stopped answering; the admin seems unsure",
    ],
  },
};

const NOTE_NEXT_STEPS = [
  "",
  "",
  " Next: send the adoption report.",
  " Follow-up booked for next week.",
  " Sharing a short training video.",
  " Will check in again after their release.",
  " Sent the notes and action items.",
  " Looping in our solutions engineer.",
];

/** A note, and its story part: the next touchpoint of the account tells a different one. */
function composeNote(
  rng: Rng,
  parts: { kind: TouchpointKind; who: string; archetype: Archetype; late: boolean; previousBody?: string },
): { notes: string; body: string } {
  const story = STORY_NOTES[parts.archetype];
  const bodies = (parts.late ? story.late : story.early).filter((b) => b !== parts.previousBody);
  const body = rng.pick(bodies.length ? bodies : story.early);
  const opener = rng.pick(NOTE_OPENERS[parts.kind]).replace("{who}", parts.who);
  return { notes: `${opener}: ${body}.${rng.pick(NOTE_NEXT_STEPS)}`, body };
}

const DETRACTOR_COMMENTS = [
  "Reporting is too slow for our month-end close.",
  "Since our admin left nobody knows how to configure it.",
  "We are not getting the value we were promised.",
  "Support took a week to answer a blocking issue.",
];
const PROMOTER_COMMENTS = [
  "The dashboards changed how we run our weekly ops meeting.",
  "Great onboarding and a responsive CSM.",
  "Automation saves my team hours each week.",
];

function npsFor(a: Archetype, rng: Rng, late: boolean, passive: boolean): number {
  switch (a) {
    case "coasting":
      return rng.int(6, 9);
    case "steady":
    case "expanding":
      return passive ? rng.int(7, 9) : rng.int(9, 10);
    case "onboarding_ramp":
      return rng.int(8, 10);
    case "slow_decline":
      return late ? rng.int(5, 7) : rng.int(7, 8);
    case "champion_left":
      return late ? rng.int(2, 5) : rng.int(8, 9);
    case "churned":
      return late ? rng.int(1, 5) : rng.int(6, 8);
    case "unused_seats":
      return rng.int(6, 8);
    case "stalled_onboarding":
      return rng.int(5, 7);
    default:
      return rng.int(7, 9);
  }
}

export function generateDemoPortfolio(now: Date, seed = 20261123): DemoPortfolio {
  const rng = createRng(seed);
  const today = startOfUtcDay(now);
  const firstDay = addDays(today, -(DEMO_HISTORY_DAYS - 1));
  const csms = USERS.filter((u) => u.role === "csm");
  const archetypes = ARCHETYPE_COUNTS.flatMap(([a, n]) => Array.from({ length: n }, () => a));
  // Deterministic shuffle so owners and names are not grouped by archetype.
  for (let i = archetypes.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [archetypes[i], archetypes[j]] = [archetypes[j]!, archetypes[i]!];
  }

  const usedNames = new Set<string>();
  const seen = new Map<Archetype, number>();
  const accounts: DemoAccount[] = archetypes.map((archetype, index) => {
    let name: string;
    do name = `${rng.pick(NAME_HEADS)} ${rng.pick(NAME_TAILS)}`;
    while (usedNames.has(name));
    usedNames.add(name);
    const domain = `${name.toLowerCase().replace(/[^a-z]+/g, "")}.com`;
    const segment: Segment = rng.chance(0.2) ? "enterprise" : rng.chance(0.5) ? "mid-market" : "smb";
    const profile = SEGMENT_PROFILE[segment];
    const arr = roundMoney(profile.arr[0] + rng.next() * (profile.arr[1] - profile.arr[0]));
    const seats = rng.int(profile.seats[0], profile.seats[1]);

    // Timeline, in units of the 180-day window.
    const isNew =
      archetype === "onboarding_ramp" || archetype === "new_orientation" || archetype === "stalled_onboarding";
    const ageDays =
      archetype === "new_orientation"
        ? rng.int(4, 12)
        : archetype === "onboarding_ramp"
          ? rng.int(25, 75)
          : archetype === "stalled_onboarding"
            ? rng.int(45, 90)
            : rng.int(200, 1400);
    const createdAt = addDays(today, -ageDays);
    const startT = isNew ? 1 - ageDays / (DEMO_HISTORY_DAYS - 1) : 0;
    const churnDaysAgo = archetype === "churned" ? rng.int(5, 150) : 0;
    const churnT = archetype === "churned" ? 1 - churnDaysAgo / (DEMO_HISTORY_DAYS - 1) : 2;
    // Sudden drops take turns over three different weeks (the nth one in week n mod 3),
    // and each slides over a few days to a depth of its own.
    const nth = seen.get(archetype) ?? 0;
    seen.set(archetype, nth + 1);
    const slideDays = rng.int(1, 4);
    const dropDaysAgo =
      archetype === "sudden_drop"
        ? 12 + 6 * (nth % 3) + rng.int(0, 5)
        : archetype === "champion_left"
          ? rng.int(25, 40)
          : undefined;
    const dropAt = dropDaysAgo === undefined ? 2 : 1 - dropDaysAgo / (DEMO_HISTORY_DAYS - 1);
    const between = (lo: number, hi: number) => lo + rng.next() * (hi - lo);
    const shape: Shape = {
      level:
        archetype === "unused_seats"
          ? between(0.1, 0.28)
          : archetype === "steady"
            ? between(0.59, 0.85)
            : archetype === "coasting"
              ? between(0.34, 0.52)
              : archetype === "slow_decline"
                ? between(0.6, 0.8)
                : archetype === "onboarding_ramp"
                  ? between(0.5, 0.68)
                  : between(0.6, 0.74),
      dropAt,
      churnT,
      startT,
      depth:
        archetype === "sudden_drop"
          ? between(0.72, 0.95)
          : archetype === "slow_decline"
            ? between(0.33, 0.6)
            : between(0.2, 0.55),
      slide: slideDays / (DEMO_HISTORY_DAYS - 1),
      declineFrom: between(0.25, 0.45),
      breadth: rng.int(3, 7),
    };
    // Not every loyal customer is a promoter: some answer as passives.
    const passive = rng.chance(0.3);
    const contractStart = isNew ? createdAt : addDays(today, -rng.int(100, 330));
    const renewalDate = addDays(contractStart, 365);
    const churnedOn = archetype === "churned" ? addDays(today, -churnDaysAgo) : undefined;

    const contacts = makeContacts(
      rng,
      domain,
      archetype === "champion_left" ? addDays(today, -dropDaysAgo!) : undefined,
    );

    const usage: DemoUsageDay[] = [];
    for (let d = 0; d < DEMO_HISTORY_DAYS; d++) {
      const day = addDays(firstDay, d);
      if (day < startOfUtcDay(createdAt)) continue;
      if (churnedOn && day >= churnedOn) break;
      const t = d / (DEMO_HISTORY_DAYS - 1);
      const weekday = day.getUTCDay();
      const weekend = weekday === 0 || weekday === 6 ? 0.25 : 1;
      const share = Math.max(0, activeShare(archetype, t, shape) * weekend * (1 + 0.08 * rng.normal()));
      const activeUsers = Math.min(seats, Math.round(seats * share));
      const logins = Math.round(activeUsers * (1.3 + 0.4 * rng.next()));
      const breadth =
        activeUsers === 0
          ? 0
          : Math.max(
              1,
              Math.min(DEMO_MODULES.length, moduleBreadth(archetype, t, shape) + (rng.chance(0.15) ? -1 : 0)),
            );
      const modules: Record<string, number> = {};
      for (let m = 0; m < breadth; m++)
        modules[DEMO_MODULES[m]!] = Math.max(1, Math.round(activeUsers * (1.5 - m * 0.15) * (0.8 + 0.4 * rng.next())));
      usage.push({ day, activeUsers, logins, seats, modules });
    }

    // Touchpoints: cadence by story, and the last touch as recent as the story says.
    const touchpoints: DemoTouchpoint[] = [];
    const cadence: Record<Archetype, [number, number]> = {
      steady: [12, 24],
      coasting: [20, 40],
      expanding: [8, 16],
      onboarding_ramp: [5, 9],
      new_orientation: [3, 5],
      stalled_onboarding: [10, 20],
      slow_decline: [25, 45],
      sudden_drop: [18, 30],
      unused_seats: [20, 35],
      champion_left: [14, 28],
      churned: [15, 30],
    };
    const lastTouchAgo: Record<Archetype, [number, number]> = {
      // Some healthy accounts simply have not been talked to for a few weeks.
      steady: [2, 30],
      coasting: [8, 35],
      expanding: [1, 8],
      onboarding_ramp: [1, 6],
      new_orientation: [1, 3],
      stalled_onboarding: [18, 35],
      slow_decline: [38, 70],
      sudden_drop: [20, 32],
      unused_seats: [30, 60],
      champion_left: [5, 15],
      churned: [0, 0],
    };
    const whoFor = (type: Stakeholder): string => {
      const c = type === "sponsor" ? contacts[0]! : type === "implementer" ? contacts[1]! : contacts[rng.int(2, 3)]!;
      return `${c.name} (${c.title})`;
    };
    let previousBody: string | undefined;
    let cursor = churnedOn ? addDays(churnedOn, -rng.int(3, 15)) : addDays(today, -rng.int(...lastTouchAgo[archetype]));
    while (cursor >= createdAt && cursor >= firstDay) {
      const t = (startOfUtcDay(cursor).getTime() - firstDay.getTime()) / ((DEMO_HISTORY_DAYS - 1) * 86_400_000);
      const lateTrouble =
        (archetype === "champion_left" && t >= dropAt) ||
        (archetype === "churned" && t > churnT - 0.3) ||
        (archetype === "slow_decline" && t > 0.7);
      // A customer in its first days has had its welcome call, not a QBR or an escalation.
      const kind =
        archetype !== "new_orientation" && rng.chance(0.12)
          ? "qbr"
          : archetype !== "new_orientation" && rng.chance(0.1)
            ? "support_escalation"
            : rng.pick(["call", "meeting", "email"] as const);
      const reachesSponsor = !(archetype === "champion_left" && t >= dropAt) && (kind === "qbr" || rng.chance(0.35));
      const stakeholderTypes: Stakeholder[] = reachesSponsor
        ? ["sponsor", "end_user"]
        : rng.chance(0.4)
          ? ["implementer"]
          : ["end_user"];
      const note = composeNote(rng, {
        kind,
        who: whoFor(stakeholderTypes[0]!),
        archetype,
        late: isNew
          ? t > startT + (1 - startT) / 3
          : archetype === "sudden_drop"
            ? t >= dropAt
            : lateTrouble || (["steady", "coasting", "expanding", "unused_seats"].includes(archetype) && t > 0.6),
        previousBody,
      });
      previousBody = note.body;
      touchpoints.push({
        kind,
        occurredAt: new Date(cursor.getTime() + rng.int(14, 17) * 3_600_000),
        stakeholderTypes,
        sentiment:
          lateTrouble || kind === "support_escalation"
            ? "negative"
            : archetype === "steady" || archetype === "expanding"
              ? "positive"
              : "neutral",
        notes: note.notes,
      });
      cursor = addDays(cursor, -rng.int(...cadence[archetype]));
    }

    // Surveys: NPS roughly quarterly from two contacts; CSAT after escalations.
    const surveys: DemoSurvey[] = [];
    const silent = archetype === "sudden_drop" || archetype === "unused_seats";
    for (let ago = rng.int(10, 40); ago < DEMO_HISTORY_DAYS; ago += rng.int(80, 100)) {
      const when = addDays(today, -ago);
      if (when < createdAt || (churnedOn && when >= churnedOn)) continue;
      if (silent && ago < 120) continue; // these accounts have stopped answering
      const late = churnedOn ? (churnedOn.getTime() - when.getTime()) / 86_400_000 < 60 : ago < 45;
      for (const contactIndex of [0, 2]) {
        const score = npsFor(archetype, rng, late, passive);
        surveys.push({
          kind: "nps",
          score,
          comment:
            score <= 6
              ? rng.pick(DETRACTOR_COMMENTS)
              : score >= 9 && rng.chance(0.5)
                ? rng.pick(PROMOTER_COMMENTS)
                : undefined,
          respondedAt: new Date(when.getTime() + rng.int(9, 18) * 3_600_000),
          stakeholderType: contacts[contactIndex]!.stakeholderType,
          contactIndex,
        });
      }
    }
    for (const tp of touchpoints.filter((x) => x.kind === "support_escalation")) {
      const bad = archetype === "churned" || archetype === "slow_decline" || archetype === "champion_left";
      surveys.push({
        kind: "csat",
        score: bad ? rng.int(1, 3) : rng.int(4, 5),
        respondedAt: addDays(tp.occurredAt, 2),
        stakeholderType: "end_user",
        contactIndex: 3,
      });
    }

    // ARR history: the deal, an expansion for growing accounts, the churn.
    const arrChanges: DemoArrChange[] = [];
    const startingArr = archetype === "expanding" ? roundMoney(arr * 0.7) : arr;
    arrChanges.push({ effectiveOn: contractStart, kind: "new_business", arrBefore: 0, arrAfter: startingArr });
    if (archetype === "expanding")
      arrChanges.push({
        effectiveOn: addDays(today, -rng.int(20, 60)),
        kind: "expansion",
        arrBefore: startingArr,
        arrAfter: arr,
      });

    let churn: DemoChurn | undefined;
    if (churnedOn) {
      const reasons = [
        "low_adoption",
        "champion_left",
        "competitor",
        "budget_or_price",
        "product_gap",
        "failed_onboarding",
      ] as const;
      const primaryReason = reasons[index % reasons.length]!;
      churn = {
        churnedOn,
        primaryReason,
        contributingFactors: [reasons[(index + 2) % reasons.length]!],
        warningSigns: "Active users fell for weeks before renewal; the last NPS answers were detractors.",
        lessons: "Escalate sustained usage decline to the sponsor within two weeks.",
        preventable: primaryReason !== "budget_or_price",
      };
      arrChanges.push({ effectiveOn: churnedOn, kind: "churn", arrBefore: arr, arrAfter: 0 });
    }

    const stage: Stage = (() => {
      switch (archetype) {
        case "new_orientation":
          return "orientation";
        case "onboarding_ramp":
        case "stalled_onboarding":
          return "onboarding";
        case "expanding":
          return "development";
        case "unused_seats":
          return "adoption";
        default:
          return rng.chance(0.3) ? "adoption" : "maturity";
      }
    })();

    return {
      externalId: `DEMO-${String(index + 1).padStart(4, "0")}`,
      name,
      domain,
      segment,
      archetype,
      ownerSlackId: csms[index % csms.length]!.slackUserId,
      arr,
      seats,
      contractStart,
      renewalDate: renewalDate < today && !churnedOn ? addDays(renewalDate, 365) : renewalDate,
      stage,
      createdAt,
      status: churnedOn ? "churned" : "active",
      churn,
      contacts,
      usage,
      touchpoints: touchpoints.reverse(),
      surveys,
      arrChanges,
    };
  });

  return { teamId: DEMO_TEAM_ID, workspaceName: "Pulse demo", users: USERS, accounts };
}
