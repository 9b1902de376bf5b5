// Checks a generated relay's zip: it holds exactly host.json, package.json
// and src/index.js, each byte for byte the loose file beside it; host.json
// is a Functions 2.0+ host file; package.json pins @azure/functions to the
// exact release the relay tests ran with and names src/index.js as main.
//   node check-zip.cjs RELAY_DIR   (RELAY_DIR.zip beside it)
const fs = require("node:fs");
const path = require("node:path");
const yauzl = require("yauzl");

const dir = process.argv[2];
const expected = ["host.json", "package.json", "src/index.js"];

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
    console.log(`ok  ${path.basename(dir)}.zip: ${fs.statSync(`${dir}.zip`).size} bytes, ${seen.length} files, @azure/functions ${tested}`);
  });
  zip.readEntry();
});
