#!/usr/bin/env bash
# Builds every example project (and tests/azure/variants) and validates each generated ARM template
# against the vendored Azure schemas; then checks that the validator rejects
# a deliberately broken template, so a validator that accepts everything
# cannot pass this test.
#   tests/azure/validate-examples.sh path/to/wardc
wardc=$(realpath "$1")
source "$(dirname "$0")/../lib.sh"

templates=()
for project in examples/*/; do
  project=${project%/}
  [ "$project" = examples/broken ] && continue
  name=$(basename "$project")
  "$wardc" build "$project" -o "$out/$name" 2>/dev/null
  for t in "$out/$name"/azure/*.json; do [ -f "$t" ] && templates+=("$t"); done
done
"$wardc" build tests/azure/variants -o "$out/variants" 2>/dev/null
for t in "$out/variants"/azure/*.json; do templates+=("$t"); done
[ ${#templates[@]} -ge 6 ] || { echo "expected ARM templates from every example and the variants" >&2; exit 1; }
node tests/js/validate-arm.mjs "${templates[@]}"

# Negative control: an invalid principalType must be rejected.
sed 's/"principalType": "ServicePrincipal"/"principalType": "Robot"/' "${templates[0]}" > "$out/broken.json"
if grep -q Robot "$out/broken.json" && node tests/js/validate-arm.mjs "$out/broken.json" >/dev/null; then
  echo "the validator accepted a template with principalType Robot" >&2
  exit 1
fi
echo "negative control rejected as expected"

# Azure's template test toolkit rules (no blanks, ids from resourceId(),
# current apiVersions), with a negative control for each.
node tests/js/arm-best-practice.mjs "${templates[@]}"
for broken in 's/"principalId": "\[parameters(\([^)]*\))\]"/"principalId": "3f2b8c1e-5d4a-4e7b-9c6d-1a2b3c4d5e6f"/' \
              's/"apiVersion": "2022-04-01"/"apiVersion": "2019-04-01-preview"/' \
              's/"mode": "Incremental"/"mode": "Incremental", "debugSetting": {}/'; do
  for t in "${templates[@]}"; do
    grep -q '"roleAssignments"\|Microsoft.Authorization/roleAssignments' "$t" || continue
    sed "$broken" "$t" > "$out/ttk-broken.json"
    cmp -s "$t" "$out/ttk-broken.json" && continue
    if node tests/js/arm-best-practice.mjs "$out/ttk-broken.json" >/dev/null; then
      echo "the arm-ttk rules accepted a template changed by: $broken" >&2
      exit 1
    fi
    echo "arm-ttk negative control rejected as expected: $broken"
    break
  done
done
