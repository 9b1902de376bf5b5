// ---- Bearer tokens ---------------------------------------------------------

/**
 * A verification key as published in a JSON Web Key Set, reduced to the
 * members verification needs.
 * @typedef {{ kty: string, kid?: string, alg?: string, use?: string, n?: string, e?: string, crv?: string, x?: string, y?: string }} Jwk
 */

/**
 * Keys fetched from the issuer at the edge and cached per isolate.
 * @typedef {{ url: string, maxAgeSeconds: number }} RemoteKeySet
 */

/**
 * An issuer as the policy declares it; `keys` are embedded at build time or
 * fetched from `keys.url`.
 * @typedef {{
 *   name: string,
 *   issuer: string,
 *   audiences: string[],
 *   algorithms: string[],
 *   maxLifetimeSeconds: number | null,
 *   clockSkewSeconds: number,
 *   keys: Jwk[] | RemoteKeySet,
 * }} Issuer
 */

/**
 * What a route requires of a token beyond a valid signature and the issuer's
 * settings. `audiences` replaces the issuer's when set; each claim lists the
 * values it accepts.
 * @typedef {{ audiences: string[] | null, scopes: string[], roles: string[], claims: [string, string[]][] }} TokenRequirement
 */

/**
 * The outcome of a verification. A refusal carries the status, the RFC 6750
 * error code (empty when no token was sent) and the reason to log.
 * The claims of an accepted token come with it (the relay binds the handles
 * it issues to the caller they name).
 * @typedef {{ ok: true, claims: Record<string, unknown> } | { ok: false, status: number, error: string, reason: string, scope?: string }} Verdict
 */

/**
 * Where a token comes from: an EdgeWorkers request, or the relay's reader of
 * an Azure Functions request.
 * @typedef {{ getHeader(name: string): string[] | null | undefined }} HeaderSource
 */

/**
 * The WebCrypto parameters of each algorithm an issuer may pin.
 * (`any`: EdgeWorkers and Node.js type WebCrypto's parameters differently,
 * and this table serves both hosts.)
 * @type {Record<string, { key: any, verify: any, kty: string, crv?: string, signatureBytes?: number }>}
 */
const SIGNATURE_ALGORITHMS = {
//#if RS256
  RS256: {
    key: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    verify: { name: "RSASSA-PKCS1-v1_5" },
    kty: "RSA",
  },
//#endif
//#if ES256
  ES256: {
    key: { name: "ECDSA", namedCurve: "P-256" },
    verify: { name: "ECDSA", hash: "SHA-256" },
    kty: "EC",
    crv: "P-256",
    signatureBytes: 64,
  },
//#endif
};

// Longer Authorization headers are refused before any decoding work.
const MAX_TOKEN_CHARACTERS = 8192;
const BASE64URL_SEGMENT = /^[A-Za-z0-9_-]+$/;
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });
const utf8Encoder = new TextEncoder();

/**
 * @param {string} reason
 * @returns {Verdict}
 */
