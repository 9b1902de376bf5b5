// Replays typing into `wardc lsp` and prints latencies (medians and p95):
// didChange -> publishDiagnostics while typing at the end and in the middle
// of a 5,000-line file and in one file of the 100,000-line many-file
// workspace, and hover, completion and definition; then the server's peak
// memory. Run through bench/lsp-latency.
import { spawn } from "child_process";
import fs from "fs";
import path from "path";

const [wardc, smallDir, bigDir] = process.argv.slice(2);

class Server {
  constructor(root) {
    this.process = spawn(wardc, ["lsp"]);
    this.buffer = Buffer.alloc(0);
    this.waiters = [];
    this.process.stdout.on("data", (chunk) => this.receive(chunk));
    this.nextId = 1;
    this.root = root;
  }
  receive(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const header = this.buffer.indexOf("\r\n\r\n");
      if (header < 0) return;
      const length = Number(/Content-Length: (\d+)/.exec(this.buffer.slice(0, header).toString())[1]);
      if (this.buffer.length < header + 4 + length) return;
      const message = JSON.parse(this.buffer.slice(header + 4, header + 4 + length).toString());
      this.buffer = this.buffer.slice(header + 4 + length);
      this.waiters = this.waiters.filter((w) => !w(message));
    }
  }
  send(message) {
    const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }));
    this.process.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.process.stdin.write(body);
  }
  until(predicate) {
    return new Promise((resolve) => this.waiters.push((m) => (predicate(m) ? (resolve(m), true) : false)));
  }
  request(method, params) {
    const id = this.nextId++;
    const reply = this.until((m) => m.id === id);
    this.send({ id, method, params });
    return reply;
  }
}

const uri = (file) => "file://" + file;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;
const row = (what, xs) => console.log(`${what.padEnd(52)} ${median(xs).toFixed(1).padStart(8)} ${p95(xs).toFixed(1).padStart(8)}`);

async function typing(server, file, text, line, label) {
  let version = 1;
  const times = [];
  const typed = "identity sp-typed : group\n";
  let character = 0;
  for (const ch of typed) {
    version += 1;
    const v = version;
    const published = server.until((m) => m.method === "textDocument/publishDiagnostics" && m.params.version === v);
    const start = process.hrtime.bigint();
    server.send({
      method: "textDocument/didChange",
      params: {
        textDocument: { uri: uri(file), version: v },
        contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text: ch }],
      },
    });
    await published;
    times.push(ms(start));
    if (ch === "\n") line += 1, (character = 0);
    else character += 1;
  }
  row(label, times);
  return version;
}

async function requests(server, file, method, params, label) {
  const times = [];
  for (let i = 0; i < 40; i++) {
    const start = process.hrtime.bigint();
    await server.request(method, { textDocument: { uri: uri(file) }, ...params });
    times.push(ms(start));
  }
  row(label, times);
}

function peakMemoryMB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024;
}

async function session(root, file, lines, label) {
  const server = new Server(root);
  await server.request("initialize", { rootUri: uri(root), capabilities: {} });
  const text = fs.readFileSync(file, "utf8");
  const opened = server.until((m) => m.method === "textDocument/publishDiagnostics" && m.params.uri === uri(file));
  server.send({ method: "textDocument/didOpen", params: { textDocument: { uri: uri(file), languageId: "ward", version: 1, text } } });
  await opened;
  await typing(server, file, text, lines, `${label}: didChange -> diagnostics, typing at the end`);
  if (lines > 100)
    await typing(server, file, text, Math.floor(lines / 2), `${label}: didChange -> diagnostics, typing in the middle`);
  // A name in use: the first `forward to vm-N` of the file.
  const at = text.split("\n").findIndex((l) => l.includes("forward to vm-"));
  const character = text.split("\n")[at].indexOf("vm-") + 1;
  await requests(server, file, "textDocument/hover", { position: { line: at, character } }, `${label}: hover`);
  await requests(server, file, "textDocument/definition", { position: { line: at, character } }, `${label}: definition`);
  await requests(server, file, "textDocument/completion", { position: { line: at, character: character - 1 } }, `${label}: completion`);
  const memory = peakMemoryMB(server.process.pid);
  await server.request("shutdown");
  server.send({ method: "exit" });
  console.log(`${(label + ": server peak memory (MB)").padEnd(52)} ${memory.toFixed(1).padStart(8)}`);
}

console.log(`${"".padEnd(52)} ${"median".padStart(8)} ${"p95".padStart(8)}   (ms)`);
const small = path.join(smallDir, "policy-00000.ward");
await session(smallDir, small, fs.readFileSync(small, "utf8").split("\n").length - 1, "5,000-line file");
const big = fs.readdirSync(bigDir).filter((f) => f.endsWith(".ward")).sort()[42];
await session(bigDir, path.join(bigDir, big), 1000, "100,000-line workspace");
