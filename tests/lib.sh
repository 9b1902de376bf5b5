# Shared by the shell-driven tests: run from the repository root, with the
# pinned Node tools installed and a scratch directory removed on exit.
#   source "$(dirname "$0")/../lib.sh"
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -d tests/js/node_modules/ajv-draft-04 ] || [ ! -d tests/js/node_modules/@grpc/grpc-js ] ||
   [ ! -d tests/js/node_modules/edgeworkers-jest-mocks ] || [ ! -d tests/js/node_modules/@types/akamai-edgeworkers ]; then
  echo "tests/js/node_modules is missing: run scripts/setup --test (it runs npm ci in tests/js)" >&2
  exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
