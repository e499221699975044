// `/pulse help` and `/pulse help <topic>`. The index is short (one line a topic); a topic
// lists its commands in full. Both are built from the registry, so help never lists a
// command that is not there, and both are split into sections under Slack's 3,000
// characters a section, so nothing is cut (issue 15: help was cut mid-word and
// `/pulse admin audit` disappeared).
import { context, divider, header, sections, type Block } from "../block-kit.js";
import type { Reply, Subcommand } from "./types.js";

/** Topics that hold several commands; a one-command topic is described by its command. */
const TOPIC_SUMMARY: Record<string, string> = {
  admin:
    "roles, retro channel, API keys, imports, export, erasure, the audit log, the churn model, channel signals (admins)",
  channel: "link a customer's shared channel to its account as evidence, unlink it, list the links",
  churn: "file a churn post-mortem, win an account back, the churn report",
};

/** A command's topic: its first word (`/pulse admin audit` is in `admin`). */
export function topicOf(command: Pick<Subcommand, "name">): string {
  return command.name.split(" ")[0]!;
}

function topics(registry: Subcommand[]): { topic: string; commands: Subcommand[] }[] {
  const out: { topic: string; commands: Subcommand[] }[] = [];
  for (const c of registry) {
    const topic = topicOf(c);
    const found = out.find((t) => t.topic === topic);
    if (found) found.commands.push(c);
    else out.push({ topic, commands: [c] });
  }
  return out;
}

function commandLine(c: Subcommand): string {
  const examples = c.examples?.length ? `\n    e.g. ${c.examples.map((e) => `\`${e}\``).join(", ")}` : "";
  const details = c.details?.length ? `\n${c.details.map((d) => `    ${d}`).join("\n")}` : "";
  return `• \`${c.usage}\` — ${c.summary}${examples}${details}`;
}

const FOOTER = context(["Mention @Pulse or DM it with questions like “how is Acme doing?” or “who is at risk?”"]);

/** The index: one line a topic, and how to see a topic's commands. */
export function renderHelp(registry: Subcommand[], intro?: string): Reply {
  const lines = topics(registry)
    .filter((t) => t.topic !== "help")
    .map(({ topic, commands }) =>
      commands.length === 1
        ? `• \`${commands[0]!.usage}\` — ${commands[0]!.summary}`
        : `• \`/pulse ${topic} …\` — ${TOPIC_SUMMARY[topic] ?? commands.map((c) => c.summary).join("; ")} (${commands.length} commands)`,
    );
  const how = "For a topic's commands with examples: `/pulse help <topic>`, such as `/pulse help digest`.";
  const text = `${intro ? `${intro}\n` : ""}Pulse keeps your accounts' health in view.\n${lines.join("\n")}\n${how}`;
  const blocks: Block[] = [
    header("Pulse — customer health in Slack"),
    ...(intro ? sections([intro]) : []),
    ...sections(lines),
    context([how]),
    divider(),
    FOOTER,
  ];
  return { text, blocks };
}

/** One topic in full: every command with its usage, summary, examples and details. */
export function renderHelpTopic(registry: Subcommand[], topic: string): Reply {
  const wanted = topic.toLowerCase().replace(/^\/?pulse\s+/, "");
  const found = topics(registry).find((t) => t.topic === wanted);
  if (!found) {
    const index = renderHelp(registry);
    const names = topics(registry)
      .map((t) => `\`${t.topic}\``)
      .join(", ");
    const intro = `There is no help topic “${wanted.slice(0, 60)}”. Topics: ${names}.`;
    return { text: `${intro}\n${index.text}`, blocks: [...sections([intro]), ...index.blocks!.slice(1)] };
  }
  const lines = found.commands.map(commandLine);
  return {
    text: `Pulse help: ${found.topic}\n${lines.join("\n")}`,
    blocks: [header(`Pulse help: ${found.topic}`), ...sections(lines), context(["`/pulse help` lists every topic."])],
  };
}

export const helpSubcommand: Subcommand = {
  name: "help",
  usage: "/pulse help [topic]",
  summary: "what Pulse can do; a topic's commands with examples",
  examples: ["/pulse help", "/pulse help digest"],
  lazy: true,
  async run({ respond, args }) {
    const { subcommands } = await import("./index.js");
    const topic = args.join(" ").trim();
    await respond(topic ? renderHelpTopic(subcommands, topic) : renderHelp(subcommands));
  },
};
