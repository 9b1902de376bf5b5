// Runs generated EdgeWorkers bundles (built into $WARD_BUNDLES by
// tests/edgeworkers/run.sh) with Akamai's edgeworkers-jest-mocks; `crypto`
// and `encoding` map to shims over Node's WebCrypto and encoders.
const mocks = "<rootDir>/node_modules/edgeworkers-jest-mocks/__mocks__";
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/edgeworkers"],
  transformIgnorePatterns: ["/node_modules/(?!edgeworkers-jest-mocks/__mocks__)"],
  moduleNameMapper: {
    "^crypto$": "<rootDir>/edgeworkers/shims/crypto.js",
    "^encoding$": "<rootDir>/edgeworkers/shims/encoding.js",
    "^(create-response|http-request|log|request|streams)$": `${mocks}/$1.js`,
  },
};
