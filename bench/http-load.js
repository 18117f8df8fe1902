#!/usr/bin/env node
// Load benchmark of the proxy's Streamable HTTP front, against the scripted
// fake app-server (t/lib/fake-appserver.js, instant answers). For each N:
//
//   proxy   N concurrent MCP sessions over HTTP, each doing M `codex` tool
//           calls one after the other (initialize first, not timed);
//   direct  the same N x M turns sent straight to a fake app-server over its
//           stdio (thread/start, turn/start, wait for turn/completed), N
//           turns in flight at a time: the floor the proxy adds to.
//
// Per N and route: p50/p99 latency of one call (turn), throughput (calls/s),
// and for the proxy its peak RSS (VmHWM; the proxy is started afresh for each
// N) and the CPU time it used. See bench/README.md.
//
// Usage: node bench/http-load.js [--sessions 1,8,32,64] [--turns 50]
//                                [--proxy PATH] [--state-dir DIR] [--json]
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const net = require('node:net');
const { spawn } = require('node:child_process');
const { parseArgs } = require('node:util');

const TOP = process.env.TOP_SRCDIR || path.resolve(__dirname, '..');
const FAKE = path.join(TOP, 't', 'lib', 'fake-appserver.js');
const { values: opt } = parseArgs({
  options: {
    sessions: { type: 'string', default: '1,8,32,64' },
    turns: { type: 'string', default: '50' },
    proxy: { type: 'string' },
    'state-dir': { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log('usage: node bench/http-load.js [--sessions 1,8,32,64] [--turns 50] [--proxy PATH] [--state-dir DIR] [--json]');
  process.exit(0);
}
const PROXY = opt.proxy ? path.resolve(opt.proxy) : process.env.PROXY || path.join(TOP, 'src', 'codex-mcp-proxy');

// Where the fake app-servers keep their thread files: a tmpfs if there is
// one, so that the disk does not set the pace.
const STATE_DIR = opt['state-dir'] || (fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir());
const SESSIONS = opt.sessions.split(',').map(Number).filter((n) => n > 0);
const TURNS = Number(opt.turns);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

// Quote a word for /bin/sh.
const sh = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

// The q-quantile (0..1) of sorted numbers, nearest rank.
function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

// A TCP port that was free a moment ago.
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// The proxy on 127.0.0.1:<free port> before upstream, once /healthz says 200.
async function startProxy(upstream) {
  const port = await freePort();
  const child = spawn(PROXY, ['--listen', `127.0.0.1:${port}`, '--upstream-cmd', upstream], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (const end = Date.now() + 30000; ;) {
    if (child.exitCode !== null) throw new Error(`the proxy exited:\n${stderr}`);
    const status = await new Promise((resolve) => {
      http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => { res.resume(); resolve(res.statusCode); })
        .on('error', () => resolve(0));
    });
    if (status === 200) break;
    if (Date.now() > end) {
      await stop();
      throw new Error(`the proxy was not ready in 30 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, pid: child.pid, stop };
}

// POST one JSON-RPC message to the proxy; resolves {status, headers, body}.
function post(port, msg, sid) {
  const body = JSON.stringify(msg);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, path: '/mcp', method: 'POST', agent,
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        'Content-Length': Buffer.byteLength(body),
        ...(sid ? { 'Mcp-Session-Id': sid, 'MCP-Protocol-Version': '2025-06-18' } : {}),
      },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

// The JSON-RPC response in an answer (SSE or JSON) to request id.
function responseIn(body, id) {
  for (const line of body.split('\n')) {
    const text = line.startsWith('data:') ? line.slice(5).trim() : line.trim();
    if (!text.startsWith('{')) continue;
    const msg = JSON.parse(text);
    if (msg.id === id && ('result' in msg || 'error' in msg)) return msg;
  }
  return null;
}

// From /proc/PID: peak RSS (KiB) and CPU seconds (user + system).
function procStats(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const hwm = Number((/VmHWM:\s+(\d+)/.exec(status) || [])[1]);
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const tick = 100; // sysconf(_SC_CLK_TCK) on Linux
  return { hwmKiB: hwm, cpuS: (Number(f[11]) + Number(f[12])) / tick };
}

// N sessions x M calls through the proxy over HTTP.
async function runProxy(n, m) {
  const state = fs.mkdtempSync(path.join(STATE_DIR, 'bench-proxy-'));
  const upstream = ['node', FAKE, '--state', state].map(sh).join(' ');
  const proxy = await startProxy(upstream);
  let peakRss = 0;
  const sampler = setInterval(() => {
    try {
      const rss = Number((/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${proxy.pid}/status`, 'utf8')) || [])[1]);
      peakRss = Math.max(peakRss, rss);
    } catch { /* gone */ }
  }, 50);
  try {
    const sids = await Promise.all(Array.from({ length: n }, async (_, s) => {
      const r = await post(proxy.port, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: `bench-${s}`, version: '0' } } });
      const sid = r.headers['mcp-session-id'];
      if (!sid) throw new Error(`initialize: HTTP ${r.status} ${r.body}`);
      await post(proxy.port, { jsonrpc: '2.0', method: 'notifications/initialized' }, sid);
      return sid;
    }));
    const cpu0 = procStats(proxy.pid).cpuS;
    const lat = [];
    let errors = 0;
    const t0 = process.hrtime.bigint();
    await Promise.all(sids.map(async (sid, s) => {
      for (let i = 1; i <= m; i++) {
        const prompt = `bench ${s} ${i}`;
        const a = process.hrtime.bigint();
        const r = await post(proxy.port, { jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'codex', arguments: { prompt } } }, sid);
        lat.push(Number(process.hrtime.bigint() - a) / 1e6);
        const res = responseIn(r.body, i);
        const text = res && res.result && !res.result.isError && res.result.content[0].text;
        if (text !== `You said: ${prompt}`) errors++;
      }
    }));
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const stats = procStats(proxy.pid);
    await Promise.all(sids.map((sid) => new Promise((resolve) => {
      http.request({ host: '127.0.0.1', port: proxy.port, path: '/mcp', method: 'DELETE', agent, headers: { 'Mcp-Session-Id': sid } },
        (res) => { res.resume(); res.on('end', resolve); }).on('error', resolve).end();
    })));
    return { lat, wall, errors, hwmKiB: Math.max(stats.hwmKiB, peakRss), cpuS: stats.cpuS - cpu0 };
  } finally {
    clearInterval(sampler);
    await proxy.stop();
    fs.rmSync(state, { recursive: true, force: true });
  }
}

