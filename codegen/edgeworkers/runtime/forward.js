// ---- Forwarding from responseProvider --------------------------------------

/**
 * A retry policy in Ward's retry JSON (the same document as
 * `retry/<name>.json`); `backoff_caps_ms[i]` bounds the wait before attempt
 * i + 2, and `worst_case_ms` is what the compiler proved fits the tier.
 * @typedef {{
 *   schema: string,
 *   version: number,
 *   name: string,
 *   attempts: number,
 *   per_try_timeout_ms: number | null,
 *   backoff: { kind: string, jitter: string, initial_ms?: number, max_ms?: number, multiplier?: number, delay_ms?: number },
 *   backoff_caps_ms: number[],
 *   retry_on: { statuses: number[], conditions: string[] },
 *   budget: { ratio: number, min_per_second: number } | null,
 *   idempotency_key: string | null,
 *   worst_case_ms: number | null,
 *   edge: { waits: string, budget_scope: string, note: string },
 * }} RetryPolicy
 */

// Connection-level headers are not forwarded in either direction.
const HOP_BY_HOP_HEADERS = [
  "connection", "content-length", "host", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
  "transfer-encoding", "upgrade",
];
const IDEMPOTENT_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PUT", "TRACE"];

/**
 * @param {Record<string, string[]>} headers
 * @returns {Record<string, string[]>}
 */
function endToEndHeaders(headers) {
  /** @type {Record<string, string[]>} */
  const kept = {};
  for (const [name, values] of Object.entries(headers)) {
    if (!HOP_BY_HOP_HEADERS.includes(name.toLowerCase())) kept[name] = values;
  }
  return kept;
}

/**
 * Whether the request carries header `name` with a value. A missing header
 * reads as `null` in the EdgeWorkers documentation and as `undefined` in some
 * runtimes and mocks; both, and an empty list, mean absent.
 * @param {EW.ResponseProviderRequest} request
 * @param {string} name
 * @returns {boolean}
 */
function hasHeader(request, name) {
  const values = /** @type {string[] | null | undefined} */ (request.getHeader(name));
  return values !== null && values !== undefined && values.length > 0;
}

/**
 * Retry budget per policy and per isolate, over one-second windows: retries
 * may not exceed `ratio` × requests plus `min_per_second`.
 * @type {Map<string, { second: number, requests: number, retries: number }>}
 */
const retryBudgets = new Map();

/**
 * @param {RetryPolicy} policy
 */
function budgetWindow(policy) {
  const second = Math.floor(Date.now() / 1000);
  let window = retryBudgets.get(policy.name);
  if (window === undefined || window.second !== second) {
    window = { second, requests: 0, retries: 0 };
    retryBudgets.set(policy.name, window);
  }
  return window;
}

/**
 * Takes one retry from the budget; false when it is spent.
 * @param {RetryPolicy} policy
 * @returns {boolean}
 */
function spendRetry(policy) {
  if (policy.budget === null) return true;
  const window = budgetWindow(policy);
  if (window.retries >= policy.budget.min_per_second + policy.budget.ratio * window.requests) return false;
  window.retries++;
  return true;
}

/**
 * The wait before attempt `attempt + 1`, never above the cap the compiler used
 * for the worst case.
 * @param {RetryPolicy} policy
 * @param {number} attempt
 * @param {number} previous the previous wait (decorrelated jitter grows from it)
 * @returns {number}
 */
function backoffDelay(policy, attempt, previous) {
  const cap = policy.backoff_caps_ms[attempt - 1] ?? 0;
  switch (policy.backoff.jitter) {
//#if jitter-full
    case "full": return Math.random() * cap;
//#endif
//#if jitter-equal
    case "equal": return cap / 2 + Math.random() * (cap / 2);
//#endif
//#if jitter-decorrelated
    case "decorrelated": {
      const base = policy.backoff.initial_ms ?? 0;
      return Math.min(cap, base + Math.random() * Math.max(0, previous * 3 - base));
    }
//#endif
    default: return cap;
  }
}

/**
 * Waits `ms` milliseconds where the runtime has a timer. EdgeWorkers documents
 * none; there the next attempt starts at once and the retry budget alone
 * keeps retries in check.
 * @param {number} ms
 * @returns {Promise<void>}
 */
function pause(ms) {
  const timers = /** @type {{ setTimeout?: (callback: () => void, ms: number) => unknown }} */ (
    /** @type {unknown} */ (globalThis));
  const setTimer = timers.setTimeout;
  if (setTimer === undefined || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => { setTimer(() => resolve(), ms); });
}

/**
 * Sends the request on to `origin` (scheme and host) with its path, query,
 * method, end-to-end headers and body, retrying under `policy`: only
 * idempotent methods, or requests carrying the policy's idempotency key;
 * only on the listed statuses (and on a failed or timed-out sub-request when
 * the policy lists `timeout`, `reset` or `connect_failure`, which EdgeWorkers
 * reports alike); each retry paid from the budget, after a jittered wait.
 * @param {EW.ResponseProviderRequest} request
 * @param {string} origin
 * @param {RetryPolicy | null} policy
 * @returns {Promise<object>}
 */
async function forward(request, origin, policy) {
  const method = request.method;
  const url = origin + request.url;
  const headers = endToEndHeaders(request.getHeaders());
  const timeout = policy?.per_try_timeout_ms ?? undefined;
  if (policy !== null) budgetWindow(policy).requests++;
  const idempotent = IDEMPOTENT_METHODS.includes(method) ||
    (policy !== null && policy.idempotency_key !== null && hasHeader(request, policy.idempotency_key));
  const retry = policy !== null && policy.attempts > 1 && idempotent ? policy : null;

  if (retry === null) {
    const body = method === "GET" || method === "HEAD" ? undefined : request.body;
    try {
      return relay(await httpRequest(url, { method, headers, body, timeout }));
    } catch (error) {
      return createResponse(502, {}, "", "origin unreachable");
    }
  }
  // A body sent more than once has to be buffered.
  const body = method === "GET" || method === "HEAD" ? undefined : await request.text();
  let wait = retry.backoff.initial_ms ?? retry.backoff.delay_ms ?? 0;
  for (let attempt = 1; ; attempt++) {
    const last = attempt >= retry.attempts;
    try {
      const response = await httpRequest(url, { method, headers, body, timeout });
      if (last || !retry.retry_on.statuses.includes(response.status) || !spendRetry(retry)) return relay(response);
    } catch (error) {
      if (last || retry.retry_on.conditions.length === 0 || !spendRetry(retry)) {
        return createResponse(502, {}, "", "origin unreachable");
      }
    }
    wait = backoffDelay(retry, attempt, wait);
    await pause(wait);
  }
}

/**
 * The origin's answer, as the client's response.
 * @param {import("http-request").HttpResponse} response
 * @returns {object}
 */
function relay(response) {
  return createResponse(response.status, endToEndHeaders(response.getHeaders()), response.body);
}
