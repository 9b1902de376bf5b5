
/**
 * The same check in responseProvider, which may run in another isolate than
 * onClientRequest: a refusal response, or undefined when the token is good.
 * @param {EW.ResponseProviderRequest} request
 * @param {string} route
 * @param {Issuer} issuer
 * @param {TokenRequirement} required
 * @returns {Promise<object | undefined>}
 */
async function refusal(request, route, issuer, required) {
  const verdict = await verifyBearerToken(request, issuer, required);
  if (verdict.ok) return undefined;
//#if log
  logger.log("token refused on %s (issuer %s): %s", route, issuer.name, verdict.reason);
//#endif
  return createResponse(verdict.status, challengeHeaders(verdict), "", verdict.reason);
}
