import { closeSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { commandLogLevel, createLogger, logDestination, redactSecrets } from "../src/log.js";

type Line = Record<string, any>;

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

  function capture(level = "info") {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger(level, sink);
    // Throws when fewer lines were written than a test reads.
    const parsed = (count: number): Line[] => {
      const all = lines
        .join("")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Line);
      expect(all).toHaveLength(count);
      return all;
    };
    return { logger, lines, parsed };
  }

  it("writes an error's type, message, code and stack, wherever the error sits", () => {
    const { logger, parsed } = capture();
    const coded = Object.assign(new Error("unique constraint failed"), { code: "P2002", meta: { target: ["email"] } });
    logger.error({ err: coded }, "write failed");
    logger.error({ error: new TypeError("bad shape"), requestId: "r1" }, "listener failed");
    logger.error(new RangeError("out of range"));
    logger.warn(
      { err: new Error("outer", { cause: Object.assign(new Error("inner"), { code: "ECONNRESET" }) }) },
      "wrapped",
    );

    const [first, second, third, fourth] = parsed(4) as [Line, Line, Line, Line];
    expect(first.err).toMatchObject({
      type: "Error",
      message: "unique constraint failed",
      code: "P2002",
      meta: { target: ["email"] },
    });
    expect(first.err.stack).toMatch(/^Error: unique constraint failed\n\s+at /);
    expect(second.error).toMatchObject({ type: "TypeError", message: "bad shape" });
    expect(second.error.stack).toContain("TypeError: bad shape");
    expect(third.err).toMatchObject({ type: "RangeError", message: "out of range" });
    expect(third.msg).toBe("out of range");
    expect(fourth.err.cause).toMatchObject({ message: "inner", code: "ECONNRESET" });
  });

  it("logs a circular object without throwing, at every level", () => {
    const { logger, parsed } = capture("trace");
    const request: Record<string, unknown> = { id: 7, body: { text: "hi" } };
    request.self = request;
    (request.body as Record<string, unknown>).parent = request;
    const error = Object.assign(new Error("loop"), { request });
    expect(() => logger.debug({ request }, "incoming")).not.toThrow();
    expect(() => logger.error({ err: error }, "failed")).not.toThrow();
    const [debugLine, errorLine] = parsed(2) as [Line, Line];
    expect(debugLine.request).toEqual({ id: 7, body: { text: "hi", parent: "[Circular]" }, self: "[Circular]" });
    expect(errorLine.err.message).toBe("loop");
    expect(errorLine.err.request.self).toBe("[Circular]");
  });

  it("redacts secrets in an error's message and stack and in a message taken from the error", () => {
    const { logger, lines, parsed } = capture();
    logger.error({ err: new Error("auth failed for xoxb-7-7-secret at postgres://u:pw@h/db") });
    const out = lines.join("");
    expect(out).not.toMatch(/xoxb-\d/);
    expect(out).not.toContain(":pw@");
    const [line] = parsed(1) as [Line];
    expect(line.msg).toBe("auth failed for [redacted] at postgres://u:[redacted]@h/db");
    expect(line.err.stack).toContain("auth failed for [redacted]");
  });

  it("writes readable, still redacted lines for a terminal, with an error's message and stack", () => {
    const file = join(mkdtempSync(join(tmpdir(), "pulse-log-")), "pretty.log");
    const fd = openSync(file, "w");
    const logger = createLogger("info", logDestination({ fd, pretty: true }));
    logger.info({ port: 3000 }, "Pulse is running with xoxb-1-2-secret");
    logger.error({ err: new Error("auth failed for xoxb-7-7-secret") }, "command failed unexpectedly");
    closeSync(fd);
    const text = readFileSync(file, "utf8").replace(/\x1b\[[0-9;]*m/g, "");
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Pulse is running with \[redacted\]\n\s+port: 3000\n/);
    expect(text).toContain("ERROR: command failed unexpectedly");
    expect(text).toContain("auth failed for [redacted]");
    expect(text).toMatch(/\n\s+at /); // the stack, one frame a line
    expect(text).not.toMatch(/xoxb-\d/);
    expect(text).not.toContain('"level"');
  });

  it.each([
    ["info", "warn"],
    ["warn", "warn"],
    ["error", "error"],
    ["fatal", "fatal"],
    ["silent", "silent"],
    ["debug", "debug"],
    ["trace", "trace"],
  ])("a one-shot command configured at %s logs at %s", (configured, level) => {
    expect(commandLogLevel(configured)).toBe(level);
  });
});
