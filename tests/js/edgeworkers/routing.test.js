// Routing of the example bundles under Akamai's mocks: first match by method
// and path, redirects, edge responses, denies, defaults, and failing closed.
const { NOW, bundlePath, loadBundle, makeRequest, outcome, originResponse, signToken, publicJwks } = require("./support");

afterEach(() => jest.restoreAllMocks());

async function client(ctx, options) {
  const request = makeRequest(options);
  await ctx.bundle.onClientRequest(request);
  return { request, result: outcome(request) };
}

describe("examples/orders-api: orders-gateway", () => {
  const file = bundlePath("examples", "orders-api", "orders-gateway");

  test.each([
    ["GET /legacy/anything redirects", { path: "/legacy/anything" }, { status: 301, location: "/api/orders" }],
    ["GET /legacy/ redirects (the tail may be empty)", { path: "/legacy/" }, { status: 301, location: "/api/orders" }],
    ["GET /legacy does not match /legacy/* and is denied", { path: "/legacy" }, { status: 404 }],
    ["POST /legacy/x: wrong method, denied", { method: "POST", path: "/legacy/x" }, { status: 404 }],
    ["DELETE /api/orders is denied by default", { method: "DELETE", path: "/api/orders" }, { status: 404 }],
    ["GET /api/orders/1/items does not match {id}", { path: "/api/orders/1/items" }, { status: 404 }],
    ["GET /api/orders/ has an empty {id}", { path: "/api/orders/" }, { status: 404 }],
    ["HEAD /api/orders/7 without a token", { method: "HEAD", path: "/api/orders/7" }, { status: 401 }],
  ])("%s", async (_name, request, expected) => {
    const ctx = loadBundle(file);
    const { result } = await client(ctx, request);
    expect(result.kind).toBe("respond");
    expect(result.status).toBe(expected.status);
    if (expected.location) expect(result.headers.location).toEqual([expected.location]);
    expect(ctx.httpRequest).not.toHaveBeenCalled();
  });

  test("GET /healthz answers at the edge with its headers", async () => {
    const ctx = loadBundle(file);
    const { result } = await client(ctx, { path: "/healthz" });
    expect(result).toMatchObject({ kind: "respond", status: 200, body: "ok" });
    expect(result.headers).toEqual({ "content-type": ["text/plain"] });
  });

  test("an error while checking answers 503 and never lets the request through", async () => {
    const ctx = loadBundle(file);
    const request = makeRequest({ path: "/api/orders/1" });
    request.getHeader = () => { throw new Error("header store unavailable"); };
    await ctx.bundle.onClientRequest(request);
    expect(outcome(request)).toMatchObject({ kind: "respond", status: 503 });
    expect(ctx.httpRequest).not.toHaveBeenCalled();
  });

  test("responseProvider answers 404 for requests that are not forwarded", async () => {
    const ctx = loadBundle(file);
    const response = await ctx.bundle.responseProvider(makeRequest({ path: "/healthz" }));
    expect(response.status).toBe(404);
    expect(ctx.httpRequest).not.toHaveBeenCalled();
  });

  test("responseProvider forwards path, query, method and end-to-end headers; relays the answer", async () => {
    const ctx = loadBundle(file);
    ctx.httpRequest.mockImplementation(async (url, options) => {
      if (url.includes("/.well-known/ward/keys/")) return originResponse(200, JSON.stringify(publicJwks()));
      return originResponse(200, "[]", { "content-type": ["application/json"], connection: ["close"] });
    });
    const token = await signToken({
      iss: "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
      aud: "6a0f2c3e-8b1d-4f5a-9e7c-2d4b6a8c0e1f", scp: "orders.read", iat: NOW - 10, exp: NOW + 300,
    });
    const request = makeRequest({
      path: "/api/orders", query: "page=2",
      headers: { Authorization: `Bearer ${token}`, Host: "edge.example", Connection: "keep-alive", Accept: "application/json" },
    });
    const response = await ctx.bundle.responseProvider(request);
    const [url, options] = ctx.httpRequest.mock.calls.find(([u]) => !u.includes("/.well-known/ward/keys/"));
    expect(url).toBe("https://origin-orders.contoso.com/api/orders?page=2");
    expect(options.method).toBe("GET");
    expect(options.headers.accept).toEqual(["application/json"]);
    expect(options.headers.host).toBeUndefined();
    expect(options.headers.connection).toBeUndefined();
    expect(response).toMatchObject({ status: 200, body: "[]", headers: { "content-type": ["application/json"] } });
    expect(response.headers.connection).toBeUndefined();
  });
});

