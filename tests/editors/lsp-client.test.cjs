// wardc lsp driven by a real LSP client over real stdio: the connection and
// typed requests of vscode-languageserver-protocol (what VS Code's client is
// built on), pinned in tests/js. A copy of examples/orders-api is the
// workspace; edits are incremental, some after non-ASCII text, and each
// answer is checked for meaning: diagnostics against `wardc check` on the
// same text, positions in UTF-16 units, edits applied and re-checked.
//   node tests/editors/lsp-client.test.cjs path/to/wardc
"use strict";

const assert = require("assert");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawn, spawnSync } = require("child_process");

const root = path.resolve(__dirname, "../..");
const lsp = require(path.join(root, "tests/js/node_modules/vscode-languageserver-protocol/node"));
const wardc = path.resolve(process.argv[2] || path.join(root, "build/wardc"));

// ---- a workspace and the client --------------------------------------------
const work = fs.mkdtempSync(path.join(os.tmpdir(), "ward-lsp-client-"));
const project = path.join(work, "orders-api");
fs.cpSync(path.join(root, "examples/orders-api"), project, { recursive: true });
const policyPath = path.join(project, "orders.ward");
const tenantPath = path.join(project, "tenant.ward");
const uriOf = (file) => `file://${file}`;
const policyUri = uriOf(policyPath);

const server = spawn(wardc, ["lsp"], { stdio: ["pipe", "pipe", "inherit"] });
const exited = new Promise((resolve) => server.on("exit", (code) => resolve(code)));
const connection = lsp.createProtocolConnection(new lsp.StreamMessageReader(server.stdout),
                                                new lsp.StreamMessageWriter(server.stdin));

const published = new Map(); // uri -> the last publishDiagnostics params
const waiters = [];
connection.onNotification(lsp.PublishDiagnosticsNotification.type, (params) => {
  published.set(params.uri, params);
  for (const w of waiters.splice(0)) if (!w(params)) waiters.push(w);
});
const progress = [];
connection.onRequest(lsp.WorkDoneProgressCreateRequest.type, () => null);
connection.onNotification("$/progress", (p) => progress.push(p.value.kind));
connection.listen();

/// The next diagnostics published for `uri` at `version` (or any, when undefined).
function diagnosticsFor(uri, version) {
  const last = published.get(uri);
  if (last && (version === undefined || last.version === version)) return Promise.resolve(last.diagnostics);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version}`)), 20000);
    waiters.push((p) => {
      if (p.uri !== uri || (version !== undefined && p.version !== version)) return false;
      clearTimeout(timer);
      resolve(p.diagnostics);
      return true;
    });
  });
}

// ---- the document as the client keeps it (UTF-16 positions, as JS strings) --
let text = fs.readFileSync(policyPath, "utf8");
let version = 1;
function offsetAt(position) {
  const lines = text.split("\n");
  let offset = 0;
  for (let i = 0; i < position.line; ++i) offset += lines[i].length + 1;
  return offset + position.character;
}
function positionOf(needle, { line, after = 0 } = {}) {
  const lines = text.split("\n");
  const l = line ?? lines.findIndex((x) => x.includes(needle));
  const character = lines[l].indexOf(needle);
  assert.ok(l >= 0 && character >= 0, `\`${needle}\` in the policy`);
  return { line: l, character: character + after };
}
function applyEdits(source, edits) {
  const lines = source.split("\n");
  const at = (p) => lines.slice(0, p.line).reduce((n, x) => n + x.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => at(b.range.start) - at(a.range.start));
  for (const e of sorted) source = source.slice(0, at(e.range.start)) + e.newText + source.slice(at(e.range.end));
  return source;
}
/// One incremental change: `range` replaced by `newText`; the client's copy follows.
async function change(range, newText) {
  text = text.slice(0, offsetAt(range.start)) + newText + text.slice(offsetAt(range.end));
  version += 1;
  await connection.sendNotification(lsp.DidChangeTextDocumentNotification.type, {
    textDocument: { uri: policyUri, version },
    contentChanges: [{ range, text: newText }],
  });
  return diagnosticsFor(policyUri, version);
}
const doc = { textDocument: { uri: policyUri } };

