#!/usr/bin/env node
// What redaction costs on text dense with secret-looking pairs: one `codex`
// call through the stdio proxy against the scripted fake app-server, whose
// prompt is N lines of "key: vI" (each one a value to hide), with --trace
// FILE -vv (the trace and the log redact every message) and, side by side,
// without (nothing is redacted). Per N: the call's wall time in each mode,
// their ratio, and the proxy's CPU time for the call. Quadratic redaction
// shows as a ratio that grows with N; linear keeps it flat.
//
// Usage: node bench/redact-dense.js [--pairs 2000,16000,64000] [--proxy PATH] [--json]
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const lib = require('./lib.js');

const opt = lib.options('node bench/redact-dense.js [--pairs 2000,16000,64000] [--proxy PATH] [--json]', {
  pairs: { type: 'string', default: '2000,16000,64000' },
});
const PROXY = lib.proxyPath(opt.proxy);
const PAIRS = opt.pairs.split(',').map(Number);
const STATE_BASE = lib.tmpfsDir();

// One call of n pairs on a fresh proxy, traced or not: wall ms and CPU ms.
async function once(n, traced) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redact-bench-'));
  const state = fs.mkdtempSync(path.join(STATE_BASE, 'redact-bench-state-'));
  const args = traced ? ['--trace', path.join(dir, 'trace.jsonl'), '-vv', '--log-file', path.join(dir, 'log')] : [];
  const proxy = lib.spawnProxy(PROXY, args, state);
  const p = { ...proxy, ...lib.stdioRpc(proxy.child) };
  try {
    const init = await p.request('initialize', lib.initializeParams('bench'));
    if (!init.result) throw new Error(`initialize: ${JSON.stringify(init)}`);
    p.notify('notifications/initialized');
    const prompt = Array.from({ length: n }, (_, i) => `key: v${i}`).join('\n');
    const cpu0 = lib.cpuSeconds(p.pid);
    const t0 = process.hrtime.bigint();
    const r = await p.request('tools/call', { name: 'codex', arguments: { prompt } });
    const wall = Number(process.hrtime.bigint() - t0) / 1e6;
    const cpu = (lib.cpuSeconds(p.pid) - cpu0) * 1e3;
    if (!lib.answered(r, prompt)) throw new Error(`a wrong answer: ${JSON.stringify(r).slice(0, 300)}`);
    await p.close();
    return { wall, cpu, bytes: prompt.length };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(state, { recursive: true, force: true });
  }
}

async function main() {
  const rows = [];
  for (const n of PAIRS) {
    const plain = await once(n, false);
    const traced = await once(n, true);
    rows.push({ pairs: n, bytes: plain.bytes, plainMs: plain.wall, tracedMs: traced.wall, ratio: traced.wall / plain.wall, tracedCpuMs: traced.cpu });
  }
  if (opt.json) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  console.log(`# one codex call of N "key: vI" lines; ${os.cpus().length} CPUs; ${PROXY}`);
  lib.printTable(['pairs', 'prompt B', 'no trace ms', '--trace -vv ms', 'ratio', 'traced proxy CPU ms'],
    rows.map((r) => [r.pairs, r.bytes, r.plainMs.toFixed(0), r.tracedMs.toFixed(0), r.ratio.toFixed(1), r.tracedCpuMs.toFixed(0)].map(String)));
}

lib.run(main);