describe("examples/multi-issuer-gateway: partner-gateway", () => {
  const file = bundlePath("examples", "multi-issuer-gateway", "partner-gateway");
  const OKTA = "https://fabrikam-partners.okta.com/oauth2/default";
  const ENTRA = "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad";

  function withKeys(ctx) {
    ctx.httpRequest.mockImplementation(async (url) => {
      if (url.startsWith("https://partners.fabrikam.com/.well-known/ward/keys/")) return originResponse(200, JSON.stringify(publicJwks()));
      return originResponse(201, "created");
    });
  }

  test("a route without methods answers every method", async () => {
    for (const method of ["GET", "HEAD", "POST"]) {
      const ctx = loadBundle(file);
      const { result } = await client(ctx, { method, path: "/robots.txt" });
      expect(result).toMatchObject({ kind: "respond", status: 200, body: "User-agent: *\nDisallow: /" });
    }
  });

  test("old catalog paths redirect with 308; unrouted requests are denied with the policy's reason", async () => {
    let ctx = loadBundle(file);
    expect((await client(ctx, { path: "/catalog/shoes" })).result).toMatchObject({ status: 308, headers: { location: ["/partners/catalog/"] } });
    ctx = loadBundle(file);
    expect((await client(ctx, { path: "/admin" })).result).toMatchObject({ status: 403, denyReason: "not routed" });
  });

  test("partners: an Okta token with the scope array and an accepted claim is forwarded once (no retry on this route)", async () => {
    const ctx = loadBundle(file);
    withKeys(ctx);
    const token = await signToken({ iss: OKTA, aud: "api://partner-gateway", scp: ["orders:write"], iat: NOW - 5, exp: NOW + 600 });
    const request = makeRequest({ method: "POST", path: "/partners/orders", headers: { Authorization: `Bearer ${token}` }, body: "{}" });
    await ctx.bundle.onClientRequest(request);
    expect(outcome(request).kind).toBe("continue");
    const response = await ctx.bundle.responseProvider(request);
    expect(response.status).toBe(201);
    const origin = ctx.httpRequest.mock.calls.filter(([url]) => url.startsWith("https://origin-orders.fabrikam.com"));
    expect(origin).toHaveLength(1);
    expect(origin[0][1].method).toBe("POST");
  });

  test("partners: a claim value outside the accepted list is refused with 403", async () => {
    const ctx = loadBundle(file);
    withKeys(ctx);
    const claims = { iss: OKTA, aud: "api://partner-gateway", scp: ["catalog:read"], partner_tier: "bronze", iat: NOW - 5, exp: NOW + 600 };
    const { result } = await client(ctx, { path: "/partners/catalog/1", headers: { Authorization: `Bearer ${await signToken(claims)}` } });
    expect(result).toMatchObject({ status: 403, denyReason: "required claim not satisfied" });
    const accepted = loadBundle(file);
    withKeys(accepted);
    const ok = await client(accepted, { path: "/partners/catalog/1", headers: { Authorization: `Bearer ${await signToken({ ...claims, partner_tier: "gold" })}` } });
    expect(ok.result.kind).toBe("continue");
  });

  test("employees: an Entra token needs the app role", async () => {
    const ctx = loadBundle(file);
    withKeys(ctx);
    const claims = { iss: `${ENTRA}/v2.0`, aud: "0c9d8e7f-6a5b-4c3d-9e2f-1a0b9c8d7e6f", roles: ["Catalog.Write"], iat: NOW - 5, exp: NOW + 600 };
    const { result } = await client(ctx, { path: "/internal/catalog/x", headers: { Authorization: `Bearer ${await signToken(claims)}` } });
    expect(result).toMatchObject({ status: 403, denyReason: "missing role" });
  });
});

describe("tests/edgeworkers/policies/minimal.ward", () => {
  test("a bundle without routes or default lets every request through", async () => {
    const ctx = loadBundle(bundlePath("policies", "minimal", "empty"));
    const { result } = await client(ctx, { method: "DELETE", path: "/anything" });
    expect(result.kind).toBe("continue");
  });

  test("a default-only bundle answers every request with the default, and logs nothing", async () => {
    const ctx = loadBundle(bundlePath("policies", "minimal", "maintenance"));
    const { result } = await client(ctx, { path: "/" });
    expect(result).toMatchObject({ status: 503, body: "down for maintenance", headers: { "retry-after": ["600"] } });
    expect(require("node:fs").readFileSync(bundlePath("policies", "minimal", "maintenance"), "utf8")).not.toMatch(/logger|from "log"/);
  });
});
