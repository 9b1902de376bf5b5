// The generated backup relay of examples/edge-backup, run with the real
// @azure/functions package (in its test mode) against loopback stand-ins for
// Azure Resource Manager, the managed-identity endpoint and Entra's key set.
// Needs WARD_BUNDLES (tests/edgeworkers/run.sh builds the examples there).
const test = require("node:test");
const assert = require("node:assert/strict");
const { webcrypto } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { TENANT, MI_TOKEN, startAzure, loadRelay, invoke } = require("./harness.cjs");

const BUNDLES = process.env.WARD_BUNDLES;
assert.ok(BUNDLES, "WARD_BUNDLES is not set; run tests/edgeworkers/run.sh");
const RELAY_DIR = path.join(BUNDLES, "examples", "edge-backup", "relays", "backup-relay");
const KEYS = path.join(BUNDLES, "keys");
const AUDIENCE = "0c9f4b2a-7d3e-4f61-8a5b-9e2d1c3b4a5f";
const VAULT = "https://management.azure.com/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-backup" +
  "/providers/Microsoft.RecoveryServices/vaults/rsv-orders";
const ORDERS_ITEM = `${VAULT}/backupFabrics/Azure/protectionContainers/iaasvmcontainer;iaasvmcontainerv2;rg-orders;` +
  "orders-api-01/protectedItems/vm;iaasvmcontainerv2;rg-orders;orders-api-01";
const HANDLE_KEY = "0123456789abcdef0123456789abcdef";

const b64url = (data) => Buffer.from(data).toString("base64url");
async function sign(claims, kid = "rsa-1") {
  const jwk = JSON.parse(fs.readFileSync(path.join(KEYS, "private-keys.json"), "utf8"))[kid];
  const head = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid }));
  const body = b64url(JSON.stringify(claims));
  const key = await webcrypto.subtle.importKey("jwk", jwk, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
  const signature = await webcrypto.subtle.sign("RSASSA-PKCS1-v1_5", key, new TextEncoder().encode(`${head}.${body}`));
  return `${head}.${body}.${b64url(new Uint8Array(signature))}`;
}
function claims(extra = {}) {
  const now = Math.floor(Date.now() / 1000);
  return { iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, aud: AUDIENCE, roles: ["Backup.Checkpoint"],
    oid: "11111111-2222-4333-8444-555555555555", sub: "pipeline", iat: now - 60, nbf: now - 60, exp: now + 600, ...extra };
}

let azure;
let relay;
test.beforeEach(async () => {
  azure = await startAzure({ jwks: JSON.parse(fs.readFileSync(path.join(KEYS, "jwks.json"), "utf8")) });
  Object.assign(process.env, azure.env, { WEBSITE_AUTH_SIGNING_KEY: HANDLE_KEY });
  relay = loadRelay(RELAY_DIR);
});
test.afterEach(async () => {
  await azure.close();
  delete process.env.WEBSITE_AUTH_SIGNING_KEY;
});

const trigger = (item, token, extra = {}) => invoke(relay.triggerBackup, {
  method: "POST", url: `http://127.0.0.1/api/backups/${encodeURIComponent(item)}${extra.query ?? ""}`, params: { item },
  headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(extra.headers ?? {}) },
});
const status = (handle, token) => invoke(relay.backupStatus, {
  method: "GET", url: `http://127.0.0.1/api/operations/${encodeURIComponent(handle)}`, params: { handle },
  headers: token ? { authorization: `Bearer ${token}` } : {},
});
function assertNoSecretsLogged(result, ...secrets) {
  const logged = result.logs.join("\n");
  for (const secret of [MI_TOKEN, ...secrets]) assert.ok(!logged.includes(secret.split(".")[1] ?? secret), `logged ${secret}`);
}

