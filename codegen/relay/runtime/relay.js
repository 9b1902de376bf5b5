// ---- The relay ----------------------------------------------------------------
// Every Azure Resource Manager URL is fixed at build time (BACKUP_ITEMS);
// nothing a caller sends reaches one except an operation or job id that
// Azure returned and that was checked to be a GUID. The only credential is
// the app's managed identity, fetched from the platform's local endpoint.

/**
 * A VM the relay may back up, and the route whose token requirement it
 * enforces again.
 * @typedef {{
 *   label: string,
 *   issuer: Issuer,
 *   required: TokenRequirement,
 *   trigger: string,
 *   operations: string,
 *   jobs: string,
 *   recoveryPointDays: number,
 * }} BackupItem
 */

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// A handle: base64url of its JSON payload, ".", base64url of its HMAC-SHA256.
const HANDLE = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/;
const nodeCrypto = require("node:crypto");

/**
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function answer(status, body, headers = {}) {
  return {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * Azure's Retry-After, in whole seconds between 1 and 3600; 30 without one.
 * @param {Response | undefined} response
 */
function retryAfter(response) {
  const value = Number.parseInt(response?.headers.get("retry-after") ?? "", 10);
  return String(Number.isFinite(value) ? Math.min(Math.max(value, 1), 3600) : 30);
}

/** @param {Verdict & { ok: false }} verdict */
function refusedAnswer(verdict) {
  return answer(verdict.status, { error: verdict.error || "unauthorized", reason: verdict.reason },
    /** @type {Record<string, string>} */ (Object.fromEntries(
      Object.entries(challengeHeaders(verdict)).map(([name, values]) => [name, values[0]]))));
}

// ---- Handles: bound to this relay, the backed-up VM, the caller and a time --

/** The key that signs handles, or undefined when the platform set none. */
function handleKey() {
  const setting = process.env[RELAY.handleKeySetting];
  if (setting === undefined || setting.length < 16) return undefined;
  return nodeCrypto.createHmac("sha256", setting).update(`ward relay handles: ${RELAY.name}`).digest();
}

/**
 * Who the token names: issuer and object id (Entra) or subject, hashed.
 * @param {Record<string, unknown>} claims
 */
function callerTag(claims) {
  const who = ownValue(claims, "oid") ?? ownValue(claims, "sub");
  return nodeCrypto.createHash("sha256").update(`${String(ownValue(claims, "iss"))}\n${String(who)}`)
    .digest("base64url").slice(0, 22);
}

/**
 * @param {Buffer} key
 * @param {string} payload
 */
function handleMac(key, payload) {
  return nodeCrypto.createHmac("sha256", key).update(payload).digest("base64url");
}

/**
 * @param {Buffer} key
 * @param {{ item: string, operation: string, caller: string }} what
 */
function issueHandle(key, what) {
  const expires = Math.floor(Date.now() / 1000) + RELAY.handleLifetimeSeconds;
  const payload = Buffer.from(JSON.stringify({ i: what.item, o: what.operation, c: what.caller, e: expires }))
    .toString("base64url");
  return `${payload}.${handleMac(key, payload)}`;
}

/**
 * The operation a handle names, when this relay issued it to this caller
 * and it has not expired; undefined for anything else.
 * @param {Buffer} key
 * @param {string} handle
 * @param {string} caller
 * @returns {{ item: BackupItem, name: string, operation: string } | undefined}
 */
function openHandle(key, handle, caller) {
  const match = HANDLE.exec(handle);
  if (match === null) return undefined;
  const expected = Buffer.from(handleMac(key, match[1]));
  const given = Buffer.from(match[2]);
  if (expected.length !== given.length || !nodeCrypto.timingSafeEqual(expected, given)) return undefined;
  let fields;
  try {
    fields = JSON.parse(Buffer.from(match[1], "base64url").toString("utf8"));
  } catch (error) {
    return undefined;
  }
  if (!isRecord(fields) || typeof fields.i !== "string" || typeof fields.o !== "string" ||
      typeof fields.c !== "string" || typeof fields.e !== "number") return undefined;
  const item = BACKUP_ITEMS.get(fields.i);
  if (item === undefined || !GUID.test(fields.o) || fields.c !== caller) return undefined;
  if (fields.e < Date.now() / 1000) return undefined;
  return { item, name: fields.i, operation: fields.o };
}

