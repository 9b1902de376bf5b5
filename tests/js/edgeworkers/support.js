// Shared helpers of the bundle tests: loading a generated bundle with fresh
// module state, building EdgeWorkers request objects, signing tokens.
const { webcrypto } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const BUNDLES = process.env.WARD_BUNDLES;
if (!BUNDLES) throw new Error("WARD_BUNDLES is not set; run tests/edgeworkers/run.sh");

// The clock of every test: EdgeWorkers' Date.now() is the event's start time.
const NOW = 1_800_000_000;

// The hostnames each edgeworker's Akamai property serves, as its policy
// declares them (`hostnames`). EdgeWorkers sub-requests reach nothing else, so
// after every test each sub-request a bundle made must target one of these.
const DECLARED_HOSTNAMES = {
  "orders-gateway": ["orders.contoso.com", "origin-orders.contoso.com"],
  "partner-gateway": ["partners.fabrikam.com", "origin-catalog.fabrikam.com", "origin-orders.fabrikam.com"],
  "retry-matrix": ["api.test.example"],
  "token-matrix": [],
  "hostile-strings": [],
  "empty": [],
  "maintenance": [],
  "checkpoints": ["checkpoints.contoso.com", "relay-backup.contoso.com"],
};

/** @type {{ edgeworker: string, httpRequest: jest.Mock }[]} */
let loadedThisTest = [];

afterEach(() => {
  const loaded = loadedThisTest;
  loadedThisTest = [];
  for (const { edgeworker, httpRequest } of loaded) {
    const served = DECLARED_HOSTNAMES[edgeworker];
    if (served === undefined) throw new Error(`no declared hostnames recorded for bundle ${edgeworker}`);
    for (const [url] of httpRequest.mock.calls) {
      const host = new URL(url).hostname;
      if (!served.includes(host)) {
        throw new Error(`${edgeworker} made a sub-request to ${url}; its property serves only ${served.join(", ") || "nothing"}`);
      }
    }
  }
});

/** main.js of an edgeworker built from `examples/<project>` or `policies/<name>`. */
function bundlePath(group, project, edgeworker) {
  return path.join(BUNDLES, group, project, "edgeworkers", edgeworker, "main.js");
}

/**
 * Loads a bundle with fresh module state (key caches, retry budgets) and
 * fresh mocks; returns the bundle's handlers and the mocks it uses.
 */
function loadBundle(file) {
  jest.resetModules();
  jest.spyOn(Date, "now").mockReturnValue(NOW * 1000);
  const httpModule = require("http-request");
  const createResponseModule = require("create-response");
  const requestModule = require("request");
  const log = require("log");
  createResponseModule.createResponse.mockImplementation((status, headers, body, denyReason) => ({
    status, headers, body, denyReason,
  }));
  httpModule.httpRequest.mockImplementation(async (url) => {
    throw new Error(`unexpected sub-request to ${url}`);
  });
  const bundle = require(file);
  loadedThisTest.push({ edgeworker: path.basename(path.dirname(file)), httpRequest: httpModule.httpRequest });
  return { bundle, httpRequest: httpModule.httpRequest, logger: log.logger, requestModule };
}

/** An EdgeWorkers request (Akamai's mock) for METHOD PATH with HEADERS. */
function makeRequest({ method = "GET", path: requestPath = "/", query = "", headers = {}, body = "" } = {}) {
  const Request = require("request").default;
  const request = new Request();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v : [v]]));
  request.method = method;
  request.path = requestPath;
  request.query = query;
  request.url = query ? `${requestPath}?${query}` : requestPath;
  request.getHeader = (name) => lower[name.toLowerCase()] ?? null;
  request.getHeaders = () => ({ ...lower });
  request.text = async () => body;
  request.respondWith = jest.fn();
  request.route = jest.fn();
  return request;
}

/** What onClientRequest did with the request: answered, routed, or let through. */
function outcome(request) {
  if (request.respondWith.mock.calls.length > 0) {
    const [status, headers, body, denyReason] = request.respondWith.mock.calls[0];
    return { kind: "respond", status, headers, body, denyReason };
  }
  if (request.route.mock.calls.length > 0) return { kind: "route", destination: request.route.mock.calls[0][0] };
  return { kind: "continue" };
}

/** A sub-request response as http-request's httpRequest resolves it. */
function originResponse(status, body = "", headers = {}) {
  return {
    status,
    ok: status >= 200 && status < 300,
    body,
    getHeaders: () => headers,
    getHeader: (name) => headers[name.toLowerCase()] ?? null,
    json: async () => JSON.parse(body),
    text: async () => body,
  };
}

const keys = () => JSON.parse(fs.readFileSync(path.join(BUNDLES, "keys", "private-keys.json"), "utf8"));
const publicJwks = () => JSON.parse(fs.readFileSync(path.join(BUNDLES, "keys", "jwks.json"), "utf8"));

const b64url = (data) => Buffer.from(data).toString("base64url");

/** A JWT signed with the private key `kid` (or as told by `alg`/`secret`). */
async function signToken(claims, { kid = "rsa-1", header = {}, alg } = {}) {
  const privateJwk = keys()[kid.startsWith("ec") ? "ec-1" : kid] ?? keys()["rsa-1"];
  const algorithm = alg ?? privateJwk.alg;
  const head = b64url(JSON.stringify({ alg: algorithm, typ: "JWT", kid, ...header }));
  const body = b64url(JSON.stringify(claims));
  const input = new TextEncoder().encode(`${head}.${body}`);
  let signature;
  if (algorithm === "RS256") {
    const key = await webcrypto.subtle.importKey("jwk", privateJwk, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
    signature = await webcrypto.subtle.sign("RSASSA-PKCS1-v1_5", key, input);
  } else if (algorithm === "ES256") {
    const key = await webcrypto.subtle.importKey("jwk", privateJwk, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
    signature = await webcrypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key, input);
  } else if (algorithm === "HS256") {
    // The classic confusion attack: the issuer's public key used as an HMAC secret.
    const secret = new TextEncoder().encode(JSON.stringify(publicJwks().keys.find((k) => k.kid === kid)));
    const key = await webcrypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    signature = await webcrypto.subtle.sign("HMAC", key, input);
  } else if (algorithm === "none") {
    return `${head}.${body}.`;
  }
  return `${head}.${body}.${b64url(new Uint8Array(signature))}`;
}

module.exports = {
  DECLARED_HOSTNAMES, NOW, bundlePath, loadBundle, makeRequest, outcome, originResponse, signToken, publicJwks, b64url,
};
