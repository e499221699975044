#!/usr/bin/env node
// The `pulse` command. Runs the TypeScript sources through tsx's loader, so a fresh clone
// needs no build step (`npm ci` generates the Prisma client; that is all).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
