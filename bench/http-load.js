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
const { spawn } = require('node:child_process');
const lib = require('./lib.js');

const opt = lib.options('node bench/http-load.js [--sessions 1,8,32,64] [--turns 50] [--proxy PATH] [--state-dir DIR] [--json]', {
  sessions: { type: 'string', default: '1,8,32,64' },
  turns: { type: 'string', default: '50' },
  'state-dir': { type: 'string' },
});
const PROXY = lib.proxyPath(opt.proxy);

// Where the fake app-servers keep their thread files.
const STATE_DIR = opt['state-dir'] || lib.tmpfsDir();
const SESSIONS = opt.sessions.split(',').map(Number).filter((n) => n > 0);
const TURNS = Number(opt.turns);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

// The proxy on 127.0.0.1:<free port> before a fake app-server keeping its
// state in state, once /healthz says 200.
async function startProxy(state) {
  const port = await lib.freePort();
  const proxy = lib.spawnProxy(PROXY, ['--listen', `127.0.0.1:${port}`], state, ['ignore', 'ignore', 'pipe']);
  for (const end = Date.now() + 30000; ;) {
    if (!proxy.running()) throw new Error(`the proxy exited:\n${proxy.stderr()}`);
    const status = await new Promise((resolve) => {
      http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => { res.resume(); resolve(res.statusCode); })
        .on('error', () => resolve(0));
    });
    if (status === 200) break;
    if (Date.now() > end) {
      await proxy.stop();
      throw new Error(`the proxy was not ready in 30 s:\n${proxy.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, pid: proxy.pid, stop: proxy.stop };
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

// N sessions x M calls through the proxy over HTTP.
async function runProxy(n, m) {
  const state = fs.mkdtempSync(path.join(STATE_DIR, 'bench-proxy-'));
  const proxy = await startProxy(state);
  let peakRss = 0;
  const sampler = setInterval(() => {
    try {
      peakRss = Math.max(peakRss, lib.statusKiB(proxy.pid, 'VmRSS'));
    } catch { /* gone */ }
  }, 50);
  try {
    const sids = await Promise.all(Array.from({ length: n }, async (_, s) => {
      const r = await post(proxy.port, { jsonrpc: '2.0', id: 0, method: 'initialize', params: lib.initializeParams(`bench-${s}`) });
      const sid = r.headers['mcp-session-id'];
      if (!sid) throw new Error(`initialize: HTTP ${r.status} ${r.body}`);
      await post(proxy.port, { jsonrpc: '2.0', method: 'notifications/initialized' }, sid);
      return sid;
    }));
    const cpu0 = lib.cpuSeconds(proxy.pid);
    const lat = [];
    let errors = 0;
    const t0 = process.hrtime.bigint();
    await Promise.all(sids.map(async (sid, s) => {
      for (let i = 1; i <= m; i++) {
        const prompt = `bench ${s} ${i}`;
        const a = process.hrtime.bigint();
        const r = await post(proxy.port, { jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'codex', arguments: { prompt } } }, sid);
        lat.push(Number(process.hrtime.bigint() - a) / 1e6);
        if (!lib.answered(responseIn(r.body, i), prompt)) errors++;
      }
    }));
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpuS = lib.cpuSeconds(proxy.pid) - cpu0;
    const hwmKiB = lib.statusKiB(proxy.pid, 'VmHWM');
    await Promise.all(sids.map((sid) => new Promise((resolve) => {
      http.request({ host: '127.0.0.1', port: proxy.port, path: '/mcp', method: 'DELETE', agent, headers: { 'Mcp-Session-Id': sid } },
        (res) => { res.resume(); res.on('end', resolve); }).on('error', resolve).end();
    })));
    return { lat, wall, errors, hwmKiB: Math.max(hwmKiB, peakRss), cpuS };
  } finally {
    clearInterval(sampler);
    await proxy.stop();
    fs.rmSync(state, { recursive: true, force: true });
  }
}

// The same turns straight to a fake app-server on stdio, N in flight.
async function runDirect(n, m) {
  const state = fs.mkdtempSync(path.join(STATE_DIR, 'bench-direct-'));
  const child = spawn('node', [lib.FAKE, '--state', state], { stdio: ['pipe', 'pipe', 'inherit'] });
  const turns = new Map(); // thread id -> resolve (turn/completed)
  const texts = new Map(); // thread id -> last agent message
  const fake = lib.stdioRpc(child, {
    jsonrpc: false,
    onMessage: (msg) => {
      if (msg.method === 'item/completed' && msg.params.item.type === 'agentMessage') {
        texts.set(msg.params.threadId, msg.params.item.text);
      } else if (msg.method === 'turn/completed') {
        const w = turns.get(msg.params.threadId);
        turns.delete(msg.params.threadId);
        if (w) w(msg);
      }
    },
  });
  const request = fake.request;
  try {
    await request('initialize', { clientInfo: { name: 'bench', version: '0' } });
    fake.notify('initialized');
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
    p50ms: lib.quantile(sorted, 0.5), p99ms: lib.quantile(sorted, 0.99),
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
  console.log(`# ${TURNS} codex calls per session; ${os.cpus().length} CPUs; ${PROXY}; fake state in ${STATE_DIR}`);
  lib.printTable(head, cells);
  if (rows.some((r) => r.errors > 0)) process.exitCode = 1;
}

lib.run(main);