test("a valid token makes exactly one POST to the protected item's URL, with the identity's token", async () => {
  const token = await sign(claims());
  const before = Date.now();
  const result = await trigger("orders-vm", token, { headers: { "idempotency-key": "checkpoint-2026-11-29" } });
  assert.equal(result.status, 202);
  assert.equal(result.headers["retry-after"], "60");
  assert.match(result.body.handle, /^[A-Za-z0-9_-]{1,400}\.[A-Za-z0-9_-]{43}$/);
  assert.equal(azure.calls.arm.length, 1);
  const [call] = azure.calls.arm;
  assert.equal(call.method, "POST");
  assert.equal(call.url, `${ORDERS_ITEM}/backup?api-version=2025-08-01`);
  assert.equal(call.headers.authorization, `Bearer ${MI_TOKEN}`);
  const body = JSON.parse(call.body);
  assert.deepEqual(Object.keys(body), ["properties"]);
  assert.deepEqual(Object.keys(body.properties), ["objectType", "recoveryPointExpiryTimeInUTC"]);
  assert.equal(body.properties.objectType, "IaasVMBackupRequest");
  const expiry = Date.parse(body.properties.recoveryPointExpiryTimeInUTC);
  assert.ok(Math.abs(expiry - (before + 30 * 86400000)) < 60000, "recovery point kept 30 days, as the daily points");
  // The managed-identity endpoint: the App Service protocol, for ARM.
  assert.equal(azure.calls.identity.length, 1);
  const identity = azure.calls.identity[0];
  assert.equal(identity.url.searchParams.get("resource"), "https://management.azure.com/");
  assert.equal(identity.url.searchParams.get("api-version"), "2019-08-01");
  assert.equal(identity.url.searchParams.get("client_id"), null, "a system-assigned identity names no client");
  assert.match(result.logs.join("\n"), /backup of orders-vm triggered: operation 7e1b2c3d/);
  assertNoSecretsLogged(result, token);
});

test("the identity's token is cached: a second trigger asks the endpoint nothing", async () => {
  const token = await sign(claims());
  assert.equal((await trigger("orders-vm", token)).status, 202);
  assert.equal((await trigger("ledger-vm", token)).status, 202);
  assert.equal(azure.calls.identity.length, 1);
  assert.match(azure.calls.arm[1].url, /orders-ledger-01\/backup\?api-version=2025-08-01$/);
});

const refusals = [
  ["no token", async () => undefined, 401],
  ["expired", async () => sign(claims({ iat: Math.floor(Date.now() / 1000) - 900, exp: Math.floor(Date.now() / 1000) - 120 })), 401],
  ["wrong audience", async () => sign(claims({ aud: "api://someone-else" })), 401],
  ["wrong issuer", async () => sign(claims({ iss: "https://login.microsoftonline.com/common/v2.0" })), 401],
  ["bad signature", async () => { const t = await sign(claims()); return `${t.slice(0, -6)}AAAAAA`; }, 401],
  ["lifetime over the 15-minute cap", async () => sign(claims({ exp: Math.floor(Date.now() / 1000) + 3600 })), 401],
  ["without the role", async () => sign(claims({ roles: ["Backup.Reader"] })), 403],
];
for (const [name, make, expected] of refusals) {
  test(`refused, with no call to Azure: ${name}`, async () => {
    const token = await make();
    const result = await trigger("orders-vm", token);
    assert.equal(result.status, expected);
    assert.equal(azure.calls.arm.length, 0);
    assert.equal(azure.calls.identity.length, 0);
    if (token) assertNoSecretsLogged(result, token);
  });
}

test("path and query injection cannot change the ARM URL", async () => {
  const token = await sign(claims());
  for (const item of ["orders-vm/../ledger-vm", "orders-vm?api-version=1", "..", "%2e%2e", "__proto__", "constructor",
    "ORDERS-VM", "orders-vm;x", ""]) {
    const result = await trigger(item, token);
    assert.equal(result.status, 404, item);
  }
  assert.equal(azure.calls.arm.length, 0);
  const result = await trigger("orders-vm", token, { query: "?api-version=2015-01-01&subscription=evil" });
  assert.equal(result.status, 202);
  assert.deepEqual(azure.calls.arm.map((c) => c.url), [`${ORDERS_ITEM}/backup?api-version=2025-08-01`]);
});

test("ARM throttling becomes 503 with ARM's Retry-After", async () => {
  azure.behaviour.arm = () => ({ status: 429, headers: { "retry-after": "17" }, body: { error: { code: "TooManyRequests" } } });
  const result = await trigger("orders-vm", await sign(claims()));
  assert.equal(result.status, 503);
  assert.equal(result.headers["retry-after"], "17");
});

test("another operation in progress becomes 409 (a 409, or Azure Backup's error code)", async () => {
  azure.behaviour.arm = () => ({ status: 409, body: { error: { code: "Conflict" } } });
  assert.equal((await trigger("orders-vm", await sign(claims()))).status, 409);
  azure.behaviour.arm = () => ({ status: 400, body: { error: { code: "UserErrorBackupOperationInProgress" } } });
  assert.equal((await trigger("orders-vm", await sign(claims()))).status, 409);
});

test("ARM refusing the identity is a 502, logged as a role problem", async () => {
  azure.behaviour.arm = () => ({ status: 403, body: { error: { code: "AuthorizationFailed" } } });
  const result = await trigger("orders-vm", await sign(claims()));
  assert.equal(result.status, 502);
  assert.match(result.logs.join("\n"), /check its role on the vault/);
});

