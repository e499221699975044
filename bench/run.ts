// `npm run bench -- <scenario>`: runs bench/<scenario>.ts's exported run().
const scenario = process.argv[2];
if (!scenario || !/^[a-z0-9-]+$/.test(scenario)) {
  process.stderr.write("usage: npm run bench -- <scenario>   (a file bench/<scenario>.ts)\n");
  process.exit(2);
}
const mod = (await import(`./${scenario}.ts`)) as { run?: () => Promise<void> };
if (typeof mod.run !== "function") {
  process.stderr.write(`bench/${scenario}.ts exports no run()\n`);
  process.exit(2);
}
await mod.run();