function invalidToken(reason) {
  return { ok: false, status: 401, error: "invalid_token", reason };
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * An own property only: claim names come from the policy and values from the
 * token, so nothing may be read from the prototype chain.
 * @param {Record<string, unknown>} record
 * @param {string} name
 * @returns {unknown}
 */
function ownValue(record, name) {
  return Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
}

/**
 * @param {unknown} value
 * @returns {value is number}
 */
function isNumericDate(value) {
  return typeof value === "number" && Number.isFinite(value);
}

/**
 * @param {string} segment
 * @returns {Uint8Array}
 */
function base64urlBytes(segment) {
  return /** @type {Uint8Array} */ (base64url.decode(segment, "Uint8Array"));
}

/**
 * A JSON object from one base64url token segment, or undefined.
 * @param {string} segment
 * @returns {Record<string, unknown> | undefined}
 */
function decodeJsonSegment(segment) {
  try {
    const value = JSON.parse(utf8Decoder.decode(base64urlBytes(segment)));
    return isRecord(value) ? value : undefined;
  } catch (error) {
    return undefined;
  }
}

/**
 * WebCrypto takes ArrayBuffers; this copies a view into one of its own.
 * @param {Uint8Array} bytes
 * @returns {ArrayBuffer}
 */
function arrayBufferOf(bytes) {
  const buffer = new ArrayBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  return buffer;
}

/**
 * The algorithm a key may verify under the issuer's pinned algorithms, or
 * undefined when the key is not usable for signatures the issuer accepts.
 * @param {Jwk} jwk
 * @param {string[]} algorithms
 * @returns {string | undefined}
 */
function keyAlgorithm(jwk, algorithms) {
  if (jwk.use !== undefined && jwk.use !== "sig") return undefined;
  return algorithms.find((alg) => {
    const spec = SIGNATURE_ALGORITHMS[alg];
    return spec !== undefined && jwk.kty === spec.kty && (jwk.alg === undefined || jwk.alg === alg) &&
      (spec.crv === undefined || jwk.crv === spec.crv);
  });
}

/** @typedef {Awaited<ReturnType<typeof crypto.subtle.importKey>>} CryptoKey */

/** @type {WeakMap<Jwk, Promise<CryptoKey>>} */
const importedKeys = new WeakMap();

/**
 * The WebCrypto key for a JWK, imported once per isolate.
 * @param {Jwk} jwk
 * @param {string} alg
 * @returns {Promise<CryptoKey>}
 */
function cryptoKeyFor(jwk, alg) {
  let key = importedKeys.get(jwk);
  if (key === undefined) {
    const { kty, n, e, crv, x, y } = jwk;
    const material = kty === "RSA" ? { kty, n, e } : { kty, crv, x, y };
    key = crypto.subtle.importKey("jwk", material, SIGNATURE_ALGORITHMS[alg].key, false, ["verify"]);
    importedKeys.set(jwk, key);
  }
  return key;
}

/**
 * The token values of a claim that holds a space-separated string or an array.
 * @param {Record<string, unknown>} claims
 * @param {string} name
 * @returns {string[]}
 */
function claimValues(claims, name) {
  const value = ownValue(claims, name);
  if (typeof value === "string") return value.split(" ").filter((item) => item !== "");
  if (Array.isArray(value)) return value.filter((item) => typeof item === "string");
  return [];
}

/**
 * Checks the `Authorization: Bearer` token of a request: signature with a key
 * of the issuer under its pinned algorithm, then `iss`, `aud`, `exp`, `nbf`,
 * `iat` with the clock skew, the lifetime cap, and the route's scopes, roles
 * and claims. Every check is on; a missing required claim fails.
 * @param {HeaderSource} request
 * @param {Issuer} issuer
 * @param {TokenRequirement} required
 * @returns {Promise<Verdict>}
 */
async function verifyBearerToken(request, issuer, required) {
  const authorization = request.getHeader("authorization");
  if (!authorization || authorization.length === 0) return { ok: false, status: 401, error: "", reason: "no bearer token" };
  if (authorization.length > 1) {
    return { ok: false, status: 400, error: "invalid_request", reason: "more than one Authorization header" };
  }
  if (authorization[0].length > MAX_TOKEN_CHARACTERS) return invalidToken("token too large");
  const match = /^Bearer +([^ ]+) *$/i.exec(authorization[0]);
  if (!match) return { ok: false, status: 401, error: "", reason: "no bearer token" };

  const segments = match[1].split(".");
  if (segments.length !== 3) return invalidToken("not a signed JWT");
  if (!segments.every((segment) => BASE64URL_SEGMENT.test(segment))) return invalidToken("malformed token encoding");
  const header = decodeJsonSegment(segments[0]);
  if (header === undefined) return invalidToken("unreadable token header");
  const alg = ownValue(header, "alg");
  if (typeof alg !== "string" || !issuer.algorithms.includes(alg) ||
    !Object.prototype.hasOwnProperty.call(SIGNATURE_ALGORITHMS, alg)) {
    return invalidToken("signature algorithm not accepted");
  }
  if (ownValue(header, "crit") !== undefined) return invalidToken("unsupported critical header");
  const kid = ownValue(header, "kid");
  if (kid !== undefined && typeof kid !== "string") return invalidToken("malformed key id");

  const keys = await resolveKeys(issuer, kid);
  if (keys === undefined) return { ok: false, status: 503, error: "", reason: "issuer keys unavailable" };
  const candidates = keys.filter((jwk) => keyAlgorithm(jwk, [alg]) === alg);
  const jwk = kid === undefined ? (candidates.length === 1 ? candidates[0] : undefined) : candidates.find((k) => k.kid === kid);
  if (jwk === undefined) return invalidToken("unknown signing key");

  let signature;
  try {
    signature = base64urlBytes(segments[2]);
  } catch (error) {
    return invalidToken("malformed token encoding");
  }
  const expectedBytes = SIGNATURE_ALGORITHMS[alg].signatureBytes;
  if (expectedBytes !== undefined && signature.length !== expectedBytes) return invalidToken("bad signature");
  const signed = utf8Encoder.encode(segments[0] + "." + segments[1]);
  const valid = await crypto.subtle.verify(
    SIGNATURE_ALGORITHMS[alg].verify, await cryptoKeyFor(jwk, alg), arrayBufferOf(signature), arrayBufferOf(signed));
  if (!valid) return invalidToken("bad signature");

  const claims = decodeJsonSegment(segments[1]);
  if (claims === undefined) return invalidToken("unreadable token claims");
  if (ownValue(claims, "iss") !== issuer.issuer) return invalidToken("wrong issuer");
  const audiences = required.audiences ?? issuer.audiences;
  const aud = ownValue(claims, "aud");
  const tokenAudiences = typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud : [];
  if (!tokenAudiences.some((value) => typeof value === "string" && audiences.includes(value))) {
    return invalidToken("wrong audience");
  }
  const now = Math.floor(Date.now() / 1000);
  const skew = issuer.clockSkewSeconds;
  const exp = ownValue(claims, "exp");
  const nbf = ownValue(claims, "nbf");
  const iat = ownValue(claims, "iat");
  if (!isNumericDate(exp)) return invalidToken("no expiry");
  if (!isNumericDate(iat)) return invalidToken("no issue time");
  if (nbf !== undefined && !isNumericDate(nbf)) return invalidToken("malformed not-before time");
  if (now >= exp + skew) return invalidToken("token expired");
  if (nbf !== undefined && now + skew < nbf) return invalidToken("token not yet valid");
  if (iat > now + skew) return invalidToken("token issued in the future");
  if (issuer.maxLifetimeSeconds !== null && exp - iat > issuer.maxLifetimeSeconds) {
    return invalidToken("token lifetime over the cap");
  }

  const granted = claimValues(claims, "scp").concat(claimValues(claims, "scope"));
  const missingScopes = required.scopes.filter((scope) => !granted.includes(scope));
  if (missingScopes.length > 0) {
    return { ok: false, status: 403, error: "insufficient_scope", reason: "missing scope", scope: required.scopes.join(" ") };
  }
  const roles = claimValues(claims, "roles");
  if (!required.roles.every((role) => roles.includes(role))) {
    return { ok: false, status: 403, error: "insufficient_scope", reason: "missing role" };
  }
  for (const [name, accepted] of required.claims) {
    const value = ownValue(claims, name);
    const values = Array.isArray(value) ? value : [value];
    if (!values.some((item) => typeof item === "string" && accepted.includes(item))) {
      return { ok: false, status: 403, error: "insufficient_scope", reason: "required claim not satisfied" };
    }
  }
  return { ok: true, claims };
}

/**
 * The response headers of a refusal (RFC 6750, section 3).
 * @param {Verdict & { ok: false }} verdict
 * @returns {Record<string, string[]>}
 */
function challengeHeaders(verdict) {
  if (verdict.status === 503) return { "retry-after": ["5"] };
  let challenge = "Bearer";
  if (verdict.error !== "") challenge += ` error="${verdict.error}", error_description="${verdict.reason}"`;
  if (verdict.scope !== undefined) challenge += `, scope="${verdict.scope}"`;
  return { "www-authenticate": [challenge] };
}
