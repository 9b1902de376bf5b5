// The edge half of on-demand backups (examples/edge-backup): the trigger and
// poll routes verify the caller's token, then make one sub-request to the
// relay's property hostname with the token and nothing else of the client's
// request; bad tokens never reach the relay. Last, one request end to end:
// this bundle, the generated relay (a separate process, the real
// @azure/functions package) and a stand-in Azure Resource Manager, all on
// loopback.
const http = require("node:http");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { NOW, bundlePath, loadBundle, makeRequest, outcome, originResponse, signToken, publicJwks } = require("./support");

const BUNDLE = bundlePath("examples", "edge-backup", "checkpoints");
const KEYS_URL = "https://checkpoints.contoso.com/.well-known/ward/keys/entra";
const RELAY = "https://relay-backup.contoso.com";
const ISSUER = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0";
const AUDIENCE = "0c9f4b2a-7d3e-4f61-8a5b-9e2d1c3b4a5f";
const HANDLE = `${"eyJpIjoib3JkZXJzLXZtIn0"}.${"h".repeat(43)}`;

const claims = (now, extra = {}) => ({
  iss: ISSUER, aud: AUDIENCE, roles: ["Backup.Checkpoint"], oid: "11111111-2222-4333-8444-555555555555",
  iat: now - 60, nbf: now - 60, exp: now + 600, ...extra,
});

/** The bundle with a key set and a relay that answers `relayAnswer`. */
function setUp(relayAnswer = () => originResponse(202, JSON.stringify({ handle: HANDLE }), { "retry-after": ["60"] })) {
  const ctx = loadBundle(BUNDLE);
  ctx.httpRequest.mockImplementation(async (url, options) => {
    if (url === KEYS_URL) return originResponse(200, JSON.stringify(publicJwks()));
    if (url.startsWith(`${RELAY}/`)) return relayAnswer(url, options);
    throw new Error(`unexpected sub-request to ${url}`);
  });
  return ctx;
}

/** onClientRequest, then (if it let the request through) responseProvider. */
async function send(ctx, request) {
  await ctx.bundle.onClientRequest(request);
  if (outcome(request).kind === "respond") return { status: outcome(request).status, edge: true };
  return ctx.bundle.responseProvider(request);
}
const relayCalls = (ctx) => ctx.httpRequest.mock.calls.filter(([url]) => url.startsWith(`${RELAY}/`));

afterEach(() => jest.restoreAllMocks());

test("a trigger makes one POST to the relay's hostname, with the token and the idempotency key only", async () => {
  const ctx = setUp();
  const token = await signToken(claims(NOW));
  const request = makeRequest({
    method: "POST", path: "/checkpoints/orders", query: "vm=ledger-vm", body: "{\"vm\":\"ledger-vm\"}",
    headers: { Authorization: `Bearer ${token}`, "Idempotency-Key": "ck-42", Cookie: "s=1", "X-Forwarded-For": "10.0.0.1",
      "Content-Type": "application/json" },
  });
  const response = await send(ctx, request);
  expect(response.status).toBe(202);
  expect(response.headers.location).toEqual([`/checkpoints/status/${HANDLE}`]);
  expect(response.headers["retry-after"]).toEqual(["60"]);
  expect(JSON.parse(response.body)).toEqual({ handle: HANDLE, status: `/checkpoints/status/${HANDLE}` });
  const calls = relayCalls(ctx);
  expect(calls).toHaveLength(1);
  const [url, options] = calls[0];
  expect(url).toBe(`${RELAY}/api/backups/orders-vm`);
  expect(options.method).toBe("POST");
  expect(options.body).toBe("");
  expect(options.headers).toEqual({ authorization: [`Bearer ${token}`], "idempotency-key": ["ck-42"] });
});

test.each([
  ["no token", async () => undefined, 401],
  ["an expired token", async () => signToken(claims(NOW, { iat: NOW - 900, exp: NOW - 300 })), 401],
  ["a token without the role", async () => signToken(claims(NOW, { roles: ["Backup.Reader"] })), 403],
  ["a token for another API", async () => signToken(claims(NOW, { aud: "api://other" })), 401],
])("%s is refused at the edge, and the relay hears nothing", async (_name, make, status) => {
  const ctx = setUp();
  const token = await make();
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  const result = await send(ctx, makeRequest({ method: "POST", path: "/checkpoints/orders", headers }));
  expect(result.status).toBe(status);
  // responseProvider may run without onClientRequest's verdict: it refuses too.
  const direct = await ctx.bundle.responseProvider(makeRequest({ method: "POST", path: "/checkpoints/orders", headers }));
  expect(direct.status).toBe(status);
  expect(relayCalls(ctx)).toHaveLength(0);
});

test("a GET on a trigger route is not a trigger", async () => {
  const ctx = setUp();
  const token = await signToken(claims(NOW));
  const result = await send(ctx, makeRequest({ method: "GET", path: "/checkpoints/orders", headers: { Authorization: `Bearer ${token}` } }));
  expect(result.status).toBe(404);
  expect(relayCalls(ctx)).toHaveLength(0);
});

