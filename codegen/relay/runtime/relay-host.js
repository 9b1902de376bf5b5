// ---- The Node.js host of the token runtime ----------------------------------
// The verification code below is the EdgeWorkers bundle's own, word for word;
// these are the few EdgeWorkers modules it uses, made of Node's.

const crypto = globalThis.crypto;
const base64url = {
  /**
   * @param {string} text
   * @param {"Uint8Array"} [_format] what EdgeWorkers' decode is asked for; always bytes here
   * @returns {Uint8Array}
   */
  decode(text, _format) {
    return new Uint8Array(Buffer.from(text, "base64url"));
  },
};

/**
 * EdgeWorkers' httpRequest over fetch: a GET with a timeout, answering
 * `ok` and `json()`.
 * @param {string} url
 * @param {{ timeout: number }} options
 */
async function httpRequest(url, options) {
  const response = await fetch(url, { signal: AbortSignal.timeout(options.timeout), redirect: "error" });
  return { ok: response.ok, status: response.status, json: () => response.json() };
}

/**
 * The request's headers as EdgeWorkers hands them to the verification code.
 * @param {import("@azure/functions").HttpRequest} request
 */
function headerReader(request) {
  return {
    /** @param {string} name */
    getHeader(name) {
      const value = request.headers.get(name);
      return value === null ? null : [value];
    },
  };
}
