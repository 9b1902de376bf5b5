// The EdgeWorkers `encoding` module over Node's implementations (the Akamai
// mock's encoders are stubs). Same names and output formats as the runtime.
const util = require("node:util");

function codec(encoding) {
  return {
    decode(text, format = "String") {
      const bytes = Buffer.from(text, encoding);
      return format === "Uint8Array" ? new Uint8Array(bytes) : bytes.toString("latin1");
    },
    encode(bytes) {
      return Buffer.from(bytes).toString(encoding);
    },
  };
}

module.exports = {
  TextEncoder: util.TextEncoder,
  TextDecoder: util.TextDecoder,
  base64: codec("base64"),
  base64url: codec("base64url"),
  base16: codec("hex"),
  atob: (text) => Buffer.from(text, "base64").toString("latin1"),
  btoa: (text) => Buffer.from(text, "latin1").toString("base64"),
};
