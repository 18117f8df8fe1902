#!/usr/bin/env node
// What the traffic trace costs on the hot path: many fast `codex` tool calls
// through the stdio proxy against the scripted fake app-server
// (t/lib/fake-appserver.js, instant answers, one agentMessage delta per word
// of the answer), in three modes:
//
//   off         no --trace
//   trace       --trace FILE
//   no-deltas   --trace FILE --trace-level no-deltas
//
// Each round starts a fresh proxy per mode (the modes take turns, so drift
// hits them alike), initializes, warms up, then times --calls calls with
// --concurrency of them in flight. Per mode: calls/s (median of the rounds),
// p50/p99 latency of one call (all rounds pooled), the proxy's own CPU time
// per call (utime+stime from /proc/PID/stat over the timed calls; the fake
// and the client are not counted) and the trace written per call.
//
// Usage: node bench/trace-overhead.js [--calls 2000] [--concurrency 4]
//          [--rounds 3] [--words 12] [--dir DIR] [--proxy PATH] [--json]
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { parseArgs } = require('node:util');

const TOP = process.env.TOP_SRCDIR || path.resolve(__dirname, '..');
const FAKE = path.join(TOP, 't', 'lib', 'fake-appserver.js');
const { values: opt } = parseArgs({
  options: {
    calls: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
    words: { type: 'string', default: '12' },
    dir: { type: 'string' },
    proxy: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  console.log('usage: node bench/trace-overhead.js [--calls 2000] [--concurrency 4] [--rounds 3] [--words 12] [--dir DIR] [--proxy PATH] [--json]');
  process.exit(0);
}
const PROXY = path.resolve(opt.proxy || process.env.PROXY || path.join(TOP, 'src', 'codex-mcp-proxy'));
const CALLS = Number(opt.calls);
const CONC = Number(opt.concurrency);
const ROUNDS = Number(opt.rounds);
const WORDS = Number(opt.words);
const WARMUP = Math.min(100, CALLS);
const TICK = 100; // sysconf(_SC_CLK_TCK) on Linux
const BASE = opt.dir ? path.resolve(opt.dir) : os.tmpdir();
// The fake keeps a file per thread: on tmpfs, so that its disk work does not drown the proxy's.
const STATE_BASE = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
const MODES = [
  { name: 'off', args: () => [] },
  { name: 'trace', args: (f) => ['--trace', f] },
  { name: 'no-deltas', args: (f) => ['--trace', f, '--trace-level', 'no-deltas'] },
];

// Quote a word for /bin/sh.
const sh = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

// The q-quantile (0..1) of sorted numbers, nearest rank.
function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

// The median of numbers.
function median(xs) {
  return quantile(xs.slice().sort((a, b) => a - b), 0.5);
}

// CPU seconds (user + system) of pid so far.
function cpuOf(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICK;
}

// The proxy on stdio with these options: request(method, params) and close().
function startProxy(args, state) {
  const upstream = ['node', FAKE, '--state', state].map(sh).join(' ');
  const child = spawn(PROXY, [...args, '--upstream-cmd', upstream], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const waiting = new Map();
  let nextId = 1;
  let buf = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const msg = JSON.parse(line);
      const w = msg.method === undefined ? waiting.get(msg.id) : undefined;
      if (w) {
        waiting.delete(msg.id);
        w(msg);
      }
    }
  });
  exited.then((e) => {
    for (const w of waiting.values()) w({ error: { message: `the proxy exited ${JSON.stringify(e)}:\n${stderr}` } });
  });
  return {
    pid: child.pid,
    request(method, params) {
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      });
    },
    notify(method) {
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method })}\n`);
    },
    async close() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      const e = await exited;
      clearTimeout(timer);
      return e;
    },
    stderr: () => stderr,
  };
}

// n calls, conc in flight; latencies (ms) and the number of wrong answers.
async function calls(p, n, conc, tag) {
  const lat = [];
  let errors = 0;
  let next = 0;
  const words = Array.from({ length: WORDS }, (_, i) => `w${i}`).join(' ');
  await Promise.all(Array.from({ length: conc }, async () => {
    while (next < n) {
      const i = next++;
      const prompt = words ? `${tag} ${i} ${words}` : `${tag} ${i}`;
      const a = process.hrtime.bigint();
      const r = await p.request('tools/call', { name: 'codex', arguments: { prompt } });
      lat.push(Number(process.hrtime.bigint() - a) / 1e6);
      const text = r.result && !r.result.isError && r.result.content[0].text;
      if (text !== `You said: ${prompt}`) errors++;
    }
  }));
  return { lat, errors };
}

// One mode, one round: a fresh proxy (and fake), warm-up, the timed calls.
async function runMode(mode, round) {
  const dir = fs.mkdtempSync(path.join(BASE, `trace-bench-${mode.name}-`));
  const state = fs.mkdtempSync(path.join(STATE_BASE, 'trace-bench-state-'));
  const file = path.join(dir, 'trace.jsonl');
  const p = startProxy(mode.args(file), state);
  try {
    const init = await p.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '0' } });
    if (!init.result) throw new Error(`initialize: ${JSON.stringify(init)}`);
    p.notify('notifications/initialized');
    const warm = await calls(p, WARMUP, CONC, `warm${round}`);
    await new Promise((resolve) => setTimeout(resolve, 120)); // the warm-up's trace flushed
    const size0 = fs.existsSync(file) ? fs.statSync(file).size : 0;
    const cpu0 = cpuOf(p.pid);
    const t0 = process.hrtime.bigint();
    const r = await calls(p, CALLS, CONC, `r${round}`);
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = cpuOf(p.pid) - cpu0;
    await new Promise((resolve) => setTimeout(resolve, 120)); // the trace timer flushes every 50 ms
    const bytes = (fs.existsSync(file) ? fs.statSync(file).size : 0) - size0;
    const exit = await p.close();
    const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').length - 1 : 0;
    if (exit.code !== 0) throw new Error(`the proxy exited ${JSON.stringify(exit)}:\n${p.stderr()}`);
    return { ...r, errors: r.errors + warm.errors, wall, cpu, bytes, lines };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(state, { recursive: true, force: true });
  }
}

async function main() {
  const runs = Object.fromEntries(MODES.map((m) => [m.name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const mode of MODES) runs[mode.name].push(await runMode(mode, round));
  }
  const rows = MODES.map((m) => {
    const rs = runs[m.name];
    const lat = rs.flatMap((r) => r.lat).sort((a, b) => a - b);
    const cpu = rs.reduce((s, r) => s + r.cpu, 0);
    const n = CALLS * rs.length;
    return {
      mode: m.name,
      calls: n,
      errors: rs.reduce((s, r) => s + r.errors, 0),
      callsPerS: median(rs.map((r) => CALLS / r.wall)),
      p50ms: quantile(lat, 0.5),
      p99ms: quantile(lat, 0.99),
      cpuUsPerCall: (cpu / n) * 1e6,
      traceBytesPerCall: rs.reduce((s, r) => s + r.bytes, 0) / n,
      traceLinesPerCall: rs.reduce((s, r) => s + r.lines, 0) / (n + WARMUP * rs.length),
    };
  });
  if (opt.json) {
    console.log(JSON.stringify(rows, null, 2));
  } else {
    const head = ['mode', 'calls', 'errors', 'calls/s', 'p50 ms', 'p99 ms', 'proxy CPU us/call', 'trace B/call', 'trace lines/call'];
    const cells = rows.map((r) => [
      r.mode, r.calls, r.errors, r.callsPerS.toFixed(0), r.p50ms.toFixed(2), r.p99ms.toFixed(2),
      r.cpuUsPerCall.toFixed(0), r.traceBytesPerCall.toFixed(0), r.traceLinesPerCall.toFixed(1),
    ].map(String));
    const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    const line = (c) => c.map((x, i) => (i === 0 ? x.padEnd(width[i]) : x.padStart(width[i]))).join('  ');
    console.log(`# ${ROUNDS} rounds x ${CALLS} codex calls, ${CONC} in flight, ${WORDS + 2}-word answers; ` +
      `${os.cpus().length} CPUs; ${PROXY}; traces in ${BASE}, fake state in ${STATE_BASE}`);
    console.log(line(head));
    for (const c of cells) console.log(line(c));
  }
  if (rows.some((r) => r.errors > 0)) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(2);
});
