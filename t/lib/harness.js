// What the test scripts share: scratch directories, the mock model, a
// CODEX_HOME for it, the commands that run real or fake app-servers, two ways
// to drive the proxy (raw lines on stdio, or the official MCP SDK client), and
// the usual set-ups of either on the fake or a real codex app-server.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const tap = require('./tap.js');
const { startMockModel } = require('./mock-model.js');

const TOP = process.env.TOP_SRCDIR || path.resolve(__dirname, '..', '..');
const PROXY = process.env.PROXY || path.join(TOP, 'src', 'codex-mcp-proxy');
// The tests' npm packages: $NODE_PATH (make check's, in the build directory), else t/node_modules.
const MODULES = (process.env.NODE_PATH || '').split(path.delimiter).find(Boolean) || path.join(TOP, 't', 'node_modules');

// A fresh directory, removed at the end unless a test failed.
function scratch(name = 'test') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cmp-${name}-`));
  tap.cleanup((failed) => {
    if (failed) tap.diag(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

// The environment of a process the suite starts: the test's, with a HOME of
// its own (the same for the whole test file), so no codex reads the user's
// home (its bash -lc would source ~/.bashrc), and with env on top.
let ownHome;
function childEnv(env = {}) {
  if (!ownHome) ownHome = scratch('userhome');
  return { ...process.env, HOME: ownHome, ...env };
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
  if (!fs.existsSync(launcher)) tap.skipAll(`codex ${version} is not installed in ${MODULES}`);
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

// Is buf (a Buffer) valid UTF-8?
function validUtf8(buf) {
  try { new TextDecoder('utf-8', { fatal: true }).decode(buf); return true; } catch { return false; }
}

// Does this line parse as JSON?
function isJson(line) {
  try { JSON.parse(line); return true; } catch { return false; }
}

// A stdout line parsed, or {unparsable: line} if it is not JSON.
function parseLine(line) {
  try { return JSON.parse(line); } catch { return { unparsable: line }; }
}

// The proxy on raw stdio: send lines, read parsed lines, see how it exits.
class RawProxy {
  constructor({ args = [], env = {} } = {}) {
    this.lines = [];
    this.rawLines = [];
    this.chunks = [];
    this.messages = [];
    this.stderr = '';
    this.waiters = [];
    this.nextId = 1000;
    this.child = spawn(PROXY, args, { env: childEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    this.pid = this.child.pid;
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
    let partial = [];
    this.child.stdout.on('data', (d) => {
      this.chunks.push(d);
      let start = 0;
      let i;
      while ((i = d.indexOf(10, start)) >= 0) {
        partial.push(d.subarray(start, i));
        this.onLine(Buffer.concat(partial));
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

  // One line of stdout (its bytes): keep it, parse it, wake whoever waits for it.
  onLine(bytes) {
    const line = bytes.toString('utf8');
    this.rawLines.push(bytes);
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

  // Write data (a Buffer or a string, as it is; in pieces of piece bytes, gap ms
  // apart, if asked), then a ping with a sentinel id. What stdout said before
  // the pong: its lines as text (raws), as bytes (bytes) and parsed (replies,
  // {unparsable: line} for a line that is not JSON); pong is null if none came.
  async probe(data, { piece = 0, gap = 0, ms = 10000 } = {}) {
    const start = this.lines.length;
    if (piece > 0) {
      const buf = Buffer.from(data);
      for (let i = 0; i < buf.length; i += piece) {
        this.child.stdin.write(buf.subarray(i, i + piece));
        await sleep(gap);
      }
    } else {
      this.child.stdin.write(data);
    }
    const id = `sentinel-${this.nextId++}`;
    this.send({ jsonrpc: '2.0', id, method: 'ping' });
    const pong = await this.response(id, ms).catch(() => null);
    const raws = this.lines.slice(start);
    const bytes = this.rawLines.slice(start);
    if (pong) {
      raws.pop();
      bytes.pop();
    }
    return { raws, bytes, replies: raws.map(parseLine), pong };
  }

  // probe() with one line of text (a newline is added).
  probeLine(text, opts) {
    return this.probe(`${text}\n`, opts);
  }

  // Everything the proxy wrote on stdout so far, as bytes.
  stdoutBytes() {
    return Buffer.concat(this.chunks);
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

const { freePort } = require('./port.js');

// The proxy driven by the official MCP SDK client over stdio.
async function sdkProxy({ args = [], env = {}, capabilities = {}, name = 'tap-sdk' } = {}) {
  const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
  const { StdioClientTransport } = require('@modelcontextprotocol/sdk/client/stdio.js');
  const transport = new StdioClientTransport({
    command: PROXY,
    args,
    env: childEnv(env),
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

// A RawProxy (initialized unless asked not to) on the fake app-server with
// these options, its state in dir (a fresh scratch directory unless given) and
// the messages it receives logged to p.log (dir/fake.log); p.dir is the dir.
async function fakeRawProxy(name, { dir = scratch(name), args = [], fake = [], initialize = true } = {}) {
  const log = path.join(dir, 'fake.log');
  const p = new RawProxy({ args: [...args, '--upstream-cmd', fakeCommand('--state', dir, '--log', log, ...fake)] });
  p.dir = dir;
  p.log = log;
  if (initialize) await p.initialize();
  return p;
}

// The SDK client on a proxy on the fake app-server, as for fakeRawProxy, after
// a first tools/list: sdkProxy()'s answer with dir, log and tools.
async function fakeSdkProxy(name, { dir = scratch(name), args = [], fake = [] } = {}) {
  const log = path.join(dir, 'fake.log');
  const p = await sdkProxy({ args: [...args, '--upstream-cmd', fakeCommand('--state', dir, '--log', log, ...fake)] });
  const { tools } = await p.client.listTools();
  return { ...p, dir, log, tools };
}

// The last turn the fake app-server stored in dir for thread tid once it is
// one that did not complete (the fake saves the thread just after
// turn/completed); null if none within 5 s.
async function lastStoredTurn(dir, tid) {
  const file = path.join(dir, 'fake-sessions', `${tid}.json`);
  const last = () => {
    try {
      const turns = JSON.parse(fs.readFileSync(file, 'utf8')).turns;
      return turns[turns.length - 1] || null;
    } catch {
      return null;
    }
  };
  const ended = await waitUntil(() => { const t = last(); return t !== null && t.status !== 'completed'; }, 5000);
  return ended ? last() : null;
}

// The SDK client on a proxy on a real codex app-server of this release, with
// the mock model (a new one unless given) and a CODEX_HOME for it (a new one
// unless given: two sessions can share it), after a first tools/list:
// sdkProxy()'s answer with mock, home and tools.
async function codexSession({ version = '0.169', args = [], env = {}, mock, home } = {}) {
  const m = mock || await mockModel();
  const dir = home || codexHome(m);
  const p = await sdkProxy({ args: [...args, '--upstream-cmd', codexCommand(version)], env: { CODEX_HOME: dir, ...env } });
  const { tools } = await p.client.listTools();
  return { ...p, mock: m, home: dir, tools };
}

// codexSession(), but the SDK client declares these capabilities (e.g.
// {elicitation: {}}, then answer with client.setRequestHandler()).
async function codexClientSession({ version = '0.169', args = [], env = {}, mock, home, capabilities = {} } = {}) {
  const m = mock || await mockModel();
  const dir = home || codexHome(m);
  const p = await sdkProxy({ args: [...args, '--upstream-cmd', codexCommand(version)], env: { CODEX_HOME: dir, ...env }, capabilities });
  const { tools } = await p.client.listTools();
  return { ...p, mock: m, home: dir, tools };
}

// A RawProxy (not yet initialized) on a real codex app-server of this release,
// with the mock model and a CODEX_HOME as for codexSession(); p.mock, p.home.
async function codexRawProxy({ version = '0.169', args = [], env = {}, mock, home } = {}) {
  const m = mock || await mockModel();
  const dir = home || codexHome(m);
  const p = new RawProxy({ args: [...args, '--upstream-cmd', codexCommand(version)], env: { CODEX_HOME: dir, ...env } });
  p.mock = m;
  p.home = dir;
  return p;
}

// Split SSE text into events; the rest (an unfinished event) is left.
function parseSse(text) {
  const events = [];
  let rest = text.replace(/\r\n/g, '\n');
  let i;
  while ((i = rest.indexOf('\n\n')) >= 0) {
    const block = rest.slice(0, i);
    rest = rest.slice(i + 2);
    const ev = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const m = /^([^:]*)(?::(?: ?)(.*))?$/.exec(line);
      const field = m[1];
      const value = m[2] === undefined ? '' : m[2];
      if (field === 'data') ev.data = ev.data === undefined ? value : `${ev.data}\n${value}`;
      else if (field) ev[field] = value;
    }
    if (Object.keys(ev).length > 0) events.push(ev);
  }
  return { events, rest };
}

// Call onEvent(ev) for each event of an SSE body (a web stream, e.g. a fetch
// Response's body) that has an id or data, as it comes.
async function readSse(body, onEvent) {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of body) {
    const { events, rest } = parseSse(text + decoder.decode(chunk, { stream: true }));
    text = rest;
    for (const ev of events) if (ev.id !== undefined || ev.data !== undefined) onEvent(ev);
  }
}

// The proxy serving Streamable HTTP (--listen HOST:PORT on a free port) on
// the fake app-server with these options (or on the command upstream), its
// state in dir (a fresh scratch directory unless given), once /healthz
// answers 200 (wait 'listen': with any status; false: not waited for). With ca (a
// PEM), it speaks HTTPS trusting that certificate. It answers with:
//   port, host, base (scheme://127.0.0.1:port), url (base/mcp), child, pid,
//   dir, log (the fake's log), exited (a promise of {code, signal}), stderr();
//   request(method, path, {headers, body, tls, timeout}): {status, headers,
//     body, json} (json: the parsed body, if it parses), or {error};
//   stream(method, path, opts): the same as soon as the headers came, plus
//     events (the SSE events so far, each {id, event, data}), ended (a
//     promise of the whole body), nextEvent(pred, ms) and close();
//   post(msg, {sid, version, headers}): request() of one JSON-RPC message
//     with the usual headers; for an SSE answer also events and messages
//     (their data, parsed), and json is the last message;
//   initialize(version): {sid, res} after initialize and initialized;
//   stop(signal): send the signal and wait for the exit.
// At the end of the test it is stopped (SIGTERM, SIGKILL after 8 s) and its
// stderr checked for sanitizer reports. If the free port was taken before the
// proxy could bind it, it tries another (tries times in all).
async function httpProxy(name = 'http', {
  dir = scratch(name), args = [], fake = [], env = {}, host = '127.0.0.1', upstream, ca, wait = true, tries = 3,
} = {}) {
  const net = require('node:net');
  const http = require('node:http');
  const https = require('node:https');
  const port = await freePort();
  const log = path.join(dir, 'fake.log');
  const cmd = upstream || fakeCommand('--state', dir, '--log', log, ...fake);
  const listen = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const child = spawn(PROXY, ['--listen', listen, ...args, '--upstream-cmd', cmd], {
    env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout.on('data', (d) => { stderr += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const running = () => child.exitCode === null && child.signalCode === null;
  tap.cleanup(async (failed) => {
    if (running()) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(timer);
    }
    checkSanitizers(stderr, `proxy ${child.pid}`);
    if (failed) tap.diag(`proxy ${child.pid} stderr:\n${stderr.slice(-4000)}`);
  });
  const scheme = ca ? 'https' : 'http';
  const base = `${scheme}://127.0.0.1:${port}`;

  // Start a request; onResponse(res) or onError(err).
  function start(method, reqPath, { headers = {}, body, tls = {}, timeout = 20000 } = {}, onResponse, onError) {
    const mod = ca ? https : http;
    const hdrs = { ...headers };
    if (body !== undefined && !Object.keys(hdrs).some((k) => k.toLowerCase() === 'content-length')) {
      hdrs['Content-Length'] = Buffer.byteLength(body);
    }
    const req = mod.request({
      host: '127.0.0.1', port, method, path: reqPath, headers: hdrs, agent: false, timeout,
      ...(ca ? { ca, ...tls } : {}),
    }, onResponse);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeout} ms`)));
    req.on('error', onError);
    if (body !== undefined) req.write(body);
    req.end();
    return req;
  }

  function parseJson(text) {
    try { return JSON.parse(text); } catch { return undefined; }
  }

  const p = {
    port, host, base, url: `${base}/mcp`, child, pid: child.pid, dir, log, exited,
    stderr: () => stderr,

    request(method, reqPath, opts = {}) {
      return new Promise((resolve) => {
        start(method, reqPath, opts, (res) => {
          const chunks = [];
          res.on('data', (d) => chunks.push(d));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode, headers: res.headers, body: text, json: parseJson(text) });
          });
          res.on('error', (err) => resolve({ status: res.statusCode, headers: res.headers, error: err }));
        }, (err) => resolve({ error: err }));
      });
    },

    stream(method, reqPath, opts = {}) {
      return new Promise((resolve) => {
        const req = start(method, reqPath, { timeout: 0, ...opts }, (res) => {
          let text = '';
          let pending = '';
          const waiters = [];
          const s = {
            status: res.statusCode, headers: res.headers, events: [], res,
            text: () => text,
            close: () => req.destroy(),
            // The first event (seen or to come) that pred accepts, or null after ms.
            nextEvent(pred = () => true, ms = 20000) {
              const seen = s.events.find(pred);
              if (seen) return Promise.resolve(seen);
              return new Promise((res1) => {
                const w = { pred, resolve: res1 };
                waiters.push(w);
                setTimeout(() => {
                  const i = waiters.indexOf(w);
                  if (i >= 0) { waiters.splice(i, 1); res1(null); }
                }, ms);
              });
            },
          };
          s.ended = new Promise((done) => {
            res.on('end', () => done(text));
            res.on('error', () => done(text));
            res.on('close', () => done(text));
          });
          res.on('data', (d) => {
            text += d;
            pending += d;
            const { events, rest } = parseSse(pending);
            pending = rest;
            for (const ev of events) {
              s.events.push(ev);
              for (const w of waiters.slice()) {
                if (w.pred(ev)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(ev); }
              }
            }
          });
          resolve(s);
        }, (err) => resolve({ error: err, events: [], ended: Promise.resolve(''), close() {}, nextEvent: async () => null }));
      });
    },

    async post(msg, { sid, version, headers = {}, ...opts } = {}) {
      const hdrs = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
      if (sid) hdrs['Mcp-Session-Id'] = sid;
      if (version) hdrs['MCP-Protocol-Version'] = version;
      const res = await p.request('POST', '/mcp', {
        ...opts, headers: { ...hdrs, ...headers }, body: typeof msg === 'string' ? msg : JSON.stringify(msg),
      });
      if (res.status && /^text\/event-stream/.test(res.headers['content-type'] || '')) {
        res.events = parseSse(res.body).events;
        res.messages = res.events.filter((e) => e.data).map((e) => parseJson(e.data));
        res.json = res.messages[res.messages.length - 1];
      }
      return res;
    },

    async initialize(version = '2025-06-18', capabilities = {}) {
      const res = await p.post({
        jsonrpc: '2.0', id: 1, method: 'initialize',
        params: { protocolVersion: version, capabilities, clientInfo: { name: 'tap-http', version: '0' } },
      });
      const sid = res.headers && res.headers['mcp-session-id'];
      if (sid) await p.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { sid, version });
      return { sid, res };
    },

    async stop(signal = 'SIGTERM') {
      if (running()) child.kill(signal);
      return exited;
    },
  };

  if (wait) {
    const end = Date.now() + 15000;
    for (;;) {
      if (!running() && tries > 1 && /cannot listen/.test(stderr)) {
        // Someone took the free port meanwhile: another one.
        return httpProxy(name, { dir, args, fake, env, host, upstream, ca, wait, tries: tries - 1 });
      }
      if (!running()) throw new Error(`the HTTP proxy exited before it listened:\n${stderr}`);
      const r = await p.request('GET', '/healthz', { timeout: 2000 });
      if (r.status === 200 || (r.status && wait === 'listen')) break;
      if (Date.now() > end) throw new Error(`the HTTP proxy did not answer /healthz:\n${stderr}`);
      await sleep(50);
    }
  }
  return p;
}

// The official MCP SDK client on url (e.g. httpProxy()'s url) over Streamable
// HTTP, declaring capabilities, initialized (unless opts.sessionId joins a
// session) and closed at the end; the other opts go to the transport
// (fetch, reconnectionOptions, sessionId...). It answers {client, transport}.
async function httpSdkClient(url, name, { capabilities = {}, ...opts } = {}) {
  const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
  const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');
  const client = new Client({ name, version: '0' }, { capabilities });
  const transport = new StreamableHTTPClientTransport(new URL(url), opts);
  await client.connect(transport);
  tap.cleanup(() => client.close().catch(() => {}));
  return { client, transport };
}

// The MCP SDK v2 client (@modelcontextprotocol/client 2.4.0) in this
// versionNegotiation mode (default: pinned to 2026-07-28), declaring
// capabilities (sent in every request's _meta), on target: a URL (Streamable
// HTTP), or else a proxy it spawns on stdio with args and env (pin and auto
// first probe a sibling process with server/discover). Closed at the end; it
// answers {client, stderr()} (stdio: the session process's stderr).
async function sdk2Client(target, { mode = { pin: '2026-07-28' }, capabilities = {}, args = [], env = {}, name = 'tap-sdk2' } = {}) {
  const { Client, StreamableHTTPClientTransport } = require('@modelcontextprotocol/client');
  const { StdioClientTransport } = require('@modelcontextprotocol/client/stdio');
  const client = new Client({ name, version: '0' }, { versionNegotiation: { mode }, capabilities });
  let stderr = '';
  let transport;
  if (/^https?:/.test(target || '')) {
    transport = new StreamableHTTPClientTransport(new URL(target));
  } else {
    transport = new StdioClientTransport({ command: PROXY, args, env: childEnv(env), stderr: 'pipe' });
    transport.stderr.on('data', (d) => { stderr += d; });
  }
  await client.connect(transport);
  tap.cleanup(async (failed) => {
    await client.close().catch(() => {});
    checkSanitizers(stderr, 'proxy (SDK v2 client)');
    if (failed && stderr) tap.diag(`proxy stderr:\n${stderr.slice(-4000)}`);
  });
  return { client, stderr: () => stderr };
}

// Call a tool through the SDK client as client.callTool() does, but without
// throwing when the result breaks the tool's outputSchema: the CallToolResult
// as the proxy sent it, plus schemaError, the complaint of the SDK's own
// validator for that tool (from the last listTools), or null when it conforms.
async function callToolChecked(client, name, args) {
  const { CallToolResultSchema } = require('@modelcontextprotocol/sdk/types.js');
  const result = await client.request({ method: 'tools/call', params: { name, arguments: args } }, CallToolResultSchema);
  const validate = client.getToolOutputValidator(name);
  let schemaError = null;
  if (validate && !result.structuredContent && !result.isError) {
    schemaError = 'no structuredContent';
  } else if (validate && result.structuredContent) {
    const v = validate(result.structuredContent);
    if (!v.valid) schemaError = v.errorMessage;
  }
  return { ...result, schemaError };
}

// The text of a CallToolResult's first content block.
function textOf(result) {
  return result && result.content && result.content[0] ? result.content[0].text : undefined;
}

module.exports = {
  TOP, PROXY, MODULES, childEnv, scratch, mockModel, codexHome, codexCommand, fakeCommand, readJsonl,
  waitUntil, sleep, alive, validUtf8, isJson, parseLine, RawProxy, sdkProxy,
  fakeRawProxy, fakeSdkProxy, lastStoredTurn, codexSession, codexClientSession, codexRawProxy,
  callToolChecked, textOf, freePort, httpProxy, parseSse, readSse, httpSdkClient, sdk2Client, checkSanitizers,
};
