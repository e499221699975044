// `pulse run <job>`: one scheduled job, now, with the body the scheduler runs. It goes
// through the scheduler's own slot claim and advisory lock, so it never overlaps the
// scheduled run of the same job and its outcome lands in job_run like any other.
import { parseArgs } from "node:util";
import { systemClock, type AppContext } from "../../app-context.js";
import { openDatabase } from "../../db/open.js";
import { buildJobs, JOB_NAMES } from "../../jobs/index.js";
import { runJobSlot, slotOf, type SlotOutcome } from "../../jobs/scheduler.js";
import { UsageError, type CliCommand } from "../command.js";
import { cliSlackPorts } from "../slack-ports.js";
import { resolveWorkspaces } from "../workspaces.js";

const OUTCOME_TEXT: Record<Exclude<SlotOutcome, "succeeded" | "failed">, string> = {
  "claimed-elsewhere": "the scheduler is running this very slot right now; nothing was run twice",
  "previous-run-still-going":
    "a run of this job is still going (scheduled or another `pulse run`); try again when it ends",
};

export const runCommand: CliCommand = {
  name: "run",
  summary: "Run one scheduled job once, now (score-accounts, digests, …), as the scheduler would.",
  usage: `pulse run <job> [--workspace T0123ABCD …] [--json]\n  jobs: ${JOB_NAMES.join(", ")}`,
  async run(args, { config, logger, io }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { workspace: { type: "string", multiple: true }, json: { type: "boolean", default: false } },
    });
    const names: readonly string[] = JOB_NAMES;
    const [name, ...extra] = positionals;
    if (!name) throw new UsageError(`say which job to run: ${names.join(", ")}`);
    if (!names.includes(name)) throw new UsageError(`unknown job "${name}": the jobs are ${names.join(", ")}`);
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);

    const database = await openDatabase(config, logger);
    try {
      // Local mode prints what would be posted; with --json it goes to stderr, leaving
      // stdout to the one JSON line.
      const ctx: AppContext = {
        config,
        db: database.db,
        databaseUrl: database.url,
        logger,
        slack: cliSlackPorts(config, database.db, values.json ? io.err : io.out),
        clock: systemClock,
      };
      const job = buildJobs(ctx).find((j) => j.name === name)!;
      let workspaceIds: number[] | undefined;
      if (values.workspace?.length) {
        if (job.scope === "global")
          throw new UsageError(`${name} tidies every workspace at once; it takes no --workspace`);
        workspaceIds = (await resolveWorkspaces(database.db, values.workspace)).map((w) => w.id);
      }
      const now = systemClock();
      const started = Date.now();
      const outcome = await runJobSlot(
        job,
        now,
        { db: database.db, databaseUrl: database.url, logger },
        { workspaceIds },
      );
      const durationMs = Date.now() - started;
      const slot = slotOf(now);
      const error =
        outcome === "failed"
          ? ((await database.db.jobRun.findUnique({ where: { job_slot: { job: name, slot } } }))?.error ?? "failed")
          : undefined;
      if (values.json) {
        io.out(
          `${JSON.stringify({ job: name, slot, outcome, durationMs, ...(values.workspace && { workspaces: values.workspace }), ...(error && { error }) })}\n`,
        );
      } else if (outcome === "succeeded") {
        io.out(`${name}: done in ${(durationMs / 1000).toFixed(1)} s (recorded as job run ${slot}).\n`);
      } else if (outcome === "failed") {
        io.err(`pulse run: ${name} failed: ${error}\n`);
      } else {
        io.err(`pulse run: ${name} did not run: ${OUTCOME_TEXT[outcome]}.\n`);
      }
      return outcome === "succeeded" ? 0 : 1;
    } finally {
      await database.close();
    }
  },
};
