// `npm run bench -- <scenario>`: runs bench/<scenario>.ts's exported run(). Each scenario
// prints one JSON line with ratios measured in the same run (machines here are noisy, so
// absolute numbers only mean something beside their baseline).
import { readdirSync } from "node:fs";

const scenario = process.argv[2];
const available = readdirSync(new URL(".", import.meta.url))
  .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.startsWith("_"))
  .map((f) => f.replace(/\.ts$/, ""));
if (!scenario || !available.includes(scenario)) {
  console.error(`usage: npm run bench -- <${available.join("|")}>`);
  process.exit(2);
}
const mod = (await import(`./${scenario}.ts`)) as { run: (args: string[]) => Promise<void> };
await mod.run(process.argv.slice(3));
