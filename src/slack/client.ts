// Every Slack Web API client Pulse makes comes from here, so SLACK_API_URL (GovSlack, a
// proxy, or a test's fake server) is honoured by every call.
import webApi from "@slack/web-api";
import { metrics } from "../observability/metrics.js";

// @slack/web-api is CommonJS; Node's ESM loader cannot see all of its named exports.
const { WebClient, LogLevel, retryPolicies } = webApi;
type WebClient = InstanceType<typeof WebClient>;

export interface WebClientOptions {
  apiUrl?: string;
  /** Retries on 429/5xx/timeouts; tests pass a small number to keep them quick. */
  retries?: number;
}

/** The Slack error code of a failed call ("channel_not_found"), else the client's own code. */
export function slackErrorCode(error: unknown): string {
  const e = error as { data?: { error?: unknown }; code?: unknown };
  if (typeof e?.data?.error === "string") return e.data.error;
  return typeof e?.code === "string" ? e.code : "unknown";
}

// Every Web API method funnels through apiCall (the method table binds to it at
// construction, so overriding it here sees them all): failures are counted by code.
class InstrumentedWebClient extends WebClient {
  override async apiCall(method: string, options?: Record<string, unknown>): ReturnType<WebClient["apiCall"]> {
    try {
      return await super.apiCall(method, options);
    } catch (error) {
      metrics.slackApiErrors.inc({ method, code: slackErrorCode(error) });
      throw error;
    }
  }
}

export function createWebClient(token: string | undefined, options: WebClientOptions = {}): WebClient {
  return new InstrumentedWebClient(token, {
    slackApiUrl: normaliseApiUrl(options.apiUrl),
    logLevel: LogLevel.ERROR,
    retryConfig: options.retries === undefined ? retryPolicies.fiveRetriesInFiveMinutes : { retries: options.retries, factor: 1.5, minTimeout: 50 },
    rejectRateLimitedCalls: false,
  });
}

/** The Web API client wants a trailing slash on its base URL. */
export function normaliseApiUrl(apiUrl: string | undefined): string | undefined {
  if (!apiUrl) return undefined;
  return apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`;
}
