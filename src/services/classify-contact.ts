// One click on the card sets the stakeholder type of a customer person Pulse added from a
// linked channel (type "unknown"). Only the account's owner, managers and admins may: the
// type decides whether their leaving is a sponsor's departure, which lowers the score.
// The change and its audit row are one transaction; a click on a stale button (the person
// was classified since) changes nothing and says what they are now.
import type { Db } from "../db/client.js";
import type { StakeholderType } from "../domain/vocabulary.js";
import { AppError } from "../errors.js";
import type { User } from "../generated/prisma/client.js";
import { recordAudit } from "./audit.js";

export interface ClassifyActor {
  workspaceId: number;
  user: Pick<User, "id" | "role" | "slackUserId">;
  requestId?: string;
}

export interface ClassifiedContact {
  contact: { id: number; name: string | null; slackUserId: string | null };
  /** What the person is now. */
  type: StakeholderType;
  /** False when the button was stale: someone classified the person before this click. */
  changed: boolean;
  /** Who classified them, when the audit trail says (for a stale button). */
  bySlackId: string | null;
}

/** Owners classify their accounts' people; managers and admins any account's (as they reassign and approve). */
function requireClassifier(actor: ClassifyActor["user"], account: { ownerId: number | null; name: string }): void {
  if (actor.role === "admin" || actor.role === "manager" || account.ownerId === actor.id) return;
  throw new AppError(
    "FORBIDDEN",
    `user ${actor.id} (${actor.role}) may not classify contacts of an account owned by ${account.ownerId ?? "nobody"}`,
    `Only the owner of ${account.name}, managers and admins can classify its people.`,
  );
}

export async function classifyContact(
  db: Db,
  actor: ClassifyActor,
  contactId: number,
  type: StakeholderType,
): Promise<ClassifiedContact> {
  return db.$transaction(async (tx) => {
    const contact = await tx.contact.findFirst({
      where: { workspaceId: actor.workspaceId, id: contactId, erasedAt: null },
      select: {
        id: true,
        name: true,
        slackUserId: true,
        stakeholderType: true,
        account: { select: { id: true, name: true, ownerId: true } },
      },
    });
    if (!contact)
      throw new AppError(
        "NOT_FOUND",
        `contact ${contactId} not in workspace ${actor.workspaceId}`,
        "That contact no longer exists here (it may have been erased); nothing was changed.",
      );
    requireClassifier(actor.user, contact.account);
    const person = { id: contact.id, name: contact.name, slackUserId: contact.slackUserId };
    // Only an unclassified person is set by the click: it must not overwrite a CSM's choice.
    const claimed = await tx.contact.updateMany({
      where: { id: contact.id, stakeholderType: "unknown" },
      data: { stakeholderType: type },
    });
    if (claimed.count === 1) {
      await recordAudit(tx, {
        workspaceId: actor.workspaceId,
        actorSlackId: actor.user.slackUserId,
        action: "contact.classify",
        entityType: "contact",
        entityId: contact.id,
        accountId: contact.account.id,
        details: { from: "unknown", to: type },
        requestId: actor.requestId ?? null,
      });
      return { contact: person, type, changed: true, bySlackId: actor.user.slackUserId };
    }
    const now = await tx.contact.findUniqueOrThrow({ where: { id: contact.id }, select: { stakeholderType: true } });
    const last = await tx.auditLog.findFirst({
      where: {
        workspaceId: actor.workspaceId,
        action: "contact.classify",
        entityType: "contact",
        entityId: String(contact.id),
      },
      orderBy: { id: "desc" },
      select: { actorSlackId: true },
    });
    // "unknown" again cannot happen here (the claim would have matched); a type set by an import is a group too.
    const current = now.stakeholderType === "unknown" ? type : now.stakeholderType;
    return { contact: person, type: current, changed: false, bySlackId: last?.actorSlackId ?? null };
  });
}
