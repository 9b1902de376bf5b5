// Driven by bench/jwt-verify: loads generated bundles with the EdgeWorkers
// modules replaced by Node-backed stand-ins, signs tokens with the keys the
// script generated, and times onClientRequest with process.cpuUsage().
import { webcrypto } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const work = process.argv[2];
const keys = JSON.parse(readFileSync(join(work, "keys", "private-keys.json"), "utf8"));
const jwks = readFileSync(join(work, "keys", "jwks.json"), "utf8");
const NOW = Math.floor(Date.now() / 1000);
const ITERATIONS = 2000;

const shims = {
  "crypto": `import { webcrypto } from "node:crypto"; export const crypto = webcrypto;`,
  "encoding": `import { TextEncoder, TextDecoder } from "node:util";
    export { TextEncoder, TextDecoder };
    export const base64url = { decode: (s, f) => f === "Uint8Array" ? new Uint8Array(Buffer.from(s, "base64url")) : Buffer.from(s, "base64url").toString("latin1") };`,
  "log": `export const logger = { log() {}, error() {} };`,
  "http-request": `export let fetches = 0;
    export async function httpRequest(url) { fetches++; const body = globalThis.benchJwks; return { ok: true, status: 200, json: async () => JSON.parse(body) }; }`,
  "create-response": `export function createResponse(status, headers, body) { return { status, headers, body }; }`,
};

/** Imports a bundle with its EdgeWorkers imports pointed at the stand-ins. */
async function load(mainJs, name) {
  const dir = join(work, "run", name);
  mkdirSync(dir, { recursive: true });
  let source = readFileSync(mainJs, "utf8");
  for (const [module, code] of Object.entries(shims)) {
    writeFileSync(join(dir, `${module}.mjs`), code);
    source = source.replaceAll(`from "${module}";`, `from "./${module}.mjs";`);
  }
  writeFileSync(join(dir, "main.mjs"), source);
  return import(pathToFileURL(join(dir, "main.mjs")).href);
}

const b64url = (data) => Buffer.from(data).toString("base64url");
async function sign(claims, kid) {
  const jwk = keys[kid];
  const head = b64url(JSON.stringify({ alg: jwk.alg, typ: "JWT", kid }));
  const body = b64url(JSON.stringify(claims));
  const data = new TextEncoder().encode(`${head}.${body}`);
  const [importAlg, signAlg] = jwk.alg === "RS256"
    ? [{ name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, "RSASSA-PKCS1-v1_5"]
    : [{ name: "ECDSA", namedCurve: "P-256" }, { name: "ECDSA", hash: "SHA-256" }];
  const key = await webcrypto.subtle.importKey("jwk", jwk, importAlg, false, ["sign"]);
  return `${head}.${body}.${b64url(new Uint8Array(await webcrypto.subtle.sign(signAlg, key, data)))}`;
}

function request(method, path, token) {
  return {
    method, path, url: path, query: "",
    getHeader: (name) => (name === "authorization" ? [`Bearer ${token}`] : null),
    getHeaders: () => ({ authorization: [`Bearer ${token}`] }),
    respondWith(status) { this.answered = status; },
    route() { this.routed = true; },
  };
}

/** CPU microseconds per call of onClientRequest: the first call, then the mean of the rest. */
async function measure(bundle, method, path, token, expect) {
  const time = async (n) => {
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const r = request(method, path, token);
      await bundle.onClientRequest(r);
      const outcome = r.answered ?? (r.routed ? "routed" : "continue");
      if (outcome !== expect) throw new Error(`${path}: expected ${expect}, got ${outcome}`);
    }
    const used = process.cpuUsage(start);
    return (used.user + used.system) / n;
  };
  const first = await time(1);
  await time(200); // warm-up
  return { first, steady: await time(ITERATIONS) };
}

globalThis.benchJwks = jwks;
const matrix = join(work, "out", "token-matrix", "edgeworkers", "token-matrix", "main.js");
const orders = join(work, "out", "orders-api", "edgeworkers", "orders-gateway", "main.js");
const ENTRA = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0";
const rsaClaims = { iss: "https://id.test.example/rsa", aud: "api://matrix", scp: "items.read", iat: NOW - 60, exp: NOW + 600 };
const ecClaims = { iss: "https://id.test.example/ec", aud: "api://ec-only", roles: ["Items.Admin"], tenant: "contoso", iat: NOW - 60, exp: NOW + 300 };
const rsaToken = await sign(rsaClaims, "rsa-1");
const tampered = rsaToken.replace(/\.[^.]+\./, `.${b64url(JSON.stringify({ ...rsaClaims, scp: "admin" }))}.`);

const cases = [
  ["RS256, embedded keys, valid", matrix, "GET", "/rsa/1", rsaToken, "routed"],
  ["RS256, embedded keys, tampered", matrix, "GET", "/rsa/1", tampered, 401],
  ["RS256, embedded keys, expired", matrix, "GET", "/rsa/1", await sign({ ...rsaClaims, iat: NOW - 900, exp: NOW - 600 }, "rsa-1"), 401],
  ["ES256, embedded keys, valid", matrix, "POST", "/ec/a", await sign(ecClaims, "ec-1"), "routed"],
  ["RS256, fetched keys (cached), valid", orders, "GET", "/api/orders/1",
    await sign({ iss: ENTRA, aud: "6a0f2c3e-8b1d-4f5a-9e7c-2d4b6a8c0e1f", scp: "orders.read", iat: NOW - 60, exp: NOW + 600 }, "rsa-2"), "continue"],
  ["no token (baseline routing)", matrix, "GET", "/rsa/1", "", 401],
];

console.log(`CPU per onClientRequest, microseconds (Node ${process.version}; mean of ${ITERATIONS} after warm-up):`);
console.log(`  ${"case".padEnd(40)} ${"first".padStart(8)} ${"steady".padStart(8)}`);
let n = 0;
for (const [name, file, method, path, token, expect] of cases) {
  const bundle = await load(file, `b${n++}`); // fresh module state: the first call imports the key
  const { first, steady } = await measure(bundle, method, path, token, expect);
  console.log(`  ${name.padEnd(40)} ${first.toFixed(0).padStart(8)} ${steady.toFixed(1).padStart(8)}`);
}