// ---- The managed identity -------------------------------------------------

/** @type {{ token: string, expiresOn: number } | undefined} */
let armToken;

/**
 * An Azure Resource Manager token for the app's managed identity, from the
 * App Service identity endpoint; cached until five minutes before it expires.
 * @returns {Promise<string | undefined>}
 */
async function managedIdentityToken() {
  const now = Date.now() / 1000;
  if (armToken !== undefined && armToken.expiresOn - 300 > now) return armToken.token;
  const endpoint = process.env.IDENTITY_ENDPOINT;
  const secret = process.env.IDENTITY_HEADER;
  if (!endpoint || !secret) return undefined;
  const url = new URL(endpoint);
  url.searchParams.set("resource", RELAY.armResource);
  url.searchParams.set("api-version", "2019-08-01");
  if (RELAY.identityClientId !== null) url.searchParams.set("client_id", RELAY.identityClientId);
  try {
    const response = await fetch(url, {
      headers: { "x-identity-header": secret }, signal: AbortSignal.timeout(RELAY.identityTimeoutMs),
    });
    if (!response.ok) return undefined;
    /** @type {any} */
    const body = await response.json();
    const expiresOn = Number(body.expires_on);
    if (typeof body.access_token !== "string" || !Number.isFinite(expiresOn)) return undefined;
    armToken = { token: body.access_token, expiresOn };
    return armToken.token;
  } catch (error) {
    return undefined;
  }
}

/**
 * One call to Azure Resource Manager with the identity's token; undefined
 * when it did not answer in time.
 * @param {string} method
 * @param {string} url
 * @param {string} token
 * @param {unknown} [body]
 * @returns {Promise<Response | undefined>}
 */
async function arm(method, url, token, body) {
  try {
    return await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: "error",
      signal: AbortSignal.timeout(RELAY.armTimeoutMs),
    });
  } catch (error) {
    return undefined;
  }
}

/**
 * Azure's error code from an error answer, or "".
 * @param {Response} response
 */
async function armErrorCode(response) {
  try {
    /** @type {any} */
    const body = await response.json();
    return typeof body?.error?.code === "string" ? body.error.code : "";
  } catch (error) {
    return "";
  }
}

/**
 * The operation id of a 202: the last segment of Azure-AsyncOperation
 * (…/operationsStatus/{id}) or Location (…/operationResults/{id}).
 * @param {Response} response
 */
