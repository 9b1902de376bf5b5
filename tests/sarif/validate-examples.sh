#!/usr/bin/env bash
# Runs `wardc check --format sarif` on every example project, every broken
# example and a policy full of findings (some suppressed), and validates each
# output against the vendored SARIF 2.1.0 schema with ajv.
#   tests/sarif/validate-examples.sh path/to/wardc
wardc=$(realpath "$1")
source "$(dirname "$0")/../lib.sh"

n=0
run() { # name, inputs...
  local name=$1; shift
  set +e
  "$wardc" check --format sarif "$@" > "$out/$name.sarif"
  local code=$?
  set -e
  if [ "$code" -ge 2 ]; then echo "wardc exited $code on $*" >&2; exit 1; fi
  n=$((n + 1))
}
for project in examples/*/; do
  project=${project%/}
  [ "$project" = examples/broken ] && continue
  run "example-$(basename "$project")" "$project"
done
for file in examples/broken/*.ward; do run "broken-$(basename "$file" .ward)" "$file"; done
run findings tests/sarif/findings.ward
node tests/js/validate-json.mjs tests/schemas/sarif-schema-2.1.0.json "$out"/*.sarif
