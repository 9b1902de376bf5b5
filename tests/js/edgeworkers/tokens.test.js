// The token matrix: every generated verifier accepts exactly the valid token
// and refuses each broken one with the right status, without forwarding it
// and without logging it. Run against embedded RS256 and ES256 key sets and
// against an example bundle that fetches its keys at the edge.
const { createSign, generateKeyPairSync } = require("node:crypto");
const { NOW, bundlePath, loadBundle, makeRequest, outcome, originResponse, signToken, publicJwks, b64url } = require("./support");

const ENTRA = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47";

const targets = [
  {
    name: "embedded RS256 key set",
    file: bundlePath("policies", "token-matrix", "token-matrix"),
    request: { method: "GET", path: "/rsa/42" },
    kid: "rsa-1",
    lifetimeCap: 3600,
    skew: 30,
    claims: () => ({ iss: "https://id.test.example/rsa", aud: "api://matrix", scp: "items.read other", iat: NOW - 60, nbf: NOW - 60, exp: NOW + 600 }),
    withoutPermission: (c) => ({ ...c, scp: "other" }),
    forwarded: (ctx, request) => outcome(request).kind === "route" && outcome(request).destination.origin === "matrix_origin",
  },
  {
    name: "embedded ES256 key set",
    file: bundlePath("policies", "token-matrix", "token-matrix"),
    request: { method: "POST", path: "/ec/a/b" },
    kid: "ec-1",
    lifetimeCap: 600,
    skew: 5,
    claims: () => ({ iss: "https://id.test.example/ec", aud: ["x", "api://ec-only"], roles: ["Items.Admin"], tenant: "fabrikam", iat: NOW - 60, exp: NOW + 300 }),
    withoutPermission: (c) => ({ ...c, roles: ["Items.Reader"] }),
    forwarded: (ctx, request) => outcome(request).kind === "route" && outcome(request).destination.origin === "matrix_origin",
  },
  {
    name: "key set fetched at the edge (examples/orders-api)",
    file: bundlePath("examples", "orders-api", "orders-gateway"),
    request: { method: "GET", path: "/api/orders/17" },
    kid: "rsa-2",
    lifetimeCap: 900,
    skew: 30,
    jwksUrl: "https://orders.contoso.com/.well-known/ward/keys/entra",
    claims: () => ({ iss: `${ENTRA}/v2.0`, aud: "6a0f2c3e-8b1d-4f5a-9e7c-2d4b6a8c0e1f", scp: "orders.read", iat: NOW - 60, nbf: NOW - 60, exp: NOW + 600 }),
    withoutPermission: (c) => ({ ...c, scp: "orders.write" }),
    // Admitted in onClientRequest; responseProvider checks again and forwards.
    forwarded: async (ctx, request) => {
      if (outcome(request).kind !== "continue") return false;
      const response = await ctx.bundle.responseProvider(request);
      const origin = ctx.httpRequest.mock.calls.filter(([url]) => url.startsWith("https://origin-orders.contoso.com"));
      return response.status === 200 && origin.length === 1 && origin[0][0] === "https://origin-orders.contoso.com/api/orders/17";
    },
  },
];

/** Loads the target's bundle; an origin that answers 200 and, if any, the key-set URL. */
function setUp(target) {
  const ctx = loadBundle(target.file);
  ctx.httpRequest.mockImplementation(async (url) => {
    if (url === target.jwksUrl) return originResponse(200, JSON.stringify(publicJwks()));
    if (url.startsWith("https://origin-orders.contoso.com")) return originResponse(200, "order");
    throw new Error(`unexpected sub-request to ${url}`);
  });
  return ctx;
}

async function send(ctx, target, token, extraHeaders = {}) {
  const headers = token === undefined ? extraHeaders : { Authorization: `Bearer ${token}`, ...extraHeaders };
  const request = makeRequest({ ...target.request, headers });
  await ctx.bundle.onClientRequest(request);
  return request;
}

function expectRefused(ctx, request, status, error, token) {
  const result = outcome(request);
  expect(result.kind).toBe("respond");
  expect(result.status).toBe(status);
  if (error) expect(result.headers["www-authenticate"][0]).toContain(`error="${error}"`);
  const originCalls = ctx.httpRequest.mock.calls.filter(([url]) => !url.includes("/.well-known/ward/keys/"));
  expect(originCalls).toHaveLength(0);
  expect(request.route).not.toHaveBeenCalled();
  // Logged with a reason, never with the token.
  expect(ctx.logger.log).toHaveBeenCalled();
  const logged = JSON.stringify(ctx.logger.log.mock.calls);
  if (token) expect(logged).not.toContain(token.split(".")[1] || token);
}

afterEach(() => jest.restoreAllMocks());

