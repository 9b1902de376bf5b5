// A stand-in Azure for generated backup relays, on 127.0.0.1 only: Azure
// Resource Manager, the App Service managed-identity endpoint and Entra's key
// set, each a loopback HTTP server that records every request. fetch is
// wrapped so that the relay's requests to https://management.azure.com and
// https://login.microsoftonline.com reach these servers (the relay's URLs are
// fixed at build time, so the test cannot pass others in), and any request
// to another non-loopback host fails the test.
//
// Loaded in-process by relay.test.cjs, and run as a process
// (`node harness.cjs serve RELAY_DIR KEYS_DIR`) by the end-to-end Jest test:
// then it also serves the relay's two functions over HTTP, as the Functions
// host would, and prints {"relay": URL, "control": URL} on its first line.
const http = require("node:http");
const path = require("node:path");
const fs = require("node:fs");
const Module = require("node:module");

const TESTS_JS = path.join(__dirname, "..");
// The relay requires "@azure/functions": the real package, from tests/js.
process.env.NODE_PATH = path.join(TESTS_JS, "node_modules");
Module._initPaths();
const { HttpRequest, HttpResponse, InvocationContext } = require("@azure/functions");

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const IDENTITY_HEADER = "identity-header-secret-0123456789";
const MI_TOKEN = "managed-identity-token.for-arm.0123456789";

function listen(handler) {
  return new Promise((resolve) => {
    const server = http.createServer(async (req, res) => {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      handler(req, Buffer.concat(chunks).toString("utf8"), res);
    });
    server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` }));
  });
}

/**
 * The stand-ins. `arm.respond` decides ARM's answers: (call) => { status,
 * headers, body }; by default a 202 for a trigger with a fresh operation.
 */
async function startAzure({ jwks }) {
  const calls = { arm: [], identity: [], keys: [] };
  const behaviour = {
    identity: "ok", // "ok" | "error" | "down"
    arm: (call) => defaultArm(call),
  };
  const arm = await listen((req, body, res) => {
    const call = { method: req.method, url: `https://management.azure.com${req.url}`, headers: req.headers, body };
    calls.arm.push(call);
    const { status, headers = {}, body: out = "" } = behaviour.arm(call);
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(typeof out === "string" ? out : JSON.stringify(out));
  });
  const identity = await listen((req, body, res) => {
    calls.identity.push({ url: new URL(req.url, "http://127.0.0.1"), headers: req.headers });
    if (behaviour.identity === "error" || req.headers["x-identity-header"] !== IDENTITY_HEADER) {
      res.writeHead(500).end("{}");
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({
      access_token: MI_TOKEN, expires_on: String(Math.floor(Date.now() / 1000) + 3600),
      resource: "https://management.azure.com/", token_type: "Bearer",
    }));
  });
  const keys = await listen((req, body, res) => {
    calls.keys.push(req.url);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks));
  });
  const routes = { "https://management.azure.com": arm.url, "https://login.microsoftonline.com": keys.url };
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = new URL(String(input));
    const target = routes[url.origin];
    if (target !== undefined) return realFetch(target + url.pathname + url.search, init);
    if (url.hostname !== "127.0.0.1") throw new Error(`the relay requested ${url.origin}, which no stand-in serves`);
    return realFetch(input, init);
  };
  const env = { IDENTITY_ENDPOINT: `${identity.url}/msi/token`, IDENTITY_HEADER };
  return {
    calls, behaviour, env,
    identityDown() { env.IDENTITY_ENDPOINT = "http://127.0.0.1:9/msi/token"; },
    async close() {
      globalThis.fetch = realFetch;
      for (const s of [arm, identity, keys]) await new Promise((r) => s.server.close(r));
    },
  };
}

let operationCounter = 0;
function defaultArm(call) {
  if (call.method === "POST") {
    const op = `0000${++operationCounter}`.slice(-4);
    const id = `7e1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b${op}`;
    const base = call.url.replace(/\/backup\?.*$/, "");
    return {
      status: 202,
      headers: {
        "azure-asyncoperation": `${base}/operationsStatus/${id}?api-version=2025-08-01`,
        location: `${base}/operationResults/${id}?api-version=2025-08-01`,
        "retry-after": "60",
      },
    };
  }
  if (/\/operationsStatus\//.test(call.url)) {
    return { status: 200, body: { id: "x", name: "x", status: "Succeeded",
      properties: { objectType: "OperationStatusJobExtendedInfo", jobId: "41f3e94b-ae6b-4a20-b422-65abfcaf03e5" } } };
  }
  if (/\/backupJobs\//.test(call.url)) {
    return { status: 200, body: { properties: { status: "InProgress", startTime: "2026-11-29T12:00:00Z" } } };
  }
  return { status: 404, body: { error: { code: "NotFound" } } };
}

/** The relay's functions, loaded fresh (a new module, a new token cache). */
function loadRelay(relayDir) {
  const file = path.join(relayDir, "src", "index.js");
  delete require.cache[require.resolve(file)];
  return require(file);
}

/**
 * Calls one of the relay's handlers as the Functions host would, with the
 * package's own HttpRequest and InvocationContext; returns the status,
 * headers, parsed body and every line logged.
 */
async function invoke(handler, { method, url, params, headers = {} }) {
  const logs = [];
  const request = new HttpRequest({ method, url, params, headers });
  const context = new InvocationContext({
    functionName: handler.name, logHandler: (level, ...args) => logs.push(`${level}: ${args.join(" ")}`),
  });
  const response = new HttpResponse(await handler(request, context));
  const text = await response.text();
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers.entries()),
    body: text === "" ? undefined : JSON.parse(text),
    logs,
  };
}

/** Serves the relay's routes over HTTP (`/api/backups/{item}`, `/api/operations/{handle}`). */
async function serveRelay(relay) {
  return listen(async (req, body, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    const trigger = /^\/api\/backups\/([^/]+)$/.exec(url.pathname);
    const status = /^\/api\/operations\/([^/]+)$/.exec(url.pathname);
    let result = { status: 404, headers: {}, body: undefined };
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    if (trigger && req.method === "POST") {
      result = await invoke(relay.triggerBackup,
        { method: "POST", url: url.href, params: { item: decodeURIComponent(trigger[1]) }, headers });
    } else if (status && req.method === "GET") {
      result = await invoke(relay.backupStatus,
        { method: "GET", url: url.href, params: { handle: decodeURIComponent(status[1]) }, headers });
    }
    res.writeHead(result.status, result.headers);
    res.end(result.body === undefined ? "" : JSON.stringify(result.body));
  });
}

async function serve(relayDir, keysDir) {
  const jwks = JSON.parse(fs.readFileSync(path.join(keysDir, "jwks.json"), "utf8"));
  const azure = await startAzure({ jwks });
  Object.assign(process.env, azure.env, { WEBSITE_AUTH_SIGNING_KEY: "0123456789abcdef0123456789abcdef" });
  const relay = await serveRelay(loadRelay(relayDir));
  const control = await listen((req, body, res) => {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(azure.calls));
  });
  process.stdout.write(`${JSON.stringify({ relay: relay.url, control: control.url })}\n`);
}

if (require.main === module && process.argv[2] === "serve") serve(process.argv[3], process.argv[4]);

module.exports = { TENANT, MI_TOKEN, IDENTITY_HEADER, startAzure, loadRelay, invoke };
