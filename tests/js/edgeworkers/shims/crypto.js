// The EdgeWorkers `crypto` module backed by Node's WebCrypto, so that bundles
// verify real signatures in the tests: the Akamai mock's `crypto` functions
// are bare jest.fn() mocks that check nothing.
const { webcrypto } = require("node:crypto");

function pem2ab(pem) {
  const base64 = pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, "");
  const bytes = Buffer.from(base64, "base64");
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

module.exports = { crypto: webcrypto, pem2ab };
