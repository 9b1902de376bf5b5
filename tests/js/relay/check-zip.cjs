// Checks a generated relay's zip: it holds exactly host.json,
// package-lock.json, package.json and src/index.js, each byte for byte the
// loose file beside it; host.json is a Functions 2.0+ host file;
// package.json pins @azure/functions to the exact release the relay tests
// ran with and names src/index.js as main; the lock holds that package's
// whole tree with the versions and hashes of tests/js/package-lock.json.
//   node check-zip.cjs RELAY_DIR   (RELAY_DIR.zip beside it)
const fs = require("node:fs");
const path = require("node:path");
const yauzl = require("yauzl");

const dir = process.argv[2];
const expected = ["host.json", "package-lock.json", "package.json", "src/index.js"];

yauzl.open(`${dir}.zip`, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true }, (error, zip) => {
  if (error) throw error;
  const seen = [];
  zip.on("entry", (entry) => {
    seen.push(entry.fileName);
    zip.openReadStream(entry, (err, stream) => {
      if (err) throw err;
      const chunks = [];
      stream.on("data", (c) => chunks.push(c));
      stream.on("end", () => {
        const loose = fs.readFileSync(path.join(dir, entry.fileName));
        if (!Buffer.concat(chunks).equals(loose)) throw new Error(`${entry.fileName} differs from the loose file`);
        zip.readEntry();
      });
    });
  });
  zip.on("end", () => {
    if (JSON.stringify(seen) !== JSON.stringify(expected)) throw new Error(`the zip holds ${seen.join(", ")}`);
    const host = JSON.parse(fs.readFileSync(path.join(dir, "host.json"), "utf8"));
    if (host.version !== "2.0") throw new Error("host.json is not a version 2.0 host file");
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    const tested = require("@azure/functions/package.json").version;
    if (pkg.dependencies["@azure/functions"] !== tested) {
      throw new Error(`the relay pins @azure/functions ${pkg.dependencies["@azure/functions"]}, the tests ran ${tested}`);
    }
    if (pkg.main !== "src/index.js" || Object.keys(pkg.dependencies).length !== 1) throw new Error("unexpected package.json");
    // The lock pins the tree the relay tests ran with, hash for hash.
    const lock = JSON.parse(fs.readFileSync(path.join(dir, "package-lock.json"), "utf8"));
    const ours = require("../package-lock.json").packages;
    const locked = Object.keys(lock.packages).filter((k) => k !== "");
    for (const key of locked) {
      for (const field of ["version", "integrity", "dependencies"]) {
        if (JSON.stringify(lock.packages[key][field]) !== JSON.stringify(ours[key]?.[field])) {
          throw new Error(`${key} ${field} in the relay's lock differs from the tested one`);
        }
      }
    }
    const needed = new Set(["node_modules/@azure/functions"]);
    for (const key of needed) for (const dep of Object.keys(ours[key].dependencies ?? {})) needed.add(`node_modules/${dep}`);
    if ([...needed].sort().join() !== locked.sort().join()) throw new Error(`the lock holds ${locked}, the tree is ${[...needed]}`);
    console.log(`ok  ${path.basename(dir)}.zip: ${fs.statSync(`${dir}.zip`).size} bytes, ${seen.length} files, @azure/functions ${tested}`);
  });
  zip.readEntry();
});
