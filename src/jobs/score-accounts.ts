// Nightly health scoring of every active workspace. The scheduler makes sure one process
// runs each slot and that runs never overlap.
import type { AppContext } from "../app-context.js";
import { scoreAllWorkspaces, type ScoringRunSummary } from "../services/score-accounts.js";

export async function runScoreAccounts(ctx: Pick<AppContext, "db" | "logger" | "config">, now: Date): Promise<ScoringRunSummary[]> {
  return scoreAllWorkspaces(ctx, now, { trigger: "schedule" });
}
