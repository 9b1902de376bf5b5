// Validates JSON documents against a JSON Schema (draft-04 or later).
//   node validate-json.mjs SCHEMA FILE...
// Prints one line per file and exits non-zero if any file is invalid.
import { readFileSync } from 'node:fs';
import Ajv04 from 'ajv-draft-04';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';

const [schemaPath, ...files] = process.argv.slice(2);
if (!schemaPath || files.length === 0) {
  console.error('usage: node validate-json.mjs SCHEMA FILE...');
  process.exit(2);
}
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
const draft04 = String(schema.$schema || '').includes('draft-04');
const ajv = draft04 ? new Ajv04({ allErrors: true, strict: false }) : new Ajv2019({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

let failed = 0;
for (const file of files) {
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(`INVALID ${file}: not JSON: ${e.message}`);
    failed++;
    continue;
  }
  if (validate(doc)) {
    console.log(`valid   ${file}`);
  } else {
    failed++;
    console.log(`INVALID ${file}`);
    for (const err of validate.errors.slice(0, 10)) console.log(`  ${err.instancePath || '/'} ${err.message}`);
  }
}
console.log(`${files.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