/// `wardc check` on the same text, in a copy of the project: its diagnostics
/// in LSP terms (line, UTF-16 character), to compare with the server's.
function cliDiagnostics() {
  const copy = path.join(work, `cli-${version}`);
  fs.cpSync(project, copy, { recursive: true });
  fs.writeFileSync(path.join(copy, "orders.ward"), text);
  const run = spawnSync(wardc, ["check", copy, "--format=json"], { encoding: "utf8" });
  const bytes = Buffer.from(text);
  return JSON.parse(run.stdout).diagnostics
    .filter((d) => d.location.file.endsWith("/orders.ward"))
    .map((d) => {
      const before = bytes.subarray(0, d.location.offset).toString(); // UTF-16 from here on
      const lineStart = before.lastIndexOf("\n") + 1;
      return { code: d.code, message: d.message + (d.help ? `\nhelp: ${d.help}` : ""), line: d.location.line - 1,
               character: before.length - lineStart };
    });
}
const asCli = (diagnostics) =>
  diagnostics.map((d) => ({ code: d.code, message: d.message, line: d.range.start.line, character: d.range.start.character }));
const byPlace = (a, b) => a.line - b.line || a.character - b.character || a.code.localeCompare(b.code);

async function main() {
  // ---- handshake -----------------------------------------------------------
  const init = await connection.sendRequest(lsp.InitializeRequest.type, {
    processId: process.pid,
    rootUri: uriOf(project),
    workspaceFolders: [{ uri: uriOf(project), name: "orders-api" }],
    capabilities: { general: { positionEncodings: ["utf-16"] }, window: { workDoneProgress: true } },
  });
  const caps = init.capabilities;
  assert.strictEqual(caps.positionEncoding, "utf-16");
  assert.strictEqual(caps.textDocumentSync.change, lsp.TextDocumentSyncKind.Incremental);
  for (const provider of ["hoverProvider", "definitionProvider", "referencesProvider", "renameProvider",
                          "completionProvider", "codeActionProvider", "documentFormattingProvider",
                          "semanticTokensProvider", "codeLensProvider", "diagnosticProvider", "inlayHintProvider"])
    assert.ok(caps[provider], provider);
  await connection.sendNotification(lsp.InitializedNotification.type, {});

  // ---- open: a clean project -----------------------------------------------
  await connection.sendNotification(lsp.DidOpenTextDocumentNotification.type, {
    textDocument: { uri: policyUri, languageId: "ward", version, text },
  });
  assert.deepStrictEqual(await diagnosticsFor(policyUri, 1), []);
  assert.ok(progress.includes("begin") && progress.includes("end"), "the first check reports progress");

  // ---- navigation ----------------------------------------------------------
  const hover = await connection.sendRequest(lsp.HoverRequest.type,
                                             { ...doc, position: positionOf("edge-reads", { line: 59, after: 2 }) });
  assert.match(hover.contents.value, /worst case/);
  const definition = await connection.sendRequest(lsp.DefinitionRequest.type,
                                                  { ...doc, position: positionOf("entra {", { line: 58, after: 1 }) });
  const target = Array.isArray(definition) ? definition[0] : definition;
  assert.deepStrictEqual([target.uri, target.range.start], [policyUri, positionOf("entra :", { after: 0 })]);
  const references = await connection.sendRequest(lsp.ReferencesRequest.type, {
    ...doc, position: positionOf("contoso", { after: 1 }), context: { includeDeclaration: true },
  });
  assert.deepStrictEqual([...new Set(references.map((r) => r.uri))].sort(), [policyUri, uriOf(tenantPath)].sort());
  const highlights = await connection.sendRequest(lsp.DocumentHighlightRequest.type,
                                                  { ...doc, position: positionOf("orders-vm", { line: 59 }) });
  assert.ok(highlights.length >= 5, "orders-vm: declared once, used by three routes, an allow and `via`");

  // ---- rename across the policy: every edit lands on the name ---------------
  const renamePosition = positionOf("sp-orders-edge :", { after: 3 });
  const prepared = await connection.sendRequest(lsp.PrepareRenameRequest.type, { ...doc, position: renamePosition });
  assert.strictEqual(text.slice(offsetAt(prepared.start ?? prepared.range.start), offsetAt(prepared.end ?? prepared.range.end)),
                     "sp-orders-edge");
  const rename = await connection.sendRequest(lsp.RenameRequest.type,
                                              { ...doc, position: renamePosition, newName: "sp-edge" });
  const renamed = applyEdits(text, rename.changes[policyUri]);
  assert.ok(!renamed.includes("sp-orders-edge") && (renamed.match(/\bsp-edge\b/g) || []).length === 2);
  // A capability of the standard library is not the user's to rename.
  const refused = await connection.sendRequest(lsp.PrepareRenameRequest.type, {
    ...doc, position: positionOf("vm.read on", { after: 4 }),
  }).then(() => null, (error) => error);
  assert.ok(refused && /standard library/.test(refused.message), String(refused && refused.message));

  // ---- completion: resources after `forward to` ------------------------------
  const completion = await connection.sendRequest(lsp.CompletionRequest.type,
                                                  { ...doc, position: positionOf("orders-vm", { line: 67 }) });
  const labels = (completion.items ?? completion).map((i) => i.label);
  assert.ok(labels.includes("orders-vm"), labels.join(" "));

  // ---- code lenses: what the declarations generate --------------------------
  const lenses = await connection.sendRequest(lsp.CodeLensRequest.type, doc);
  const titles = lenses.map((l) => l.command.title);
  assert.ok(titles.includes("role ward-orders-api-vm-read: 1 action"), titles.join(" | "));
  const generated = await connection.sendRequest("ward/generated", {
    uri: policyUri, artifact: lenses.find((l) => l.command.title.startsWith("role")).command.arguments[1],
  });
  assert.deepStrictEqual(JSON.parse(generated.text).Actions, ["Microsoft.Compute/virtualMachines/read"]);

  // ---- semantic tokens: full, then a delta after an edit --------------------
  const tokens = await connection.sendRequest(lsp.SemanticTokensRequest.type, doc);
  assert.ok(tokens.data.length > 100 && tokens.data.length % 5 === 0);

  // ---- incremental edits after non-ASCII text ---------------------------------
  // Replace a word with text of 1-, 2-, 3- and 4-byte UTF-8 (a surrogate pair
  // in UTF-16), then edit after it on the same line, then add an unknown
  // attribute there: every position is in UTF-16 units.
  const description = positionOf("EdgeWorker fronting");
  let diagnostics = await change({ start: description, end: { ...description, character: description.character + 10 } },
                                 "Edge 😀 café 𝄞");
  assert.deepStrictEqual(diagnostics, []);
  const orders = positionOf("orders API", { line: description.line });
  await change({ start: orders, end: { ...orders, character: orders.character + 6 } }, "Bestellungen");
  const lineEnd = { line: description.line, character: text.split("\n")[description.line].length };
  diagnostics = await change({ start: lineEnd, end: lineEnd }, " retries = 3");
  assert.strictEqual(text.split("\n")[description.line], '  description = "Edge 😀 café 𝄞 fronting the Bestellungen API" retries = 3');
  assert.strictEqual(diagnostics.length, 1);
  assert.deepStrictEqual(diagnostics[0].range.start, positionOf("retries", { line: description.line }));
  assert.deepStrictEqual(asCli(diagnostics).sort(byPlace), cliDiagnostics().sort(byPlace));
  const delta = await connection.sendRequest(lsp.SemanticTokensDeltaRequest.type,
                                             { ...doc, previousResultId: tokens.resultId });
  assert.ok(Array.isArray(delta.edits) && delta.edits.length > 0, "a delta with edits");

  const retries = positionOf(" retries = 3", { line: description.line });
  assert.deepStrictEqual(await change({ start: retries, end: { ...retries, character: retries.character + 12 } }, ""), []);

  // ---- a rule finding, its quick fix, and pull diagnostics -------------------
  // (rules run on a program without errors)
  const lifetime = positionOf("15m", { line: 14 });
  diagnostics = await change({ start: lifetime, end: { ...lifetime, character: lifetime.character + 3 } }, "2h");
  assert.ok(diagnostics.some((d) => d.code === "W029"), JSON.stringify(diagnostics));
  assert.deepStrictEqual(asCli(diagnostics).sort(byPlace), cliDiagnostics().sort(byPlace));
  const pulled = await connection.sendRequest(lsp.DocumentDiagnosticRequest.type, doc);
  assert.strictEqual(pulled.kind, "full");
  assert.deepStrictEqual(asCli(pulled.items).sort(byPlace), asCli(diagnostics).sort(byPlace));
  const w029 = diagnostics.find((d) => d.code === "W029");
  const actions = await connection.sendRequest(lsp.CodeActionRequest.type, {
    ...doc, range: w029.range, context: { diagnostics: [w029] },
  });
  const suppress = actions.find((a) => a.title.startsWith("Suppress W029"));
  assert.ok(suppress, actions.map((a) => a.title).join(" | "));
  const edit = suppress.edit.changes[policyUri][0];
  diagnostics = await change(edit.range, edit.newText);
  assert.ok(!diagnostics.some((d) => d.code === "W029"), "the suppression removes the finding");
  assert.ok(!diagnostics.some((d) => d.code === "W027" || d.code === "W028"), "and adds none about itself");

  // ---- formatting restores the layout of a mangled declaration ----------------
  const idLine = positionOf("  id = 4242").line;
  const before = text;
  await change({ start: { line: idLine, character: 0 }, end: { line: idLine, character: "  id = 4242".length } },
               "id     =     4242   ");
  const formatting = await connection.sendRequest(lsp.DocumentFormattingRequest.type,
                                                  { ...doc, options: { tabSize: 2, insertSpaces: true } });
  assert.strictEqual(applyEdits(text, formatting), before);

  // ---- symbols, folding, inlay hints ---------------------------------------
  const symbols = await connection.sendRequest(lsp.DocumentSymbolRequest.type, doc);
  const gateway = symbols.find((s) => s.name === "orders-gateway");
  assert.strictEqual(gateway.children.length, 5, "five routes under the edgeworker");
  const folds = await connection.sendRequest(lsp.FoldingRangeRequest.type, doc);
  assert.ok(folds.some((f) => f.startLine === gateway.range.start.line));
  const hints = await connection.sendRequest(lsp.InlayHintRequest.type, {
    ...doc, range: { start: { line: 0, character: 0 }, end: { line: text.split("\n").length, character: 0 } },
  });
  assert.ok(hints.some((h) => /^≤ .* of /.test(h.label)), hints.map((h) => h.label).join(" | "));

  // ---- shutdown and exit ----------------------------------------------------
  assert.strictEqual(await connection.sendRequest(lsp.ShutdownRequest.type), null);
  await connection.sendNotification(lsp.ExitNotification.type);
  assert.strictEqual(await exited, 0);
  connection.dispose();
  console.log(`ok: ${version} versions of orders.ward; diagnostics equal to wardc check's; every feature answered`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
    server.kill();
  })
  .finally(() => fs.rmSync(work, { recursive: true, force: true }));
