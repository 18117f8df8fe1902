// What the test scripts share: scratch directories, the mock model, a
// CODEX_HOME for it, the commands that run real or fake app-servers, and two
// ways to drive the proxy: raw lines on stdio, or the official MCP SDK client.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const tap = require('./tap.js');
const { startMockModel } = require('./mock-model.js');

const TOP = process.env.TOP_SRCDIR || path.resolve(__dirname, '..', '..');
const PROXY = process.env.PROXY || path.join(TOP, 'src', 'codex-mcp-proxy');
const MODULES = path.join(TOP, 't', 'node_modules');

// A fresh directory, removed at the end unless a test failed.
function scratch(name = 'test') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cmp-${name}-`));
  tap.cleanup((failed) => {
    if (failed) tap.diag(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

// Start the mock Responses API; it stops when the test ends.
async function mockModel() {
  const mock = await startMockModel();
  tap.cleanup(() => mock.close());
  return mock;
}

// A CODEX_HOME whose config points codex at the mock.
function codexHome(mock, extraToml = '') {
  const dir = scratch('home');
  mock.writeCodexHome(dir, extraToml);
  return dir;
}

// The command that runs a real codex app-server of this release (npm launcher).
function codexCommand(version = '0.169') {
  const launcher = path.join(MODULES, `codex-${version}`, 'bin', 'codex.js');
  if (!fs.existsSync(launcher)) tap.skipAll(`codex ${version} is not installed in t/node_modules`);
  return `node ${launcher} app-server`;
}

// The command that runs the scripted fake app-server with these options.
function fakeCommand(...args) {
  const quoted = args.map((a) => `'${String(a).replace(/'/g, `'\\''`)}'`);
  return ['node', path.join(TOP, 't', 'lib', 'fake-appserver.js'), ...quoted].join(' ');
}

// Read a JSON-lines file (missing file: no lines).
function readJsonl(file) {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

// Wait until pred() is true, polling every 20 ms; false after ms.
async function waitUntil(pred, ms = 10000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await pred()) return true;
    await sleep(20);
  }
  return false;
}

// Fail the test if a sanitizer (ASan, LSan, UBSan) reported on the proxy's stderr.
function checkSanitizers(stderr, who) {
  const report = /(AddressSanitizer|LeakSanitizer|runtime error:)[^\n]*/.exec(stderr);
  if (report) tap.ok(false, `${who} ran clean under the sanitizers: ${report[0]}`);
}

// Sleep for ms milliseconds.
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Is a process with this pid alive (and not a zombie)?
function alive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

// The proxy on raw stdio: send lines, read parsed lines, see how it exits.
class RawProxy {
  constructor({ args = [], env = {} } = {}) {
    this.lines = [];
    this.messages = [];
    this.stderr = '';
    this.waiters = [];
    this.nextId = 1000;
    this.child = spawn(PROXY, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.pid = this.child.pid;
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
    let partial = [];
    this.child.stdout.on('data', (d) => {
      let start = 0;
      let i;
      while ((i = d.indexOf(10, start)) >= 0) {
        partial.push(d.subarray(start, i));
        this.onLine(Buffer.concat(partial).toString('utf8'));
        partial = [];
        start = i + 1;
      }
      if (start < d.length) partial.push(d.subarray(start));
    });
    this.child.stderr.on('data', (d) => { this.stderr += d; });
    this.child.stdin.on('error', () => {});
    tap.cleanup(async (failed) => {
      if (this.child.exitCode === null && this.child.signalCode === null) {
        this.child.stdin.end();
        const timer = setTimeout(() => this.child.kill('SIGKILL'), 8000);
        await this.exited;
        clearTimeout(timer);
      }
      checkSanitizers(this.stderr, `proxy ${this.pid}`);
      if (failed) tap.diag(`proxy stderr:\n${this.stderr.slice(-4000)}`);
    });
  }

  // One line of stdout: keep it, parse it, wake whoever waits for it.
  onLine(line) {
    this.lines.push(line);
    let msg;
    try { msg = JSON.parse(line); } catch { return; }
    this.messages.push(msg);
    for (const w of this.waiters.slice()) {
      if (w.pred(msg)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(msg);
      }
    }
  }

  // Write one raw line (a newline is added).
  sendLine(text) {
    this.child.stdin.write(`${text}\n`);
  }

  // Write one message.
  send(msg) {
    this.sendLine(JSON.stringify(msg));
  }

  // The first message (already seen or still to come) that pred accepts.
  waitFor(pred, ms = 20000) {
    const seen = this.messages.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = { pred, resolve };
      this.waiters.push(w);
      setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          reject(new Error(`no matching message within ${ms} ms`));
        }
      }, ms);
    });
  }

  // The response to the request with this id.
  response(id, ms) {
    return this.waitFor((m) => m.id === id && ('result' in m || 'error' in m), ms);
  }

  // Send a request with a fresh id and wait for its response.
  request(method, params, ms) {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return this.response(id, ms);
  }

  // Initialize the session the usual way.
  async initialize(version = '2025-06-18', capabilities = {}) {
    const r = await this.request('initialize', { protocolVersion: version, capabilities, clientInfo: { name: 'tap', version: '0' } });
    this.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    return r;
  }

  // Close stdin and wait for the exit.
  async close() {
    this.child.stdin.end();
    return this.exited;
  }
}

// The proxy driven by the official MCP SDK client over stdio.
async function sdkProxy({ args = [], env = {}, capabilities = {}, name = 'tap-sdk' } = {}) {
  const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
  const { StdioClientTransport } = require('@modelcontextprotocol/sdk/client/stdio.js');
  const transport = new StdioClientTransport({
    command: PROXY,
    args,
    env: { ...process.env, ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr.on('data', (d) => { stderr += d; });
  const client = new Client({ name, version: '0' }, { capabilities });
  await client.connect(transport);
  const pid = transport.pid;
  tap.cleanup(async (failed) => {
    await client.close().catch(() => {});
    checkSanitizers(stderr, `proxy ${pid}`);
    if (failed) tap.diag(`proxy ${pid} stderr:\n${stderr.slice(-4000)}`);
  });
  return { client, transport, pid, stderr: () => stderr };
}

// The text of a CallToolResult's first content block.
function textOf(result) {
  return result && result.content && result.content[0] ? result.content[0].text : undefined;
}

module.exports = {
  TOP, PROXY, scratch, mockModel, codexHome, codexCommand, fakeCommand, readJsonl,
  waitUntil, sleep, alive, RawProxy, sdkProxy, textOf,
};
