// Validates ARM templates offline against the vendored schemas in
// tests/schemas/azure (JSON Schema draft-04, with ids mapped to the files).
//   node validate-arm.mjs TEMPLATE...
// deploymentTemplate.json pulls in every resource provider through
// definitions.resource; the providers are not vendored, so that definition is
// narrowed to the resource definitions Ward emits. The one resource type
// without a vendored schema, the nested deployment that holds role
// assignments in other resource groups, is described by Ward's own small
// schema below, and the template it carries is validated against the full
// (narrowed) deployment-template schema again.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const schemaRoot = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas', 'azure');
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node validate-arm.mjs TEMPLATE...');
  process.exit(2);
}

const ajv = new Ajv04({ allErrors: true, strict: false, validateSchema: false });
addFormats(ajv);

const DEPLOYMENT = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const AUTH = 'https://schema.management.azure.com/schemas/2022-04-01/Microsoft.Authorization.json#';
const BACKUP = 'https://schema.management.azure.com/schemas/2025-08-01/Microsoft.RecoveryServices.Backup.json#';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : name.endsWith('.json') ? [path] : [];
  });
}

for (const path of walk(schemaRoot)) {
  const schema = JSON.parse(readFileSync(path, 'utf8'));
  if (!schema.id) continue;
  if (schema.id === DEPLOYMENT) {
    schema.definitions.resource = {
      allOf: [
        { $ref: '#/definitions/resourceBase' },
        {
          oneOf: [
            { $ref: `${AUTH}/resourceDefinitions/roleDefinitions` },
            { $ref: `${AUTH}/resourceDefinitions/roleAssignments` },
            { $ref: `${BACKUP}/resourceDefinitions/vaults_backupPolicies` },
            { $ref: `${BACKUP}/resourceDefinitions/vaults_backupFabrics_protectionContainers_protectedItems` },
            {
              description: 'Ward: a nested deployment into another resource group (Microsoft.Resources/deployments)',
              type: 'object',
              required: ['type', 'apiVersion', 'name', 'resourceGroup', 'properties'],
              properties: {
                type: { enum: ['Microsoft.Resources/deployments'] },
                apiVersion: { type: 'string' },
                resourceGroup: { type: 'string' },
                properties: {
                  type: 'object',
                  required: ['mode', 'template'],
                  properties: {
                    mode: { enum: ['Incremental', 'Complete'] },
                    expressionEvaluationOptions: { type: 'object', properties: { scope: { enum: ['inner', 'outer'] } } },
                    parameters: { type: 'object' },
                    template: { $ref: DEPLOYMENT },
                  },
                },
              },
            },
          ],
        },
      ],
    };
  }
  ajv.addSchema(schema, schema.id.replace(/#$/, ''));
}

const validate = ajv.getSchema(DEPLOYMENT.replace(/#$/, ''));
let failed = 0;
for (const file of files) {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  if (validate(doc)) {
    console.log(`valid   ${file}`);
  } else {
    failed++;
    console.log(`INVALID ${file}`);
    for (const err of validate.errors.slice(0, 12)) console.log(`  ${err.instancePath || '/'} ${err.message} (${err.schemaPath})`);
  }
}
console.log(`${files.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
