// Claims held open right now, across every workspace: an operator's gauge (/metrics), not a
// workspace's view, so it is the one read here that is not scoped to a workspace.
import type { Db } from "../db/client.js";
import type { OpenClaims } from "../observability/metrics.js";

export async function countOpenClaims(db: Db): Promise<OpenClaims> {
  const [digestRuns, jobRuns] = await Promise.all([
    db.digestRun.count({ where: { status: "claimed" } }),
    db.jobRun.count({ where: { status: "running" } }),
  ]);
  return { digestRuns, jobRuns };
}
