// Customer people Pulse added from a linked channel, on the card, each with one button per
// stakeholder type. Each person's blocks carry the contact's id, so a click replaces that
// person's row in whatever message or modal the card was in (as task rows do).
import { STAKEHOLDER_TYPE_LABEL, STAKEHOLDER_TYPES, type StakeholderType } from "../../domain/vocabulary.js";
import { actions, button, context, escapeMrkdwn, replaceBlocksById, section, type Block } from "../block-kit.js";
import { ACTION } from "../ids.js";

export interface UnclassifiedPerson {
  id: number;
  name: string | null;
  slackUserId: string | null;
}

const rowBlockId = (contactId: number) => `contact_${contactId}`;
const buttonsBlockId = (contactId: number) => `contact_${contactId}_type`;

/** The action id of the button that sets this type. */
export const contactTypeActionId = (type: StakeholderType) => `${ACTION.contactType}_${type}`;

/** The type a button's action id sets, or undefined for another action. */
export function contactTypeOfAction(actionId: string): StakeholderType | undefined {
  return STAKEHOLDER_TYPES.find((t) => actionId === contactTypeActionId(t));
}

function who(p: UnclassifiedPerson): string {
  if (p.name && p.slackUserId) return `*${escapeMrkdwn(p.name)}* (<@${p.slackUserId}>)`;
  if (p.slackUserId) return `<@${p.slackUserId}>`;
  return p.name ? `*${escapeMrkdwn(p.name)}*` : "A customer person";
}

/** The card's "Who are they?" rows: a few people with their buttons, and how many more. */
export function unclassifiedBlocks(people: UnclassifiedPerson[], total: number): Block[] {
  if (!people.length) return [];
  const blocks: Block[] = [
    section(
      `*Customer people to classify* (${total}): seen in their channel, role unknown. A sponsor's or champion's leaving is a risk Pulse raises at once.`,
    ),
  ];
  for (const p of people)
    blocks.push(
      { ...section(who(p)), block_id: rowBlockId(p.id) },
      actions(
        STAKEHOLDER_TYPES.map((t) => button(STAKEHOLDER_TYPE_LABEL[t], contactTypeActionId(t), String(p.id))),
        buttonsBlockId(p.id),
      ),
    );
  if (total > people.length) blocks.push(context([`…and ${total - people.length} more.`]));
  return blocks;
}

/** A person's row once classified: what they are, and who said so, without the buttons. */
export function classifiedRowBlocks(p: UnclassifiedPerson, type: StakeholderType, bySlackId: string | null): Block[] {
  return [
    {
      ...section(
        `${who(p)} — :white_check_mark: ${STAKEHOLDER_TYPE_LABEL[type]}${bySlackId ? `, set by <@${bySlackId}>` : ""}`,
      ),
      block_id: rowBlockId(p.id),
    },
  ];
}

/** The blocks with a person's row (text and buttons) replaced; undefined when they are not among them. */
export function replaceContactRow(
  blocks: readonly Block[] | undefined,
  contactId: number,
  replacement: Block[],
): Block[] | undefined {
  return replaceBlocksById(blocks, [rowBlockId(contactId), buttonsBlockId(contactId)], replacement);
}

/** What a click did, said beside the surface (a stale button, or a row that could not be replaced). */
export function classifyOutcomeText(r: {
  contact: UnclassifiedPerson;
  type: StakeholderType;
  changed: boolean;
  bySlackId: string | null;
}): string {
  const label = STAKEHOLDER_TYPE_LABEL[r.type];
  if (r.changed) return `:white_check_mark: ${who(r.contact)} is now ${label}.`;
  return `${who(r.contact)} is already ${label}${r.bySlackId ? ` (set by <@${r.bySlackId}>)` : ""}; nothing was changed.`;
}
