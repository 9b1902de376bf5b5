// ---- Routing ---------------------------------------------------------------

/**
 * A route's path pattern, split at `/`: literal segments, `null` for a
 * `{param}` segment, and `tail` when the pattern ends in `/*`.
 * @typedef {{ segments: (string | null)[], tail: boolean }} PathPattern
 */

/**
 * A route: the methods it answers (empty: any) and its path pattern; the
 * handler for each event the route takes part in.
 * @typedef {{
 *   label: string,
 *   methods: string[],
 *   path: PathPattern,
 *   onClientRequest: (request: EW.IngressClientRequest) => Promise<void> | void,
//#if provider
 *   responseProvider?: (request: EW.ResponseProviderRequest) => Promise<object>,
//#endif
 * }} Route
 */

/**
 * `{param}` matches one non-empty segment. A trailing `*` matches everything
 * below the slash before it but not the bare prefix: `/a/*` matches `/a/` and
 * `/a/b/c`, not `/a`. Paths are compared as received, without decoding.
 * @param {PathPattern} pattern
 * @param {string} path
 * @returns {boolean}
 */
function pathMatches(pattern, path) {
  const parts = path.split("/").slice(1);
  const fixed = pattern.segments;
  if (pattern.tail ? parts.length <= fixed.length : parts.length !== fixed.length) return false;
  for (let i = 0; i < fixed.length; i++) {
    const literal = fixed[i];
    if (literal === null ? parts[i] === "" : parts[i] !== literal) return false;
  }
  return true;
}

/**
 * The first route whose method and path match, as the policy orders them.
 * @param {{ method: string, path: string }} request
 * @returns {Route | undefined}
 */
function findRoute(request) {
  return ROUTES.find(
    (route) => (route.methods.length === 0 || route.methods.includes(request.method)) && pathMatches(route.path, request.path),
  );
}
//#if redirect-params

/**
 * A segment of the request path for a redirect location: as received, with
 * every character that may not appear in a URL path segment (RFC 3986
 * `pchar`) percent-encoded, and a `%` that starts no escape written `%25`.
 * So the location is a valid URL whatever the client sent, and no line break
 * or quote can reach the Location header.
 * @param {string | undefined} segment
 * @returns {string}
 */
function pathSegment(segment) {
  return (segment ?? "").replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@%]/gu,
    (c) => (c === "%" ? "%25" : encodeURIComponent(c)));
}
//#endif
