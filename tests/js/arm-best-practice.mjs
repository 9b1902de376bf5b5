// Applies the Azure Resource Manager template test toolkit's (arm-ttk) rules
// that concern what Ward generates, as arm-ttk words them:
//   - Template Should Not Contain Blanks: no empty object, array or string as
//     a property value, except for the properties arm-ttk lists as allowed;
//   - IDs Should Be Derived From ResourceIDs: every property named `*Id`
//     (arm-ttk's exceptions aside) outside parameters, outputs and metadata is
//     an expression of resourceId(), subscriptionResourceId(), parameters(), ...;
//   - apiVersions Should Be Recent: Ward pins the current stable API version
//     of each resource type it writes (the table below, with its source).
// arm-ttk itself is PowerShell; these are its rules, re-stated for Node.
//   node tests/js/arm-best-practice.mjs TEMPLATE.json...
import { readFileSync } from 'node:fs';

const CAN_BE_EMPTY = new Set(['resources', 'outputs', 'variables', 'parameters', 'functions', 'properties', 'defaultValue',
  'accessPolicies', 'value', 'promotionCode', 'inputs', 'notEquals', 'clientId', 'allowedCallerIpAddresses']);
const ID_EXCEPTIONS = new Set(['appId', 'clientId', 'DataTypeId', 'defaultMenuItemId', 'keyVaultSecretId', 'keyId', 'objectId',
  'menuId', 'policyDefinitionReferenceId', 'servicePrincipalClientId', 'StartingDeviceID', 'subscriptionId',
  'SyntheticMonitorId', 'targetProtectionContainerId', 'targetWorkerSizeId', 'tenantId', 'timezoneId', 'vlanId',
  'workerSizeId']);
const ID_EXPRESSION = /^\s*\[\s*(extensionResourceId|resourceId|subscriptionResourceId|tenantResourceId|if|parameters|reference|variables|subscription|guid)\s*\(\s*/;
// Current stable API versions: Microsoft.Authorization role definitions and
// assignments 2022-04-01 and Recovery Services 2025-08-01 (the vendored
// schemas in tests/schemas/azure), Microsoft.Resources/deployments 2025-04-01
// (the version Azure Verified Modules deploy with).
const API_VERSIONS = {
  'Microsoft.Authorization/roleDefinitions': '2022-04-01',
  'Microsoft.Authorization/roleAssignments': '2022-04-01',
  'Microsoft.Resources/deployments': '2025-04-01',
  'Microsoft.RecoveryServices/vaults/backupPolicies': '2025-08-01',
  'Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems': '2025-08-01',
};

function blanks(text) {
  const problems = [];
  for (const pattern of [/(?<=:)\s*\{\s*\}/g, /(?<=:)\s*\[\s*\]/g, /(?<=:)\s*"\s*"/g, /(?<=:)\s*null/g]) {
    for (const match of text.matchAll(pattern)) {
      const before = text.slice(0, match.index);
      const name = /"([^"]+)"\s*:\s*$/.exec(before)?.[1];
      if (name === undefined || CAN_BE_EMPTY.has(name) || /^\s*\[/.test(name) || /^\s*\/subscriptions\//.test(name)) continue;
      problems.push(`empty property "${name}" on line ${before.split('\n').length}`);
    }
  }
  return problems;
}

function ids(value, path, problems) {
  if (Array.isArray(value)) { value.forEach((v, i) => ids(v, `${path}[${i}]`, problems)); return; }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    const here = `${path}.${key}`;
    if (/id$/i.test(key) && !ID_EXCEPTIONS.has(key) && !/\.(parameters|outputs|metadata)\b/.test(path)) {
      const id = typeof child === 'object' && child !== null && typeof child.value === 'string' ? child.value : child;
      if (typeof id === 'string' && !ID_EXPRESSION.test(id)) problems.push(`${here} is "${id}", not a resourceId() expression`);
    }
    ids(child, here, problems);
  }
}

function apiVersions(resources, problems) {
  for (const r of resources ?? []) {
    const expected = API_VERSIONS[r.type];
    if (expected === undefined) problems.push(`no known current apiVersion for ${r.type}`);
    else if (r.apiVersion !== expected) problems.push(`${r.type} uses apiVersion ${r.apiVersion}, not ${expected}`);
    apiVersions(r.properties?.template?.resources, problems);
  }
}

let failed = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  const template = JSON.parse(text);
  const problems = blanks(text);
  ids(template.resources, 'resources', problems);
  apiVersions(template.resources, problems);
  if (problems.length > 0) {
    failed++;
    console.log(`FAIL ${file}\n  ${problems.join('\n  ')}`);
  } else {
    console.log(`ok   ${file}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