test("the identity endpoint failing or down is a 503, and Azure is not called", async () => {
  azure.behaviour.identity = "error";
  let result = await trigger("orders-vm", await sign(claims()));
  assert.equal(result.status, 503);
  assert.equal(result.headers["retry-after"], "30");
  relay = loadRelay(RELAY_DIR);
  azure.identityDown();
  Object.assign(process.env, azure.env);
  result = await trigger("orders-vm", await sign(claims()));
  assert.equal(result.status, 503);
  assert.equal(azure.calls.arm.length, 0);
});

test("without the platform's signing key the relay refuses to start operations it could not follow", async () => {
  delete process.env.WEBSITE_AUTH_SIGNING_KEY;
  const result = await trigger("orders-vm", await sign(claims()));
  assert.equal(result.status, 503);
  assert.equal(azure.calls.arm.length, 0);
});

test("a handle reads back its operation and then its job, at URLs rebuilt by the relay", async () => {
  const token = await sign(claims());
  const { body } = await trigger("orders-vm", token);
  const result = await status(body.handle, token);
  assert.equal(result.status, 200);
  assert.deepEqual(result.body.job, { id: "41f3e94b-ae6b-4a20-b422-65abfcaf03e5", status: "InProgress", startTime: "2026-11-29T12:00:00Z" });
  const reads = azure.calls.arm.slice(1);
  assert.equal(reads.length, 2);
  assert.match(reads[0].url, new RegExp(`^${ORDERS_ITEM.replace(/[.?;]/g, "\\$&")}/operationsStatus/7e1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b\\d{4}\\?api-version=2025-08-01$`));
  assert.equal(reads[1].url, `${VAULT}/backupJobs/41f3e94b-ae6b-4a20-b422-65abfcaf03e5?api-version=2025-08-01`);
  assert.ok(reads.every((c) => c.method === "GET"));

  azure.behaviour.arm = () => ({ status: 200, body: { status: "InProgress" } });
  const running = await status(body.handle, token);
  assert.equal(running.status, 202);
  assert.deepEqual(running.body, { state: "InProgress" });
});

test("forged, foreign, tampered, expired and malformed handles are 404 with no call to Azure", async () => {
  const token = await sign(claims());
  const { body } = await trigger("orders-vm", token);
  const [payload, mac] = body.handle.split(".");
  const fields = JSON.parse(Buffer.from(payload, "base64url").toString());
  const reencode = (f) => Buffer.from(JSON.stringify(f)).toString("base64url");
  const other = await sign(claims({ oid: "99999999-2222-4333-8444-555555555555", sub: "someone" }));
  const armBefore = azure.calls.arm.length;
  const cases = [
    ["forged MAC", token, `${payload}.${"A".repeat(43)}`],
    ["foreign caller", other, body.handle],
    ["another item", token, `${reencode({ ...fields, i: "ledger-vm" })}.${mac}`],
    ["another operation", token, `${reencode({ ...fields, o: "00000000-0000-4000-8000-000000000000" })}.${mac}`],
    ["extended expiry", token, `${reencode({ ...fields, e: fields.e + 86400 })}.${mac}`],
    ["malformed", token, "not-a-handle"],
    ["path in the handle", token, `../../backupJobs/x.${mac}`],
    ["empty", token, ""],
  ];
  for (const [name, caller, handle] of cases) {
    const result = await status(handle, caller);
    assert.equal(result.status, 404, name);
  }
  assert.equal(azure.calls.arm.length, armBefore);
  // A handle from a relay with another signing key is foreign too.
  process.env.WEBSITE_AUTH_SIGNING_KEY = "another-key-0123456789abcdef";
  assert.equal((await status(body.handle, token)).status, 404);
  assert.equal(azure.calls.arm.length, armBefore);
});

test("a poll without a valid token is refused before the handle is read", async () => {
  const token = await sign(claims());
  const { body } = await trigger("orders-vm", token);
  const result = await status(body.handle, await sign(claims({ roles: [] })));
  assert.equal(result.status, 403);
  assert.equal((await status(body.handle, undefined)).status, 401);
  assert.equal(azure.calls.arm.length, 1);
});

// ---- One declaration, two hosts ---------------------------------------------

