import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, redactSecrets } from "../src/log.js";

describe("logging", () => {
  it.each([
    ["token xoxb-123-456-abcdef here", "token [redacted] here"],
    ["app xapp-1-A1-999-zz", "app [redacted]"],
    ["postgresql://pulse:s3cr3t@db:5432/pulse", "postgresql://pulse:[redacted]@db:5432/pulse"],
    ["key pulse_sk_live_abc123", "key [redacted]"],
    ["nothing secret", "nothing secret"],
  ])("redacts %s", (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it("never writes a token, whether in the message, a field or an error", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger("info", sink);
    logger.info({ botToken: "xoxb-1-2-secret", nested: { url: "postgres://u:pw@h/db" } }, "using xoxb-9-9-secret");
    logger.error({ err: new Error("auth failed for xoxb-7-7-secret") }, "boom");
    const out = lines.join("");
    expect(out).not.toMatch(/xoxb-\d/);
    expect(out).not.toContain(":pw@");
    expect(out).toContain("[redacted]");
  });
});