describe.each(targets)("$name", (target) => {
  const kid = target.kid;
  const sign = (claims, options = {}) => signToken(claims, { kid, ...options });

  test("a valid token is accepted and forwarded", async () => {
    const ctx = setUp(target);
    const request = await send(ctx, target, await sign(target.claims()));
    expect(request.respondWith).not.toHaveBeenCalled();
    expect(await target.forwarded(ctx, request)).toBe(true);
  });

  const refusals = [
    ["expired", (c) => ({ ...c, iat: NOW - 900, exp: NOW - target.skew - 1 }), 401, "invalid_token", "token expired"],
    ["not yet valid (nbf)", (c) => ({ ...c, nbf: NOW + target.skew + 60 }), 401, "invalid_token", "token not yet valid"],
    ["issued in the future (iat)", (c) => ({ ...c, iat: NOW + target.skew + 60, exp: NOW + 300 }), 401, "invalid_token", "token issued in the future"],
    ["lifetime over the cap", (c) => ({ ...c, iat: NOW - 10, exp: NOW - 10 + target.lifetimeCap + 1 }), 401, "invalid_token", "token lifetime over the cap"],
    ["wrong issuer", (c) => ({ ...c, iss: "https://evil.example/" }), 401, "invalid_token", "wrong issuer"],
    ["wrong audience", (c) => ({ ...c, aud: "api://someone-else" }), 401, "invalid_token", "wrong audience"],
    ["no expiry", (c) => { const { exp, ...rest } = c; return rest; }, 401, "invalid_token", "no expiry"],
    ["missing scope, role or claim", (c) => target.withoutPermission(c), 403, "insufficient_scope", undefined],
  ];
  test.each(refusals)("refused: %s", async (_name, mutate, status, error, reason) => {
    const ctx = setUp(target);
    const token = await sign(mutate(target.claims()));
    const request = await send(ctx, target, token);
    expectRefused(ctx, request, status, error, token);
    if (reason) expect(outcome(request).denyReason).toBe(reason);
  });

  const forged = [
    ["alg: none (empty signature)", () => sign(target.claims(), { alg: "none" }), "malformed token encoding"],
    ["alg: none with a signature", async () => `${await sign(target.claims(), { alg: "none" })}AAAA`, "signature algorithm not accepted"],
    ["HS256 signed with the public key as secret", () => sign(target.claims(), { alg: "HS256" }), "signature algorithm not accepted"],
    ["tampered payload", async () => {
      const [head, , signature] = (await sign(target.claims())).split(".");
      return `${head}.${b64url(JSON.stringify({ ...target.claims(), exp: NOW + 86400 }))}.${signature}`;
    }, "bad signature"],
    ["signature of another key", async () => {
      const [head, body] = (await sign(target.claims())).split(".");
      const other = (await sign(target.claims(), { kid: kid.startsWith("ec") ? "ec-1" : "rsa-1" === kid ? "rsa-2" : "rsa-1" })).split(".")[2];
      return `${head}.${body}.${kid.startsWith("ec") ? b64url(Buffer.alloc(64, 7)) : other}`;
    }, "bad signature"],
    ["unknown kid", () => sign(target.claims(), { header: { kid: "rotated-away" } }), "unknown signing key"],
    ["the encryption-only key's kid", () => sign(target.claims(), { header: { kid: "rsa-enc" } }), "unknown signing key"],
    ["two segments", async () => (await sign(target.claims())).split(".").slice(0, 2).join("."), "not a signed JWT"],
    ["bad base64", async () => (await sign(target.claims())).replace(".", ".!"), "malformed token encoding"],
    ["huge header", async () => `${b64url(JSON.stringify({ alg: "RS256", pad: "x".repeat(12000) }))}.e30.AAAA`, "token too large"],
    ["header that is not JSON", async () => `${b64url("not json")}.e30.AAAA`, "unreadable token header"],
  ];
  test.each(forged)("refused: %s", async (_name, makeToken, reason) => {
    const ctx = setUp(target);
    const token = await makeToken();
    const request = await send(ctx, target, token);
    expectRefused(ctx, request, 401, "invalid_token", token);
    expect(outcome(request).denyReason).toBe(reason);
  });

  test("no token: 401 with a bare Bearer challenge", async () => {
    const ctx = setUp(target);
    const request = await send(ctx, target, undefined);
    expectRefused(ctx, request, 401, undefined, undefined);
    expect(outcome(request).headers["www-authenticate"]).toEqual(["Bearer"]);
  });

  test("two Authorization headers: 400 invalid_request", async () => {
    const ctx = setUp(target);
    const token = await sign(target.claims());
    const request = makeRequest({ ...target.request, headers: { Authorization: [`Bearer ${token}`, `Bearer ${token}`] } });
    await ctx.bundle.onClientRequest(request);
    expectRefused(ctx, request, 400, "invalid_request", token);
  });
});