function operationId(response) {
  for (const header of ["azure-asyncoperation", "location"]) {
    const value = response.headers.get(header);
    if (value === null) continue;
    const match = /\/(?:operationsStatus|operationResults)\/([^/?#]+)(?:[?#]|$)/.exec(value);
    if (match !== null && GUID.test(match[1])) return match[1];
  }
  return undefined;
}

// ---- The two endpoints ----------------------------------------------------

/**
 * POST /api/backups/{item}: verifies the caller's token as the edge route
 * did, then triggers the on-demand backup of that VM and answers 202 with a
 * handle.
 * @param {import("@azure/functions").HttpRequest} request
 * @param {import("@azure/functions").InvocationContext} context
 */
async function triggerBackup(request, context) {
  const name = request.params.item ?? "";
  const item = BACKUP_ITEMS.get(name);
  if (item === undefined) return answer(404, { error: "unknown backup" });
  const verdict = await verifyBearerToken(headerReader(request), item.issuer, item.required);
  if (!verdict.ok) {
    context.warn(`token refused for the backup of ${name}: ${verdict.reason}`);
    return refusedAnswer(verdict);
  }
  const key = handleKey();
  if (key === undefined) {
    context.error(`no handle key: the app setting ${RELAY.handleKeySetting} is not set`);
    return answer(503, { error: "relay not configured" }, { "retry-after": "300" });
  }
  const token = await managedIdentityToken();
  if (token === undefined) {
    context.error("the managed identity endpoint gave no token");
    return answer(503, { error: "identity unavailable" }, { "retry-after": "30" });
  }
  const expiry = new Date(Date.now() + item.recoveryPointDays * 86400000).toISOString();
  const response = await arm("POST", item.trigger, token,
    { properties: { objectType: "IaasVMBackupRequest", recoveryPointExpiryTimeInUTC: expiry } });
  if (response === undefined) {
    context.error(`Azure Resource Manager did not answer the backup of ${name} in time`);
    return answer(503, { error: "azure unavailable" }, { "retry-after": "30" });
  }
  if (response.status === 202) {
    const operation = operationId(response);
    if (operation === undefined) {
      context.error(`the backup of ${name} was accepted without an operation to follow`);
      return answer(502, { error: "no operation" });
    }
    context.log(`backup of ${name} triggered: operation ${operation}` +
      (request.headers.has("idempotency-key") ? " (idempotency key given)" : ""));
    return answer(202, { handle: issueHandle(key, { item: name, operation, caller: callerTag(verdict.claims) }) },
      { "retry-after": retryAfter(response) });
  }
  return armFailure(name, response, await armErrorCode(response), context);
}

/**
 * @param {string} name
 * @param {Response} response
 * @param {string} code
 * @param {import("@azure/functions").InvocationContext} context
 */
function armFailure(name, response, code, context) {
  if (response.status === 429) {
    context.warn(`Azure Resource Manager throttled the relay (backup of ${name})`);
    return answer(503, { error: "throttled" }, { "retry-after": retryAfter(response) });
  }
  if (response.status === 409 || /InProgress/i.test(code)) {
    context.warn(`another operation is in progress on ${name} (${code || response.status})`);
    return answer(409, { error: "another backup operation is in progress" });
  }
  if (response.status === 401 || response.status === 403) {
    context.error(`Azure refused the relay's identity (${code || response.status}): check its role on the vault`);
  } else {
    context.error(`Azure answered ${response.status} ${code} for ${name}`);
  }
  return answer(502, { error: "azure refused" });
}

/**
 * GET /api/operations/{handle}: the state of an operation this relay started
 * for this caller, and of the backup job it became.
 * @param {import("@azure/functions").HttpRequest} request
 * @param {import("@azure/functions").InvocationContext} context
 */
async function backupStatus(request, context) {
  const verdict = await verifyBearerToken(headerReader(request), RELAY.poll.issuer, RELAY.poll.required);
  if (!verdict.ok) {
    context.warn(`token refused for a backup status: ${verdict.reason}`);
    return refusedAnswer(verdict);
  }
  const key = handleKey();
  if (key === undefined) {
    context.error(`no handle key: the app setting ${RELAY.handleKeySetting} is not set`);
    return answer(503, { error: "relay not configured" }, { "retry-after": "300" });
  }
  const opened = openHandle(key, request.params.handle ?? "", callerTag(verdict.claims));
  if (opened === undefined) return answer(404, { error: "unknown handle" });
  const token = await managedIdentityToken();
  if (token === undefined) {
    context.error("the managed identity endpoint gave no token");
    return answer(503, { error: "identity unavailable" }, { "retry-after": "30" });
  }
  const status = await arm("GET", `${opened.item.operations}/operationsStatus/${opened.operation}` +
    `?api-version=${RELAY.apiVersion}`, token);
  if (status === undefined) return answer(503, { error: "azure unavailable" }, { "retry-after": "30" });
  if (status.status !== 200) return armFailure(opened.name, status, await armErrorCode(status), context);
  /** @type {any} */
  const operation = await status.json();
  const state = typeof operation?.status === "string" ? operation.status : "Unknown";
  if (state === "InProgress") return answer(202, { state }, { "retry-after": "15" });
  const jobId = operation?.properties?.jobId;
  if (state !== "Succeeded" || typeof jobId !== "string" || !GUID.test(jobId)) {
    return answer(200, { state, error: typeof operation?.error?.code === "string" ? operation.error.code : undefined });
  }
  const job = await arm("GET", `${opened.item.jobs}/${jobId}?api-version=${RELAY.apiVersion}`, token);
  if (job === undefined || job.status !== 200) return answer(200, { state, job: { id: jobId } });
  /** @type {any} */
  const jobBody = await job.json();
  const properties = jobBody?.properties ?? {};
  return answer(200, {
    state,
    job: { id: jobId, status: properties.status, startTime: properties.startTime, endTime: properties.endTime },
  });
}
