// Loads gRPC service configs the way gRPC itself does (@grpc/grpc-js's
// validateServiceConfig, which enforces gRFC A6's retryPolicy and
// retryThrottling rules) and reports any it rejects.
//   node validate-grpc.cjs CONFIG...
const { readFileSync } = require('node:fs');
const { validateServiceConfig } = require('@grpc/grpc-js/build/src/service-config');

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node validate-grpc.cjs CONFIG...');
  process.exit(2);
}
let failed = 0;
for (const file of files) {
  try {
    validateServiceConfig(JSON.parse(readFileSync(file, 'utf8')));
    console.log(`valid   ${file}`);
  } catch (e) {
    failed++;
    console.log(`INVALID ${file}: ${e.message}`);
  }
}
console.log(`${files.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
