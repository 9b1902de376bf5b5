// ---- Backups through a relay -----------------------------------------------

// The headers a relay call carries from the client: the bearer token (the
// relay verifies it again) and an idempotency key. Nothing else of the
// client's request reaches the relay: no body, no query, no path.
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
// What a relay hands out as an operation's handle (see the relay's runtime).
const RELAY_HANDLE = /^[A-Za-z0-9_-]{1,400}\.[A-Za-z0-9_-]{43}$/;

/**
 * @param {EW.ResponseProviderRequest} request
 * @returns {Record<string, string[]>}
 */
function relayHeaders(request) {
  /** @type {Record<string, string[]>} */
  const headers = {};
  const authorization = request.getHeader("authorization");
  if (authorization !== null && authorization !== undefined && authorization.length === 1) {
    headers.authorization = [authorization[0]];
  }
  const key = request.getHeader("idempotency-key");
  if (key !== null && key !== undefined && key.length === 1 && IDEMPOTENCY_KEY.test(key[0])) {
    headers["idempotency-key"] = [key[0]];
  }
  return headers;
}

/**
 * The relay's answer as the client's: its status and JSON body, and of its
 * headers only those a caller needs to act on it.
 * @param {{ status: number, getHeader: (name: string) => string[] | null | undefined }} response
 * @param {string} body
 * @param {Record<string, string[]>} extra
 * @returns {object}
 */
function relayAnswer(response, body, extra) {
  /** @type {Record<string, string[]>} */
  const headers = { "content-type": ["application/json"], "cache-control": ["no-store"], ...extra };
  for (const name of ["retry-after", "www-authenticate"]) {
    const values = response.getHeader(name);
    if (values !== null && values !== undefined && values.length > 0) headers[name] = [values[0]];
  }
  return createResponse(response.status, headers, body);
}

/**
 * Starts an on-demand backup through the relay: one POST, never retried (a
 * second POST could start a second backup; Azure refuses it while the first
 * runs, and the caller decides). A 202 comes back with the location of the
 * operation on this EdgeWorker's polling route.
 * @param {string} relayUrl the relay's origin on a property hostname
 * @param {string} item the backed-up VM, as the relay names it
 * @param {string} statusPath the polling route's path up to the handle
 * @param {EW.ResponseProviderRequest} request
 * @returns {Promise<object>}
 */
async function triggerThroughRelay(relayUrl, item, statusPath, request) {
  const response = await httpRequest(`${relayUrl}/api/backups/${encodeURIComponent(item)}`, {
    method: "POST", headers: relayHeaders(request), body: "", timeout: RELAY_CALL_TIMEOUT_MS,
  });
  const text = await response.text();
  if (response.status !== 202) return relayAnswer(response, text, {});
  let handle;
  try {
    handle = JSON.parse(text).handle;
  } catch (error) {
    handle = undefined;
  }
  if (typeof handle !== "string" || !RELAY_HANDLE.test(handle)) {
    return createResponse(502, {}, "", "the relay's answer has no handle");
  }
  const location = statusPath + handle;
  return relayAnswer(response, JSON.stringify({ handle, status: location }), { location: [location] });
}

/**
 * The state of an operation the relay started, by its handle (the last path
 * segment). A handle that is not one never leaves the edge.
 * @param {string} relayUrl
 * @param {EW.ResponseProviderRequest} request
 * @returns {Promise<object>}
 */
async function pollThroughRelay(relayUrl, request) {
  const handle = request.path.slice(request.path.lastIndexOf("/") + 1);
  if (!RELAY_HANDLE.test(handle)) {
    return createResponse(404, { "content-type": ["application/json"] }, JSON.stringify({ error: "unknown handle" }));
  }
  const response = await httpRequest(`${relayUrl}/api/operations/${handle}`, {
    method: "GET", headers: relayHeaders(request), timeout: RELAY_CALL_TIMEOUT_MS,
  });
  return relayAnswer(response, await response.text(), {});
}