// The same turns straight to a fake app-server on stdio, N in flight.
async function runDirect(n, m) {
  const state = fs.mkdtempSync(path.join(STATE_DIR, 'bench-direct-'));
  const child = spawn('node', [FAKE, '--state', state], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = new Map(); // request id -> resolve
  const turns = new Map(); // thread id -> resolve (turn/completed)
  const texts = new Map(); // thread id -> last agent message
  let nextId = 1;
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (!line.startsWith('{')) continue;
      const msg = JSON.parse(line);
      if (msg.id !== undefined && msg.method === undefined) {
        const w = waiting.get(msg.id);
        waiting.delete(msg.id);
        if (w) w(msg);
      } else if (msg.method === 'item/completed' && msg.params.item.type === 'agentMessage') {
        texts.set(msg.params.threadId, msg.params.item.text);
      } else if (msg.method === 'turn/completed') {
        const w = turns.get(msg.params.threadId);
        turns.delete(msg.params.threadId);
        if (w) w(msg);
      }
    }
  });
  const request = (method, params) => new Promise((resolve) => {
    const id = nextId++;
    waiting.set(id, resolve);
    child.stdin.write(`${JSON.stringify({ id, method, params })}\n`);
  });
  try {
    await request('initialize', { clientInfo: { name: 'bench', version: '0' } });
    child.stdin.write(`${JSON.stringify({ method: 'initialized' })}\n`);
    const lat = [];
    let errors = 0;
    const t0 = process.hrtime.bigint();
    await Promise.all(Array.from({ length: n }, async (_, s) => {
      for (let i = 1; i <= m; i++) {
        const prompt = `bench ${s} ${i}`;
        const a = process.hrtime.bigint();
        const started = await request('thread/start', {});
        const threadId = started.result && started.result.thread.id;
        const done = new Promise((resolve) => turns.set(threadId, resolve));
        const t = await request('turn/start', { threadId, input: [{ type: 'text', text: prompt }] });
        const end = t.error ? null : await done;
        lat.push(Number(process.hrtime.bigint() - a) / 1e6);
        if (!end || end.params.turn.status !== 'completed' || texts.get(threadId) !== `You said: ${prompt}`) errors++;
        texts.delete(threadId);
      }
    }));
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    return { lat, wall, errors };
  } finally {
    child.stdin.end();
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve)));
    fs.rmSync(state, { recursive: true, force: true });
  }
}

// One row of the table.
function row(route, n, m, r) {
  const sorted = r.lat.slice().sort((x, y) => x - y);
  return {
    route, sessions: n, calls: n * m, errors: r.errors,
    p50ms: quantile(sorted, 0.5), p99ms: quantile(sorted, 0.99),
    callsPerS: (n * m) / r.wall,
    peakRssMiB: r.hwmKiB === undefined ? null : r.hwmKiB / 1024,
    proxyCpuS: r.cpuS === undefined ? null : r.cpuS,
  };
}

async function main() {
  const rows = [];
  for (const n of SESSIONS) {
    rows.push(row('direct', n, TURNS, await runDirect(n, TURNS)));
    rows.push(row('proxy', n, TURNS, await runProxy(n, TURNS)));
  }
  if (opt.json) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  const head = ['route', 'N', 'calls', 'errors', 'p50 ms', 'p99 ms', 'calls/s', 'proxy peak RSS MiB', 'proxy CPU s'];
  const cells = rows.map((r) => [
    r.route, r.sessions, r.calls, r.errors, r.p50ms.toFixed(2), r.p99ms.toFixed(2), r.callsPerS.toFixed(0),
    r.peakRssMiB === null ? '-' : r.peakRssMiB.toFixed(1), r.proxyCpuS === null ? '-' : r.proxyCpuS.toFixed(2),
  ].map(String));
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((x, i) => (i === 0 ? x.padEnd(width[i]) : x.padStart(width[i]))).join('  ');
  console.log(`# ${TURNS} codex calls per session; ${os.cpus().length} CPUs; ${PROXY}; fake state in ${STATE_DIR}`);
  console.log(line(head));
  for (const c of cells) console.log(line(c));
  if (rows.some((r) => r.errors > 0)) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(2);
});
