// Jest 27 runs CommonJS: generated ES modules and the Akamai mocks are
// transformed for the Node version at hand.
module.exports = { presets: [["@babel/preset-env", { targets: { node: "current" } }]] };
