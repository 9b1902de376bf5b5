// The VS Code extension (editors/vscode), tested without VS Code: its
// manifest points at files that exist; activating it starts the real
// `wardc lsp` (through a stand-in for vscode-languageclient that speaks the
// protocol) and restarts it when `ward.path` changes; a code lens's command
// opens the generated text it names; its grammar's patterns
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
// The client stand-in speaks to the real server through vscode-jsonrpc (the
// library vscode-languageclient is built on), pinned in tests/js.
const rpc = require(path.join(root, "tests/js/node_modules/vscode-jsonrpc/node"));

const clients = [];
class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, name, serverOptions, clientOptions, capabilities: null, stopped: false });
    clients.push(this);
  }
  // Starts the server the extension names and performs the handshake.
  async start() {
    this.process = spawn(this.serverOptions.command, this.serverOptions.args);
    this.exited = new Promise((resolve) => this.process.on("exit", resolve));
    this.connection = rpc.createMessageConnection(new rpc.StreamMessageReader(this.process.stdout),
                                                  new rpc.StreamMessageWriter(this.process.stdin));
    this.connection.listen();
    const result = await this.connection.sendRequest("initialize", { processId: process.pid, rootUri: null, capabilities: {} });
    this.capabilities = result.capabilities;
    this.connection.sendNotification("initialized", {});
  }
  sendRequest(method, params) { return this.connection.sendRequest(method, params); }
  sendNotification(method, params) { return this.connection.sendNotification(method, params); }
  async stop() {
    this.stopped = true;
    await this.connection.sendRequest("shutdown");
    await this.connection.sendNotification("exit");
    this.exitCode = await this.exited;
    this.connection.dispose();
  }
}

let configuredPath = wardc;
const configurationListeners = [];
const commands = {};
const opened = []; // documents the extension opened, and how they were shown
const vscode = {
  ViewColumn: { Beside: -2 },
  commands: {
    registerCommand: (name, handler) => {
      commands[name] = handler;
      return { dispose() { delete commands[name]; } };
    },
  },
  window: {
    showTextDocument: async (document, options) => opened.push({ document, options }),
  },
  workspace: {
    openTextDocument: async (content) => content,
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
  assert.ok(commands["ward.showGenerated"], "the code lens command is registered");
  assert.strictEqual(clients.length, 1);
  assert.deepStrictEqual(clients[0].serverOptions, { command: wardc, args: ["lsp"] });
  assert.strictEqual(clients[0].clientOptions.documentSelector[0].language, "ward");
  assert.ok(clients[0].capabilities.definitionProvider && clients[0].capabilities.documentFormattingProvider);
  assert.strictEqual(clients[0].clientOptions.synchronize.fileEvents.glob, "**/{ward.json,*.ward}");

  // A code lens's command opens the artifact it names: the bundle's lens opens main.js.
  const policy = path.join(root, "examples/orders-api/orders.ward");
  const uri = `file://${policy}`;
  await clients[0].sendNotification("textDocument/didOpen", {
    textDocument: { uri, languageId: "ward", version: 1, text: fs.readFileSync(policy, "utf8") },
  });
  const lenses = await clients[0].sendRequest("textDocument/codeLens", { textDocument: { uri } });
  const bundle = lenses.find((l) => /^bundle orders-gateway-1\.4\.2\.tgz: [\d.]+ KB of 512 KB$/.test(l.command.title));
  assert.ok(bundle, `a bundle lens among ${lenses.map((l) => l.command.title)}`);
  assert.strictEqual(bundle.command.command, "ward.showGenerated");
  await commands[bundle.command.command](...bundle.command.arguments);
  assert.strictEqual(opened.length, 1);
  assert.strictEqual(opened[0].document.language, "javascript");
  assert.match(opened[0].document.content, /^\/\/ EdgeWorker "orders-gateway" \(4242\), version "1\.4\.2"\./);
  assert.strictEqual(opened[0].options.viewColumn, vscode.ViewColumn.Beside);

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
  console.log(`ok: manifest, activation against ${path.basename(wardc)} lsp, a code lens opened, ${keywords.length} keywords`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
