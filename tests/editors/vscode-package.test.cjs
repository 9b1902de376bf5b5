// The VS Code extension packaged as a .vsix (scripts/package-vscode, with
// the pinned @vscode/vsce): the archive holds the manifest VS Code reads,
// the extension's own files unchanged, and the language client it requires
// at the version its lock file pins, and nothing from the repository beside.
//   node tests/editors/vscode-package.test.cjs
"use strict";

const assert = require("assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { execFileSync } = require("child_process");

const root = path.resolve(__dirname, "../..");
const yauzl = require(path.join(root, "tests/js/node_modules/yauzl"));
const extensionDir = path.join(root, "editors/vscode");

function readZip(file) {
  return new Promise((resolve, reject) => {
    const entries = new Map();
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      zip.on("entry", (entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err) return reject(err);
          const chunks = [];
          stream.on("data", (c) => chunks.push(c));
          stream.on("end", () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(entries));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "ward-vsix-"));
  try {
    const vsix = path.join(work, "ward.vsix");
    execFileSync(path.join(root, "scripts/package-vscode"), [vsix], { stdio: ["ignore", "pipe", "pipe"] });
    const entries = await readZip(vsix);
    const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, "package.json"), "utf8"));

    // What VS Code reads first: the package manifest, naming the extension and its version.
    const vsixManifest = entries.get("extension.vsixmanifest").toString();
    assert.match(vsixManifest, new RegExp(`<Identity [^>]*Id="${manifest.name}"[^>]*Version="${manifest.version}"`));
    assert.match(vsixManifest, /<Identity [^>]*Publisher="ward"/);
    assert.ok(entries.has("[Content_Types].xml"));

    // The extension's own files, byte for byte.
    for (const file of ["package.json", "extension.js", "language-configuration.json", "syntaxes/ward.tmLanguage.json"])
      assert.ok(entries.get(`extension/${file}`).equals(fs.readFileSync(path.join(extensionDir, file))), file);

    // The language client extension.js requires, at the pinned version, with its own dependencies.
    const lock = JSON.parse(fs.readFileSync(path.join(extensionDir, "package-lock.json"), "utf8"));
    for (const [key, pinned] of Object.entries(lock.packages)) {
      if (!key.startsWith("node_modules/") || pinned.dev) continue;
      const shipped = entries.get(`extension/${key}/package.json`);
      assert.ok(shipped, `${key} is in the .vsix`);
      assert.strictEqual(JSON.parse(shipped).version, pinned.version, key);
    }
    assert.ok(entries.has("extension/node_modules/vscode-languageclient/lib/node/main.js"));

    // Nothing else of the repository.
    const own = [...entries.keys()].filter((e) => e.startsWith("extension/") && !e.startsWith("extension/node_modules/"));
    assert.deepStrictEqual(own.sort(), ["extension/extension.js", "extension/language-configuration.json",
                                        "extension/package.json", "extension/readme.md",
                                        "extension/syntaxes/ward.tmLanguage.json"]);
    console.log(`ok: ${path.basename(vsix)} (${fs.statSync(vsix).size} bytes, ${entries.size} entries)`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
