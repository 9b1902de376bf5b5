#!/usr/bin/env bash
# Builds the EdgeWorkers bundles of every example and of the test policies in
# tests/edgeworkers/policies (with signing keys generated here), then checks
# each bundle: the .tgz unpacks with the system tar to exactly bundle.json and
# main.js, identical to the loose files; main.js parses as an ES module and
# type-checks with tsc + @types/akamai-edgeworkers; a second build is
# byte-identical. Finally runs the Jest suites of tests/js/edgeworkers against
# the bundles (token, routing, retry and hostile-string matrices, and the
# backup relay's edge half and end to end), then the relay's own tests.
#   tests/edgeworkers/run.sh path/to/wardc
wardc=$(realpath "$1")
source "$(dirname "$0")/../lib.sh"

bundles="$out/bundles"
node tests/js/edgeworkers/make-keys.mjs "$bundles/keys"

build() { # build SOURCE DEST: wardc build, quietly unless it fails
  if ! "$wardc" build "$1" -o "$2" 2>"$out/build.log"; then cat "$out/build.log" >&2; exit 1; fi
}
for project in examples/*/; do
  project=${project%/}
  [ "$project" = examples/broken ] && continue
  build "$project" "$bundles/examples/$(basename "$project")"
done
mkdir -p "$out/policies"
for policy in tests/edgeworkers/policies/*.ward; do
  name=$(basename "$policy" .ward)
  mkdir -p "$out/policies/$name"
  cp "$policy" "$bundles/keys/jwks.json" "$out/policies/$name/"
  build "$out/policies/$name" "$bundles/policies/$name"
done

count=0
tsc=tests/js/node_modules/.bin/tsc
for tgz in "$bundles"/*/*/edgeworkers/*.tgz; do
  dir=${tgz%-*.tgz}
  name=$(basename "$dir")
  listing=$(tar -tzf "$tgz" | tr '\n' ' ')
  [ "$listing" = "bundle.json main.js " ] || { echo "$tgz holds: $listing" >&2; exit 1; }
  mkdir -p "$out/unpacked/$name"
  tar -xzf "$tgz" -C "$out/unpacked/$name"
  cmp "$out/unpacked/$name/main.js" "$dir/main.js"
  cmp "$out/unpacked/$name/bundle.json" "$dir/bundle.json"
  node --input-type=module --check < "$dir/main.js"
  node -e 'const b = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
           if (!/^(?!.*?\.{2})[.a-zA-Z0-9_~-]{1,32}$/.test(b["edgeworker-version"])) throw new Error("bad edgeworker-version");' "$dir/bundle.json"
  "$tsc" --noEmit --allowJs --checkJs --strict --target es2020 --module esnext --moduleResolution bundler \
    --lib es2020 --types akamai-edgeworkers --typeRoots tests/js/node_modules/@types "$dir/main.js"
  echo "ok  $(basename "$tgz"): $(stat -c %s "$tgz") bytes packed, $(stat -c %s "$dir/main.js") bytes of main.js"
  count=$((count + 1))
done
[ "$count" -ge 7 ] || { echo "expected at least 7 bundles, found $count" >&2; exit 1; }

# Byte-identical rebuilds, with keys fetched and with keys embedded.
build examples/orders-api "$out/again/orders-api"
diff -r "$bundles/examples/orders-api" "$out/again/orders-api"
build "$out/policies/token-matrix" "$out/again/token-matrix"
diff -r "$bundles/policies/token-matrix" "$out/again/token-matrix"
# The backup relay: its zip is the loose files, and rebuilds are byte-identical.
build examples/edge-backup "$out/again/edge-backup"
diff -r "$bundles/examples/edge-backup" "$out/again/edge-backup"
for relay in "$bundles"/*/*/relays/*.zip; do
  (cd tests/js && node relay/check-zip.cjs "${relay%.zip}")
  # The relay type-checks against the real @azure/functions and Node.js types.
  typed="$out/typed/$(basename "${relay%.zip}")-$(basename "$(dirname "$(dirname "$relay")")")"
  mkdir -p "$typed"
  cp "${relay%.zip}/src/index.js" "$typed/index.js"
  ln -sfn "$PWD/tests/js/node_modules" "$typed/node_modules"
  "$tsc" --noEmit --allowJs --checkJs --strict --target es2022 --module commonjs --moduleResolution node \
    --lib es2022 --types node --typeRoots tests/js/node_modules/@types "$typed/index.js"
done

cd tests/js
WARD_BUNDLES="$bundles" node_modules/.bin/jest --ci --colors=false
# The generated relay under Node with the real @azure/functions package.
WARD_BUNDLES="$bundles" node --test relay/
