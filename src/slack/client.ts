// Every Slack Web API client Pulse makes comes from here, so SLACK_API_URL (GovSlack, a
// proxy, or a test's fake server) is honoured by every call.
import webApi from "@slack/web-api";

// @slack/web-api is CommonJS; Node's ESM loader cannot see all of its named exports.
const { WebClient, LogLevel, retryPolicies } = webApi;
type WebClient = InstanceType<typeof WebClient>;

export interface WebClientOptions {
  apiUrl?: string;
  /** Retries on 429/5xx/timeouts; tests pass a small number to keep them quick. */
  retries?: number;
}

export function createWebClient(token: string | undefined, options: WebClientOptions = {}): WebClient {
  return new WebClient(token, {
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
