#!/usr/bin/env -S node --max-old-space-size=512 --max-semi-space-size=16
// The `pulse` command. Runs the TypeScript sources through tsx's loader, so a fresh clone
// needs no build step (`npm ci` generates the Prisma client; that is all).
//
// The heap is bounded in the line above (npm's scripts run this file, so they get it too).
// Pulse's jobs stream, and their live heap stays near 50 MB; under V8's default limit of a
// quarter of the machine's memory the collector lets garbage grow to hundreds of MB before
// collecting, which on a shared host is memory taken from PostgreSQL. To change the limit,
// run `node --max-old-space-size=<MB> bin/pulse.js …` instead.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
