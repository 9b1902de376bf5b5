// Generates the signing keys of the EdgeWorkers token tests: writes
// DIR/jwks.json (public keys, embedded by the test policies) and
// DIR/private-keys.json (the matching private keys, used to sign tokens).
import { webcrypto } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
if (!dir) throw new Error("usage: make-keys.mjs DIR");
mkdirSync(dir, { recursive: true });
const { subtle } = webcrypto;

async function keyPair(kid, algorithm, alg) {
  const pair = await subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const publicJwk = { ...(await subtle.exportKey("jwk", pair.publicKey)), kid, alg, use: "sig" };
  delete publicJwk.key_ops;
  delete publicJwk.ext;
  const privateJwk = { ...(await subtle.exportKey("jwk", pair.privateKey)), kid, alg };
  return { publicJwk, privateJwk };
}

const rsa = { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" };
const pairs = [
  await keyPair("rsa-1", rsa, "RS256"),
  await keyPair("rsa-2", rsa, "RS256"),
  await keyPair("ec-1", { name: "ECDSA", namedCurve: "P-256" }, "ES256"),
];
// A key for encryption only, which verification must ignore.
const encryptionKey = { ...pairs[1].publicJwk, kid: "rsa-enc", use: "enc" };
writeFileSync(join(dir, "jwks.json"), JSON.stringify({ keys: [...pairs.map((p) => p.publicJwk), encryptionKey] }, null, 2));
writeFileSync(join(dir, "private-keys.json"), JSON.stringify(Object.fromEntries(pairs.map((p) => [p.privateJwk.kid, p.privateJwk])), null, 2));
