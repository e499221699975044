// Every Slack Web API client Pulse makes comes from here, so SLACK_API_URL (GovSlack, a
// proxy, or a test's fake server) and one bounded call policy are honoured by every call.
//
// The policy, and why it is not the Web API client's own: its default retries ten times
// over about thirty minutes, and on a 429 it pauses the whole client's request queue for
// Retry-After seconds. Every listener of a single-token install shares one client, so one
// user's rate-limited views.open held every other user's calls (issue 14, defect 6). Here a
// 429 is rejected by the client and retried by us, only while the wait fits the budget;
// every attempt has a timeout; a call that cannot finish in time fails with its code.
import webApi from "@slack/web-api";
import { metrics } from "../observability/metrics.js";
import { slackErrorCode } from "../errors.js";

// Kept here too for the Slack-side callers that already import it from the client.
export { slackErrorCode } from "../errors.js";

// @slack/web-api is CommonJS; Node's ESM loader cannot see all of its named exports.
const { WebClient, LogLevel } = webApi;
type WebClient = InstanceType<typeof WebClient>;

export interface CallPolicy {
  /** One attempt's limit. */
  timeoutMs: number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The most a call may spend waiting between attempts (Retry-After included). */
  maxTotalWaitMs: number;
  /** First back-off after a 5xx or a refused connection; doubles each time. */
  baseDelayMs: number;
}

// Interactive answers must land within seconds (a trigger_id lives 3 s, a person waits), so a
// Retry-After of 20 s is not worth honouring: the call fails and the user is told.
export const DEFAULT_CALL_POLICY: CallPolicy = {
  timeoutMs: 10_000,
  maxAttempts: 3,
  maxTotalWaitMs: 5_000,
  baseDelayMs: 250,
};

export interface WebClientOptions {
  apiUrl?: string;
  /** Retries after the first attempt; tests pass 0 to keep them quick. */
  retries?: number;
  policy?: Partial<CallPolicy>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How long to wait before trying again, or undefined when another attempt would not help. */
function retryDelay(error: unknown, attempt: number, policy: CallPolicy): number | undefined {
  const e = error as { code?: string; retryAfter?: number; statusCode?: number; original?: { name?: string } };
  if (e?.code === "slack_webapi_rate_limited_error" && typeof e.retryAfter === "number") return e.retryAfter * 1000;
  if (e?.code === "slack_webapi_http_error" && typeof e.statusCode === "number" && e.statusCode >= 500)
    return policy.baseDelayMs * 2 ** (attempt - 1);
  // A timed-out attempt may have reached Slack (a post would then appear twice), and it has
  // already spent its budget: it is not retried. A refused connection never reached Slack.
  if (
    e?.code === "slack_webapi_request_error" &&
    e.original?.name !== "TimeoutError" &&
    e.original?.name !== "AbortError"
  )
    return policy.baseDelayMs * 2 ** (attempt - 1);
  return undefined;
}

// Every Web API method funnels through apiCall (the method table binds to it at
// construction, so overriding it here sees them all): failures are counted by code, and
// retries follow the policy above.
class PolicyWebClient extends WebClient {
  constructor(
    token: string | undefined,
    apiUrl: string | undefined,
    private readonly policy: CallPolicy,
  ) {
    super(token, {
      slackApiUrl: normaliseApiUrl(apiUrl),
      logLevel: LogLevel.ERROR,
      timeout: policy.timeoutMs,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
  }

  override async apiCall(method: string, options?: Record<string, unknown>): ReturnType<WebClient["apiCall"]> {
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return await super.apiCall(method, options);
      } catch (error) {
        const delay = attempt < this.policy.maxAttempts ? retryDelay(error, attempt, this.policy) : undefined;
        if (delay === undefined || waited + delay > this.policy.maxTotalWaitMs) {
          metrics.slackApiErrors.inc({ method, code: slackErrorCode(error) });
          throw error;
        }
        waited += delay;
        await sleep(delay);
      }
    }
  }
}

export function createWebClient(token: string | undefined, options: WebClientOptions = {}): WebClient {
  const policy: CallPolicy = {
    ...DEFAULT_CALL_POLICY,
    ...(options.retries === undefined ? {} : { maxAttempts: options.retries + 1 }),
    ...options.policy,
  };
  return new PolicyWebClient(token, options.apiUrl, policy);
}

/** Options for the clients Bolt makes itself (auth.test, the OAuth installer): the same limits. */
export function boltClientOptions(apiUrl: string | undefined, policy: CallPolicy = DEFAULT_CALL_POLICY) {
  return {
    slackApiUrl: normaliseApiUrl(apiUrl),
    timeout: policy.timeoutMs,
    retryConfig: {
      retries: policy.maxAttempts - 1,
      factor: 2,
      minTimeout: policy.baseDelayMs,
      maxTimeout: policy.maxTotalWaitMs,
    },
    rejectRateLimitedCalls: true,
  };
}

/** The Web API client wants a trailing slash on its base URL. */
export function normaliseApiUrl(apiUrl: string | undefined): string | undefined {
  if (!apiUrl) return undefined;
  return apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`;
}
