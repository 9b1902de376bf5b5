
/**
 * Verifies the request's token for a route; on failure answers the client
 * (401, 403, or 503 when the issuer's keys cannot be had) and returns false,
 * so the request never reaches the origin.
 * @param {EW.IngressClientRequest} request
 * @param {string} route
 * @param {Issuer} issuer
 * @param {TokenRequirement} required
 * @returns {Promise<boolean>}
 */
async function admitted(request, route, issuer, required) {
  const verdict = await verifyBearerToken(request, issuer, required);
  if (verdict.ok) return true;
//#if log
  logger.log("token refused on %s (issuer %s): %s", route, issuer.name, verdict.reason);
//#endif
  request.respondWith(verdict.status, challengeHeaders(verdict), "", verdict.reason);
  return false;
}
