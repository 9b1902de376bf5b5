#!/usr/bin/env bash
# Builds every example (and the retry shapes of tests/retry/shapes.ward) and
# loads each generated gRPC service config with gRPC's own validator; then
# checks the validator rejects a config with maxAttempts 1.
#   tests/retry/validate-grpc.sh path/to/wardc
wardc=$(realpath "$1")
source "$(dirname "$0")/../lib.sh"

configs=()
for project in examples/*/ tests/retry/; do
  project=${project%/}
  [ "$project" = examples/broken ] && continue
  name=$(basename "$project")
  "$wardc" build "$project" -o "$out/$name" 2>/dev/null
  for c in "$out/$name"/retry/*.grpc.json; do [ -f "$c" ] && configs+=("$c"); done
done
[ ${#configs[@]} -ge 6 ] || { echo "expected gRPC configs from the examples and tests/retry" >&2; exit 1; }
node tests/js/validate-grpc.cjs "${configs[@]}"

echo '{"methodConfig":[{"name":[{}],"retryPolicy":{"maxAttempts":1,"initialBackoff":"0.1s","maxBackoff":"1s","backoffMultiplier":2,"retryableStatusCodes":["UNAVAILABLE"]}}]}' > "$out/broken.grpc.json"
if node tests/js/validate-grpc.cjs "$out/broken.grpc.json" >/dev/null; then
  echo "gRPC's validator accepted maxAttempts 1" >&2
  exit 1
fi
echo "negative control rejected as expected"
