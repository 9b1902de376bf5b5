
// Key sets fetched at the edge, per issuer and per isolate. A token naming an
// unknown key triggers a refetch at most this often, so random `kid`s cannot
// turn every request into a sub-request.
const KEY_SET_REFETCH_SECONDS = 60;
/** @type {Map<string, { keys: Jwk[], fetchedAt: number }>} */
const fetchedKeySets = new Map();

// Keys beyond this many in one key set are ignored: the set comes from the
// network, and every key costs memory in the isolate.
const MAX_KEYS_PER_ISSUER = 32;

/**
 * The usable keys of a JSON Web Key Set.
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
    /** @type {Jwk} */
    const jwk = { kty: String(ownValue(entry, "kty")) };
    for (const member of ["kid", "alg", "use", "n", "e", "crv", "x", "y"]) {
      const value = ownValue(entry, member);
      if (typeof value === "string") /** @type {Record<string, string>} */ (jwk)[member] = value;
    }
    if (keyAlgorithm(jwk, algorithms) !== undefined) keys.push(jwk);
  }
  return keys;
}

/**
 * The keys an issuer may sign with: embedded at build time, or fetched from
 * the issuer's key-set URL and cached for at most its declared max age. When
 * a refetch fails, keys still within their max age are used.
 * @param {Issuer} issuer
 * @param {string | undefined} kid
 * @returns {Promise<Jwk[] | undefined>}
 */
async function resolveKeys(issuer, kid) {
  const source = issuer.keys;
  if (Array.isArray(source)) return source;
  const now = Date.now() / 1000;
  const cached = fetchedKeySets.get(issuer.name);
  const fresh = cached !== undefined && now - cached.fetchedAt < source.maxAgeSeconds;
  if (cached !== undefined && fresh) {
    const known = kid === undefined || cached.keys.some((jwk) => jwk.kid === kid);
    if (known || now - cached.fetchedAt < KEY_SET_REFETCH_SECONDS) return cached.keys;
  }
  try {
    const response = await httpRequest(source.url, { timeout: KEY_SET_FETCH_TIMEOUT_MS });
    if (!response.ok) throw new Error(`key set answered ${response.status}`);
    const keys = keysFromJwks(await response.json(), issuer.algorithms);
    fetchedKeySets.set(issuer.name, { keys, fetchedAt: now });
    return keys;
  } catch (error) {
    return fresh && cached !== undefined ? cached.keys : undefined;
  }
}
