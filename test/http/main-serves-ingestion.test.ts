import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/log.js";
import { startPulse, type RunningPulse } from "../../src/main.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

let t: TestDatabase;
let pulse: RunningPulse;

beforeAll(async () => {
  t = await createTestDatabase();
  pulse = await startPulse(
    parseConfig({ DATABASE_URL: t.url, PORT: "0", LOG_LEVEL: "silent", PULSE_SEED_DEMO: "never" }),
    createLogger("silent"),
    { handleSignals: false },
  );
});
afterAll(async () => {
  await pulse.stop();
  await t.drop();
});

describe("startPulse", () => {
  it("always serves the ingestion API", async () => {
    for (const path of ["/api/v1/events", "/api/v1/accounts"]) {
      const res = await fetch(`http://127.0.0.1:${pulse.port}${path}`, { method: "POST", body: "{}" });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: "unauthorized" } });
    }
  });
});
