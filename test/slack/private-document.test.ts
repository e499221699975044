// The port's private document (a QBR pack) in local mode and in the test recorder: both
// say it goes to the one person, and neither takes a channel.
import { describe, expect, it } from "vitest";
import { createTerminalSlackPorts } from "../../src/slack/local-slack-port.js";
import { RecordingSlack } from "../helpers/slack.js";

const doc = {
  userSlackId: "UCSM",
  title: "Acme — 2026-Q4",
  markdown: "# Acme\n- ARR 120k",
  fileName: "acme-2026-q4.md",
};

describe("deliverPrivateDocument", () => {
  it("prints in local mode what the one person would get, and reports a canvas", async () => {
    let printed = "";
    const port = createTerminalSlackPorts((text) => {
      printed += text;
    }).forWorkspace(1);
    const delivery = await port.deliverPrivateDocument(doc);
    expect(delivery.kind).toBe("canvas");
    expect(delivery.ref).toMatch(/^local-/);
    expect(printed).toContain('would give UCSM alone a canvas "Acme — 2026-Q4"');
    expect(printed).toContain("# Acme\n- ARR 120k");
  });

  it("is recorded with its workspace, apart from posts", async () => {
    const slack = new RecordingSlack();
    const delivery = await slack.forWorkspace(7).deliverPrivateDocument(doc);
    expect(delivery).toEqual({ kind: "canvas", ref: "FRECORDED1" });
    expect(slack.documents).toEqual([{ ...doc, workspaceId: 7 }]);
    expect(slack.posts).toEqual([]);
  });
});
