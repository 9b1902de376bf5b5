// Starts `wardc lsp` for Ward files and restarts it when `ward.path` changes.
// Everything Ward knows comes from the server; this file only connects it.
"use strict";

const vscode = require("vscode");
const { LanguageClient, RevealOutputChannelOn } = require("vscode-languageclient/node");

let client;

function serverOptions(configuration) {
  const command = configuration.get("path") || "wardc";
  return { command, args: ["lsp"] };
}

function clientOptions() {
  return {
    documentSelector: [{ scheme: "file", language: "ward" }, { scheme: "untitled", language: "ward" }],
    // ward.json and files changed outside the editor are checked again.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/{ward.json,*.ward}") },
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
}

async function start() {
  const configuration = vscode.workspace.getConfiguration("ward");
  client = new LanguageClient("ward", "Ward", serverOptions(configuration), clientOptions());
  await client.start();
}

// A code lens's command: the artifact it names (as `wardc build` would write
// it), in an untitled editor beside the policy.
async function showGenerated(uri, artifact) {
  if (!client) return;
  const generated = await client.sendRequest("ward/generated", { uri, artifact });
  const document = await vscode.workspace.openTextDocument({ language: generated.language, content: generated.text });
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

async function activate(context) {
  await start();
  context.subscriptions.push(
    vscode.commands.registerCommand("ward.showGenerated", showGenerated),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration("ward.path")) return;
      await deactivate();
      await start();
    }),
  );
}

async function deactivate() {
  if (!client) return;
  const running = client;
  client = undefined;
  await running.stop();
}

module.exports = { activate, deactivate, serverOptions, showGenerated };
