import { context, divider, header, section } from "../block-kit.js";
import type { Reply, Subcommand } from "./types.js";

/** The help reply, built from the registry so it never lists a command that is not there. */
export function renderHelp(registry: Subcommand[], intro?: string): Reply {
  const lines = registry.map((c) => {
    const examples = c.examples?.length ? `\n    e.g. ${c.examples.map((e) => `\`${e}\``).join(", ")}` : "";
    return `• \`${c.usage}\` — ${c.summary}${examples}`;
  });
  const text = `${intro ? `${intro}\n` : ""}Pulse keeps your accounts' health in view.\n${lines.join("\n")}`;
  return {
    text,
    blocks: [
      header("Pulse — customer health in Slack"),
      ...(intro ? [section(intro)] : []),
      section(lines.join("\n")),
      divider(),
      context(["Mention @Pulse or DM it with questions like “how is Acme doing?” or “who is at risk?”"]),
    ],
  };
}

export const helpSubcommand: Subcommand = {
  name: "help",
  usage: "/pulse help",
  summary: "what Pulse can do, with examples",
  lazy: true,
  async run({ respond }) {
    const { subcommands } = await import("./index.js");
    await respond(renderHelp(subcommands));
  },
};
