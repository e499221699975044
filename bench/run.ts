// `npm run bench -- <scenario>`: runs bench/<scenario>.ts's exported run().
const scenario = process.argv[2];
if (!scenario || !/^[a-z0-9-]+$/.test(scenario)) {
  process.stderr.write("Usage: npm run bench -- <scenario>   (a file bench/<scenario>.ts exporting run())\n");
  process.exit(2);
}
const mod = (await import(`./${scenario}.ts`)) as { run?: () => Promise<void> };
if (typeof mod.run !== "function") {
  process.stderr.write(`bench/${scenario}.ts does not export run()\n`);
  process.exit(2);
}
await mod.run();
