// One Bolt listener per kind of interaction, dispatching by id. Bolt runs every registered
// listener's matchers for every request it receives, each on a fresh copy of the request's
// arguments; with one listener per button and modal that was some fifty chains per request,
// and in a burst the acknowledgements waited on them (issue 14: the 400-request burst took
// 1.7 times as long as a bare Bolt app). Registering by exact id through this router costs
// one map lookup instead; anything else (a RegExp, a constraint object, several
// middlewares) is registered with Bolt as before. Events are routed by their type the same
// way: a dozen event listeners were a dozen chains run for every command and click.
import type { App } from "@slack/bolt";

type Kind = "action" | "view" | "options" | "shortcut" | "event";
// Bolt's listener arguments differ per kind; the router only reads the id and hands them on.
type AnyListener = (args: { payload: Record<string, unknown>; body: Record<string, unknown> }) => Promise<void>;

/** The id Bolt would match an exact-string registration of each kind against. */
const ID_OF: Record<Kind, (args: Parameters<AnyListener>[0]) => unknown> = {
  action: ({ payload }) => payload.action_id,
  options: ({ payload }) => payload.action_id,
  view: ({ body }) => (body.view as { callback_id?: unknown } | undefined)?.callback_id,
  shortcut: ({ payload }) => payload.callback_id,
  // For events Bolt's payload is the event itself.
  event: ({ payload }) => payload.type,
};

const EVERY_ID = /[\s\S]*/;

/**
 * The app, with action/view/options/shortcut registrations by exact id, and event
 * registrations by exact type, routed through one listener per kind. Everything else is the app itself.
 */
export function routeListenersById(app: App): App {
  const routes = new Map<Kind, Map<string, AnyListener[]>>();

  function register(kind: Kind, idOrConstraints: unknown, listeners: unknown[]): void {
    if (typeof idOrConstraints !== "string" || listeners.length !== 1) {
      (app[kind] as (...args: unknown[]) => void)(idOrConstraints, ...listeners);
      return;
    }
    let byId = routes.get(kind);
    if (!byId) {
      routes.set(kind, (byId = new Map()));
      const dispatch: AnyListener = async (args) => {
        const id = ID_OF[kind](args);
        const matched = typeof id === "string" ? byId!.get(id) : undefined;
        // Unmatched, nothing acknowledges: Bolt then treats it as it treats any unhandled request.
        if (!matched) return;
        // As Bolt does for its own listeners: every one runs to its end, and a failure is reported.
        const failed = (await Promise.allSettled(matched.map((listener) => listener(args)))).find(
          (result) => result.status === "rejected",
        );
        if (failed) throw failed.reason;
      };
      // A view registered by id answers submissions only, as Bolt's own registration does.
      if (kind === "view")
        (app.view as (...args: unknown[]) => void)({ callback_id: EVERY_ID, type: "view_submission" }, dispatch);
      else (app[kind] as (...args: unknown[]) => void)(EVERY_ID, dispatch);
    }
    byId.set(idOrConstraints, [...(byId.get(idOrConstraints) ?? []), listeners[0] as AnyListener]);
  }

  const routed =
    (kind: Kind) =>
    (idOrConstraints: unknown, ...listeners: unknown[]) =>
      register(kind, idOrConstraints, listeners);
  return new Proxy(app, {
    get(target, property, receiver) {
      if (
        property === "action" ||
        property === "view" ||
        property === "options" ||
        property === "shortcut" ||
        property === "event"
      )
        return routed(property);
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