/** The object literal of `const NAME = {...};` in a generated file, evaluated. */
function constant(source, name) {
  const start = source.indexOf(`const ${name} = {`);
  assert.ok(start >= 0, `${name} is defined`);
  const end = source.indexOf("\n};\n", start);
  return new Function(`return ${source.slice(source.indexOf("{", start), end + 2)};`)();
}
/** The text of a top-level function. */
function functionText(source, name) {
  const start = source.indexOf(`async function ${name}(`);
  assert.ok(start >= 0, `${name} is defined`);
  return source.slice(start, source.indexOf("\n}\n", start));
}

test("the edge and the relay verify with the same settings and the same code", () => {
  const edge = fs.readFileSync(path.join(BUNDLES, "examples", "edge-backup", "edgeworkers", "checkpoints", "main.js"), "utf8");
  const relaySource = fs.readFileSync(path.join(RELAY_DIR, "src", "index.js"), "utf8");
  const { keys: edgeKeys, ...edgeIssuer } = constant(edge, "ENTRA_ISSUER");
  const { keys: relayKeys, ...relayIssuer } = constant(relaySource, "ENTRA_ISSUER");
  assert.deepEqual(relayIssuer, edgeIssuer);
  // The edge fetches the key set through the property, which forwards to the
  // issuer's URL; the relay, in Azure, fetches that URL itself.
  assert.equal(edgeKeys.url, "https://checkpoints.contoso.com/.well-known/ward/keys/entra");
  assert.equal(relayKeys.url, `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`);
  assert.equal(relayKeys.maxAgeSeconds, edgeKeys.maxAgeSeconds);
  assert.deepEqual(constant(relaySource, "CHECKPOINTS_ORDERS_TOKEN"), constant(edge, "ROUTE_1_TOKEN"));
  assert.deepEqual(constant(relaySource, "CHECKPOINTS_LEDGER_TOKEN"), constant(edge, "ROUTE_2_TOKEN"));
  assert.deepEqual(constant(relaySource, "CHECKPOINTS_STATUS_HANDLE_TOKEN"), constant(edge, "ROUTE_3_TOKEN"));
  for (const fn of ["verifyBearerToken", "resolveKeys", "fetchKeySet"]) {
    assert.equal(functionText(relaySource, fn), functionText(edge, fn), fn);
  }
});

// ---- Hostile names, embedded keys (tests/edgeworkers/policies/relay-hostile.ward)

test("hostile names stay inside their URL segment, and embedded keys verify", async () => {
  const hostile = loadRelay(path.join(BUNDLES, "policies", "relay-hostile", "relays", "relay"));
  const now = Math.floor(Date.now() / 1000);
  const token = await sign({ iss: "https://id.test.example/relay\"</script>*/", aud: "api://x\"</script>*/",
    roles: ["r\"'`${x}</script>"], __proto__: null, sub: "s", iat: now - 60, exp: now + 600 });
  // `claims = { "__proto__" = [...] }`: the token must carry that claim as an own property.
  const withClaim = await sign(JSON.parse(`{"iss":"https://id.test.example/relay\\"</script>*/","aud":"api://x\\"</script>*/",` +
    `"roles":["r\\"'\`\${x}</script>"],"__proto__":["\\"; alert(1); \\""],"sub":"s","iat":${now - 60},"exp":${now + 600}}`));
  const refused = await invoke(hostile.triggerBackup, { method: "POST", url: "http://127.0.0.1/api/backups/vm",
    params: { item: "vm" }, headers: { authorization: `Bearer ${token}` } });
  assert.equal(refused.status, 403, "without the required claim");
  const result = await invoke(hostile.triggerBackup, { method: "POST", url: "http://127.0.0.1/api/backups/vm",
    params: { item: "vm" }, headers: { authorization: `Bearer ${withClaim}` } });
  assert.equal(result.status, 202);
  assert.equal(azure.calls.keys.length, 0, "the keys are embedded");
  assert.equal(azure.calls.arm.length, 1);
  const url = new URL(azure.calls.arm[0].url);
  const segments = url.pathname.split("/").map(decodeURIComponent);
  assert.deepEqual(segments.slice(0, 9), ["", "subscriptions", "0b1f6471-1bf0-4dda-aec3-cb9272f09590", "resourceGroups",
    "rg-backup;x", "providers", "Microsoft.RecoveryServices", "vaults", "rsv/backupJobs"]);
  const vm = "rg/../../providers?x=1#frag;vm\"); require('child_process'); //\u2028 é";
  assert.equal(segments[12], `iaasvmcontainer;iaasvmcontainerv2;${vm}`);
  assert.equal(segments[14], `vm;iaasvmcontainerv2;${vm}`);
  assert.equal(segments.length, 16);
  assert.equal(url.search, "?api-version=2025-08-01");
  assert.equal(url.hash, "");
});