test("a poll asks the relay for that handle only; a malformed handle never leaves the edge", async () => {
  const ctx = setUp(() => originResponse(200, JSON.stringify({ state: "Succeeded" })));
  const token = await signToken(claims(NOW));
  const headers = { Authorization: `Bearer ${token}` };
  const ok = await send(ctx, makeRequest({ path: `/checkpoints/status/${HANDLE}`, headers }));
  expect(ok.status).toBe(200);
  expect(relayCalls(ctx).map(([url, o]) => [url, o.method])).toEqual([[`${RELAY}/api/operations/${HANDLE}`, "GET"]]);
  for (const bad of ["x", "..", "%2e%2e", `${HANDLE}x`, "a.b"]) {
    const result = await send(ctx, makeRequest({ path: `/checkpoints/status/${bad}`, headers }));
    expect(result.status).toBe(404);
  }
  expect(relayCalls(ctx)).toHaveLength(1);
});

test.each([
  [409, {}, 409],
  [503, { "retry-after": ["17"] }, 503],
  [401, { "www-authenticate": ["Bearer error=\"invalid_token\""] }, 401],
])("the relay's %s reaches the caller with its headers", async (status, headers, expected) => {
  const ctx = setUp(() => originResponse(status, JSON.stringify({ error: "x" }), headers));
  const token = await signToken(claims(NOW));
  const result = await send(ctx, makeRequest({ method: "POST", path: "/checkpoints/orders", headers: { Authorization: `Bearer ${token}` } }));
  expect(result.status).toBe(expected);
  for (const [name, values] of Object.entries(headers)) expect(result.headers[name]).toEqual(values);
});

test("a 202 without a handle is the relay's fault, not a location", async () => {
  const ctx = setUp(() => originResponse(202, JSON.stringify({ handle: "../../x" })));
  const token = await signToken(claims(NOW));
  const result = await send(ctx, makeRequest({ method: "POST", path: "/checkpoints/orders", headers: { Authorization: `Bearer ${token}` } }));
  expect(result.status).toBe(502);
});

// ---- End to end -------------------------------------------------------------

function startRelayProcess() {
  const bundles = process.env.WARD_BUNDLES;
  const child = spawn(process.execPath, [path.join(__dirname, "..", "relay", "harness.cjs"), "serve",
    path.join(bundles, "examples", "edge-backup", "relays", "backup-relay"), path.join(bundles, "keys")],
  { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (chunk) => {
      text += chunk;
      const newline = text.indexOf("\n");
      if (newline >= 0) resolve({ child, ...JSON.parse(text.slice(0, newline)) });
    });
    child.on("exit", (code) => reject(new Error(`the relay process exited with ${code}`)));
  });
}

/** A real HTTP request to 127.0.0.1, answered as httpRequest answers. */
function loopback(url, { method = "GET", headers = {}, body = "" } = {}) {
  return new Promise((resolve, reject) => {
    const flat = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v[0]]));
    const req = http.request(url, { method, headers: flat }, (res) => {
      let text = "";
      res.on("data", (c) => { text += c; });
      res.on("end", () => resolve(originResponse(res.statusCode, text,
        Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, [String(v)]])))));
    });
    req.on("error", reject);
    req.end(body);
  });
}

test("end to end: edge bundle → relay → Azure Resource Manager, one trigger and its poll", async () => {
  const real = Date.now();
  const relay = await startRelayProcess();
  try {
    const ctx = setUp((url, options) => loopback(url.replace(RELAY, relay.relay), options));
    Date.now.mockReturnValue(real); // the relay's clock is the real one
    const token = await signToken(claims(Math.floor(real / 1000)));
    const headers = { Authorization: `Bearer ${token}` };
    const started = await send(ctx, makeRequest({ method: "POST", path: "/checkpoints/ledger", headers }));
    expect(started.status).toBe(202);
    const location = started.headers.location[0];
    expect(location).toMatch(/^\/checkpoints\/status\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);

    const polled = await send(ctx, makeRequest({ path: location, headers }));
    expect(polled.status).toBe(200);
    expect(JSON.parse(polled.body).job.status).toBe("InProgress");

    const calls = JSON.parse((await loopback(relay.control)).body);
    const vault = "https://management.azure.com/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-orders";
    const item = `${vault}/backupFabrics/Azure/protectionContainers/iaasvmcontainer;iaasvmcontainerv2;rg-orders;orders-ledger-01/protectedItems/vm;iaasvmcontainerv2;rg-orders;orders-ledger-01`;
    expect(calls.arm.map((c) => `${c.method} ${c.url.replace(/operationsStatus\/[0-9a-f-]+/, "operationsStatus/{id}")}`)).toEqual([
      `POST ${item}/backup?api-version=2025-08-01`,
      `GET ${item}/operationsStatus/{id}?api-version=2025-08-01`,
      `GET ${vault}/backupJobs/41f3e94b-ae6b-4a20-b422-65abfcaf03e5?api-version=2025-08-01`,
    ]);
    expect(calls.identity).toHaveLength(1);
    expect(relayCalls(ctx).map(([url]) => new URL(url).hostname)).toEqual(["relay-backup.contoso.com", "relay-backup.contoso.com"]);
  } finally {
    relay.child.kill();
  }
});
