
// Key sets fetched at the edge, per issuer and per isolate, through a
// hostname the property serves. Every fetch attempt is recorded, successful
// or not: an issuer's key set is requested at most once per this many
// seconds, so neither random `kid`s nor an identity provider that is down or
// rate-limiting can turn requests into a stream of sub-requests.
const KEY_SET_REFETCH_SECONDS = 60;
/**
 * @typedef {{
 *   keys: Jwk[] | undefined,
 *   fetchedAt: number,
 *   attemptedAt: number | undefined,
 *   inFlight: Promise<void> | undefined,
 * }} KeySetState
 * @type {Map<string, KeySetState>}
 */
const keySetStates = new Map();

// Keys beyond this many in one key set are ignored: the set comes from the
// network, and every key costs memory in the isolate.
const MAX_KEYS_PER_ISSUER = 32;

// The smallest RSA modulus accepted, in bytes of base64url-decoded `n`: 2,048
// bits (RFC 7518, section 3.3), the rule the compiler applies to embedded keys.
const MIN_RSA_MODULUS_BYTES = 256;

/**
 * The usable keys of a JSON Web Key Set: signature keys (`use` absent or
 * `sig`, `key_ops` absent or naming `verify`) of a pinned algorithm, RSA keys
 * of 2,048 bits or more.
 * @param {unknown} jwks
 * @param {string[]} algorithms
 * @returns {Jwk[]}
 */
function keysFromJwks(jwks, algorithms) {
  const listed = isRecord(jwks) ? ownValue(jwks, "keys") : undefined;
  if (!Array.isArray(listed)) return [];
  /** @type {Jwk[]} */
  const keys = [];
  for (const entry of listed) {
    if (keys.length === MAX_KEYS_PER_ISSUER) break;
    if (!isRecord(entry)) continue;
    const operations = ownValue(entry, "key_ops");
    if (operations !== undefined && !(Array.isArray(operations) && operations.includes("verify"))) continue;
    /** @type {Jwk} */
    const jwk = { kty: String(ownValue(entry, "kty")) };
    for (const member of ["kid", "alg", "use", "n", "e", "crv", "x", "y"]) {
      const value = ownValue(entry, member);
      if (typeof value === "string") /** @type {Record<string, string>} */ (jwk)[member] = value;
    }
    if (jwk.kty === "RSA" && Math.floor((jwk.n ?? "").length * 6 / 8) < MIN_RSA_MODULUS_BYTES) continue;
    if (keyAlgorithm(jwk, algorithms) !== undefined) keys.push(jwk);
  }
  return keys;
}

/**
 * @param {string} issuerName
 * @returns {KeySetState}
 */
function keySetState(issuerName) {
  let state = keySetStates.get(issuerName);
  if (state === undefined) {
    state = { keys: undefined, fetchedAt: 0, attemptedAt: undefined, inFlight: undefined };
    keySetStates.set(issuerName, state);
  }
  return state;
}

/**
 * One fetch of the issuer's key set; the keys replace the cached ones only
 * when the answer is a usable key set.
 * @param {Issuer} issuer
 * @param {{ url: string, maxAgeSeconds: number }} source
 * @param {KeySetState} state
 * @param {number} now
 * @returns {Promise<void>}
 */
async function fetchKeySet(issuer, source, state, now) {
  try {
    const response = await httpRequest(source.url, { timeout: KEY_SET_FETCH_TIMEOUT_MS });
    if (!response.ok) return;
    state.keys = keysFromJwks(await response.json(), issuer.algorithms);
    state.fetchedAt = now;
  } catch (error) {
    // The cached keys, if any, stay in use until their max age.
  }
}

/**
 * The keys an issuer may sign with: embedded at build time, or fetched from
 * the key-set URL and cached for at most its declared max age. A token that
 * names an unknown key, or keys past their max age, cause a fetch only when
 * none was attempted in the last KEY_SET_REFETCH_SECONDS; requests arriving
 * while a fetch is under way wait for that fetch instead of starting another.
 * @param {Issuer} issuer
 * @param {string | undefined} kid
 * @returns {Promise<Jwk[] | undefined>}
 */
async function resolveKeys(issuer, kid) {
  const source = issuer.keys;
  if (Array.isArray(source)) return source;
  const now = Date.now() / 1000;
  const state = keySetState(issuer.name);
  const fresh = () => state.keys !== undefined && now - state.fetchedAt < source.maxAgeSeconds ? state.keys : undefined;
  const cached = fresh();
  if (cached !== undefined && (kid === undefined || cached.some((jwk) => jwk.kid === kid))) return cached;
  if (state.inFlight === undefined &&
      (state.attemptedAt === undefined || now - state.attemptedAt >= KEY_SET_REFETCH_SECONDS)) {
    state.attemptedAt = now;
    state.inFlight = fetchKeySet(issuer, source, state, now).finally(() => { state.inFlight = undefined; });
  }
  if (state.inFlight !== undefined) await state.inFlight;
  return fresh();
}