describe("key set fetched at the edge", () => {
  const target = targets[2];

  test("is fetched once and served from the module cache afterwards", async () => {
    const ctx = setUp(target);
    for (let i = 0; i < 3; i++) await send(ctx, target, await signToken(target.claims(), { kid: "rsa-2" }));
    expect(ctx.httpRequest.mock.calls.filter(([url]) => url === target.jwksUrl)).toHaveLength(1);
  });

  test("unknown kids refetch at most once a minute", async () => {
    const ctx = setUp(target);
    await send(ctx, target, await signToken(target.claims(), { kid: "rsa-2" }));
    for (let i = 0; i < 5; i++) await send(ctx, target, await signToken(target.claims(), { kid: "rsa-2", header: { kid: `random-${i}` } }));
    expect(ctx.httpRequest.mock.calls.filter(([url]) => url === target.jwksUrl)).toHaveLength(1);
  });

  const keySetFetches = (ctx) => ctx.httpRequest.mock.calls.filter(([url]) => url === target.jwksUrl).length;

  test("a key set that keeps failing is asked at most once a minute, whatever kids the tokens name", async () => {
    const ctx = setUp(target);
    ctx.httpRequest.mockImplementation(async () => originResponse(503, ""));
    for (let i = 0; i < 20; i++) {
      const token = await signToken(target.claims(), { kid: "rsa-2", header: { kid: `random-${i}` } });
      expect(outcome(await send(ctx, target, token)).status).toBe(503);
    }
    expect(keySetFetches(ctx)).toBe(1);
    // A minute later the next request may try again, once.
    Date.now.mockReturnValue((NOW + 60) * 1000);
    for (let i = 0; i < 5; i++) await send(ctx, target, await signToken(target.claims(), { kid: "rsa-2" }));
    expect(keySetFetches(ctx)).toBe(2);
  });

  test("a key set that answers with an error does not lift the bound either", async () => {
    const ctx = setUp(target);
    ctx.httpRequest.mockImplementation(async () => { throw new Error("timeout"); });
    for (let i = 0; i < 10; i++) await send(ctx, target, await signToken(target.claims(), { kid: `k-${i}` }));
    expect(keySetFetches(ctx)).toBe(1);
  });

  test("concurrent requests share one fetch", async () => {
    const ctx = setUp(target);
    let release;
    const answered = new Promise((resolve) => { release = resolve; });
    ctx.httpRequest.mockImplementation(async (url) => {
      if (url !== target.jwksUrl) throw new Error(`unexpected sub-request to ${url}`);
      await answered;
      return originResponse(200, JSON.stringify(publicJwks()));
    });
    const token = await signToken(target.claims(), { kid: "rsa-2" });
    const pending = Array.from({ length: 8 }, () => send(ctx, target, token));
    release();
    const requests = await Promise.all(pending);
    expect(keySetFetches(ctx)).toBe(1);
    for (const request of requests) expect(outcome(request).kind).toBe("continue");
  });

  test("fetched RSA keys under 2,048 bits are refused, as embedded ones are", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const weakPublic = { ...publicKey.export({ format: "jwk" }), kid: "weak", alg: "RS256", use: "sig" };
    const ctx = setUp(target);
    ctx.httpRequest.mockImplementation(async () => originResponse(200, JSON.stringify({ keys: [weakPublic] })));
    const head = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid: "weak" }));
    const body = b64url(JSON.stringify(target.claims()));
    const signature = createSign("RSA-SHA256").update(`${head}.${body}`).sign(privateKey);
    const token = `${head}.${body}.${b64url(signature)}`;
    const request = await send(ctx, target, token);
    expectRefused(ctx, request, 401, "invalid_token", token);
    expect(outcome(request).denyReason).toBe("unknown signing key");
  });

  test("keys whose key_ops do not include verify are not used", async () => {
    const withOps = (ops) => ({ keys: publicJwks().keys.map((k) => ({ ...k, key_ops: ops })) });
    const token = await signToken(target.claims(), { kid: "rsa-2" });
    const refused = setUp(target);
    refused.httpRequest.mockImplementation(async () => originResponse(200, JSON.stringify(withOps(["encrypt"]))));
    expectRefused(refused, await send(refused, target, token), 401, "invalid_token", token);
    const accepted = setUp(target);
    accepted.httpRequest.mockImplementation(async () => originResponse(200, JSON.stringify(withOps(["verify"]))));
    expect(outcome(await send(accepted, target, token)).kind).toBe("continue");
  });

  test("an unreachable key set answers 503 and forwards nothing", async () => {
    const ctx = setUp(target);
    ctx.httpRequest.mockImplementation(async () => originResponse(500, ""));
    const token = await signToken(target.claims(), { kid: "rsa-2" });
    const request = await send(ctx, target, token);
    expectRefused(ctx, request, 503, undefined, token);
  });

  test("responseProvider refuses a bad token on its own", async () => {
    const ctx = setUp(target);
    const token = await signToken({ ...target.claims(), exp: NOW - 3600, iat: NOW - 4000 }, { kid: "rsa-2" });
    const request = makeRequest({ ...target.request, headers: { Authorization: `Bearer ${token}` } });
    const response = await ctx.bundle.responseProvider(request);
    expect(response.status).toBe(401);
    expect(ctx.httpRequest.mock.calls.filter(([url]) => url.startsWith("https://origin-orders"))).toHaveLength(0);
  });
});
