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
const lib = require('./lib.js');

const opt = lib.options('node bench/trace-overhead.js [--calls 2000] [--concurrency 4] [--rounds 3] [--words 12] [--dir DIR] [--proxy PATH] [--json]', {
  calls: { type: 'string', default: '2000' },
  concurrency: { type: 'string', default: '4' },
  rounds: { type: 'string', default: '3' },
  words: { type: 'string', default: '12' },
  dir: { type: 'string' },
});
const PROXY = lib.proxyPath(opt.proxy);
const CALLS = Number(opt.calls);
const CONC = Number(opt.concurrency);
const ROUNDS = Number(opt.rounds);
const WORDS = Number(opt.words);
const WARMUP = Math.min(100, CALLS);
const BASE = opt.dir ? path.resolve(opt.dir) : os.tmpdir();
// The fake keeps a file per thread: on tmpfs, so that its disk work does not drown the proxy's.
const STATE_BASE = lib.tmpfsDir();
const MODES = [
  { name: 'off', args: () => [] },
  { name: 'trace', args: (f) => ['--trace', f] },
  { name: 'no-deltas', args: (f) => ['--trace', f, '--trace-level', 'no-deltas'] },
];

// The proxy on stdio with these options: request(method, params),
// notify(method), close(), pid and stderr().
function startProxy(args, state) {
  const proxy = lib.spawnProxy(PROXY, args, state);
  const rpc = lib.stdioRpc(proxy.child, { exitMessage: (e) => `the proxy exited ${JSON.stringify(e)}:\n${proxy.stderr()}` });
  return { ...proxy, ...rpc };
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
      if (!lib.answered(r, prompt)) errors++;
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
    const init = await p.request('initialize', lib.initializeParams('bench'));
    if (!init.result) throw new Error(`initialize: ${JSON.stringify(init)}`);
    p.notify('notifications/initialized');
    const warm = await calls(p, WARMUP, CONC, `warm${round}`);
    await new Promise((resolve) => setTimeout(resolve, 120)); // the warm-up's trace flushed
    const size0 = fs.existsSync(file) ? fs.statSync(file).size : 0;
    const cpu0 = lib.cpuSeconds(p.pid);
    const t0 = process.hrtime.bigint();
    const r = await calls(p, CALLS, CONC, `r${round}`);
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = lib.cpuSeconds(p.pid) - cpu0;
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
      callsPerS: lib.median(rs.map((r) => CALLS / r.wall)),
      p50ms: lib.quantile(lat, 0.5),
      p99ms: lib.quantile(lat, 0.99),
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
    console.log(`# ${ROUNDS} rounds x ${CALLS} codex calls, ${CONC} in flight, ${WORDS + 2}-word answers; ` +
      `${os.cpus().length} CPUs; ${PROXY}; traces in ${BASE}, fake state in ${STATE_BASE}`);
    lib.printTable(head, cells);
  }
  if (rows.some((r) => r.errors > 0)) process.exitCode = 1;
}

lib.run(main);
