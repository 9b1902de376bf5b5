
/**
 * The keys an issuer may sign with: every issuer of this bundle has its key
 * set embedded, so no request waits for a key fetch.
 * @param {Issuer} issuer
 * @param {string | undefined} kid
 * @returns {Promise<Jwk[] | undefined>}
 */
async function resolveKeys(issuer, kid) {
  return Array.isArray(issuer.keys) ? issuer.keys : undefined;
}
