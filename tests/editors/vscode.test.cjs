// The VS Code extension (editors/vscode), tested without VS Code: its
// manifest points at files that exist; activating it starts the real
// `wardc lsp` (through a stand-in for vscode-languageclient that speaks the
// protocol) and restarts it when `ward.path` changes; its grammar's patterns
// compile, colour a policy as expected, and know every keyword of Ward.g4.
//   node tests/editors/vscode.test.cjs path/to/wardc
"use strict";

const assert = require("assert");
const fs = require("fs");
const path = require("path");
const Module = require("module");
const { spawn } = require("child_process");

const root = path.resolve(__dirname, "../..");
const extensionDir = path.join(root, "editors/vscode");
const wardc = path.resolve(process.argv[2] || path.join(root, "build/wardc"));

// ---- the manifest ---------------------------------------------------------
const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, "package.json"), "utf8"));
assert.ok(fs.existsSync(path.join(extensionDir, manifest.main)), "main exists");
const language = manifest.contributes.languages.find((l) => l.id === "ward");
assert.deepStrictEqual(language.extensions, [".ward"]);
assert.ok(fs.existsSync(path.join(extensionDir, language.configuration)), "language configuration exists");
JSON.parse(fs.readFileSync(path.join(extensionDir, language.configuration), "utf8"));
const grammarEntry = manifest.contributes.grammars.find((g) => g.language === "ward");
const grammar = JSON.parse(fs.readFileSync(path.join(extensionDir, grammarEntry.path), "utf8"));
assert.strictEqual(grammar.scopeName, grammarEntry.scopeName);

// ---- activation, with stand-ins for the editor -----------------------------
function frame(message) {
  const body = Buffer.from(JSON.stringify(message));
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
}

const clients = [];
class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, name, serverOptions, clientOptions, capabilities: null, stopped: false });
    clients.push(this);
  }
  // Starts the server the extension names and performs the handshake.
  start() {
    return new Promise((resolve, reject) => {
      this.process = spawn(this.serverOptions.command, this.serverOptions.args);
      let buffer = Buffer.alloc(0);
      this.process.stdout.on("data", (chunk) => {
        buffer = Buffer.concat([buffer, chunk]);
        const header = buffer.indexOf("\r\n\r\n");
        if (header < 0) return;
        const length = Number(/Content-Length: (\d+)/.exec(buffer.slice(0, header).toString())[1]);
        if (buffer.length < header + 4 + length) return;
        const reply = JSON.parse(buffer.slice(header + 4, header + 4 + length).toString());
        this.capabilities = reply.result.capabilities;
        resolve();
      });
      this.process.on("error", reject);
      this.process.stdin.write(frame({ jsonrpc: "2.0", id: 1, method: "initialize", params: { capabilities: {} } }));
    });
  }
  stop() {
    return new Promise((resolve) => {
      this.stopped = true;
      this.process.on("exit", (code) => {
        this.exitCode = code;
        resolve();
      });
      this.process.stdin.write(frame({ jsonrpc: "2.0", id: 2, method: "shutdown" }));
      this.process.stdin.end(frame({ jsonrpc: "2.0", method: "exit" }));
    });
  }
}

let configuredPath = wardc;
const configurationListeners = [];
const vscode = {
  workspace: {
    getConfiguration: (section) => ({ get: (key) => (section === "ward" && key === "path" ? configuredPath : undefined) }),
    createFileSystemWatcher: (glob) => ({ glob }),
    onDidChangeConfiguration: (listener) => {
      configurationListeners.push(listener);
      return { dispose() {} };
    },
  },
};
const originalLoad = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === "vscode") return vscode;
  if (request === "vscode-languageclient/node") return { LanguageClient, RevealOutputChannelOn: { Never: 4 } };
  return originalLoad.call(this, request, parent, isMain);
};

// ---- the grammar -----------------------------------------------------------
function patternsOf(rule) {
  const out = [];
  for (const key of ["match", "begin", "end"]) if (rule[key]) out.push(rule[key]);
  for (const p of rule.patterns || []) out.push(...patternsOf(p));
  for (const c of Object.values(rule.captures || {})) out.push(...patternsOf(c));
  return out;
}
function regexOf(name) {
  return new RegExp(grammar.repository[name].match || grammar.repository[name].begin, "g");
}

async function main() {
  const extension = require(path.join(extensionDir, manifest.main));
  const subscriptions = [];
  await extension.activate({ subscriptions });
  assert.strictEqual(clients.length, 1);
  assert.deepStrictEqual(clients[0].serverOptions, { command: wardc, args: ["lsp"] });
  assert.strictEqual(clients[0].clientOptions.documentSelector[0].language, "ward");
  assert.ok(clients[0].capabilities.definitionProvider && clients[0].capabilities.documentFormattingProvider);
  assert.strictEqual(clients[0].clientOptions.synchronize.fileEvents.glob, "**/{ward.json,*.ward}");

  // A change of ward.path restarts the server; other settings do not.
  await configurationListeners[0]({ affectsConfiguration: (s) => s === "editor.fontSize" });
  assert.strictEqual(clients.length, 1);
  await configurationListeners[0]({ affectsConfiguration: (s) => s === "ward.path" });
  assert.strictEqual(clients.length, 2);
  assert.ok(clients[0].stopped);
  assert.strictEqual(clients[0].exitCode, 0, "a clean shutdown");
  await extension.deactivate();
  assert.strictEqual(clients[1].exitCode, 0);

  // Every pattern compiles.
  for (const rule of [...grammar.patterns, ...Object.values(grammar.repository)])
    for (const source of patternsOf(rule)) new RegExp(source);

  // A policy is coloured as expected.
  const declaration = regexOf("declarations").exec("edgeworker orders-gateway {");
  assert.deepStrictEqual([declaration[1], declaration[2]], ["edgeworker", "orders-gateway"]);
  assert.ok(regexOf("suppression").test("// ward-ignore W016: pinned by the pipeline"));
  assert.ok(new RegExp(grammar.repository.strings.patterns[0].match).test('"caf\\u{e9}"'));
  assert.deepStrictEqual("backoff = exponential(initial = 100ms, max = 1s) ratio = 10%".match(regexOf("quantities")),
                         ["100ms", "1s", "10%"]);

  // Every keyword of the grammar's lexer is coloured.
  const g4 = fs.readFileSync(path.join(root, "grammar/Ward.g4"), "utf8");
  const keywords = [...g4.matchAll(/^[A-Z_]+\s*:\s*'([a-z_]+)'\s*;/gm)].map((m) => m[1]);
  assert.ok(keywords.length > 30);
  const keywordRe = new RegExp(grammar.repository.keywords.match);
  const declarationRe = new RegExp(grammar.repository.declarations.match);
  const coloured = (word) => {
    const m = keywordRe.exec(word);
    if (m && m[0] === word) return true;
    return [`${word} x`, `issuer ${word} x`, `resource ${word} x`].some((line) => {
      const d = declarationRe.exec(line);
      return d && d[1].split(/\s+/).includes(word);
    });
  };
  for (const word of keywords) assert.ok(coloured(word), `keyword \`${word}\` is coloured`);
  console.log(`ok: manifest, activation against ${path.basename(wardc)} lsp, ${keywords.length} keywords`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
