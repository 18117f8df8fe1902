#!/usr/bin/env node
// What an answer and the thread table cost the proxy in memory. Against the
// scripted fake app-server (t/lib/fake-appserver.js):
//
//   flood   for each size S, a fresh stdio proxy answers one `codex` call
//           whose turn streams S bytes of deltas ([[flood:S]]: é€😀 and a
//           space repeated, 64 KiB a delta) and sends no final agent message;
//   ids     a fresh stdio proxy answers --ids `codex-reply` calls with random
//           unknown threadIds (each fails: codex has no such thread),
//           --concurrency of them in flight.
//
// Per case: the proxy's RSS before (VmRSS after initialize), its peak RSS
// (VmHWM from /proc/PID/status once the answers are in), for flood the
// size of the result line the client got and the answer it held, for ids
// the RSS after. "codex sent B" is what the proxy's cut note counts, else the
// size asked. The client reads everything at once (a slow client is not
// simulated). See bench/README.md.
//
// Usage: node bench/answer-memory.js [--sizes 50000000,300000000]
//          [--ids 100000] [--concurrency 64] [--max-answer BYTES]
//          [--state-dir DIR] [--proxy PATH] [--json]
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const lib = require('./lib.js');

const opt = lib.options('node bench/answer-memory.js [--sizes 50000000,300000000] [--ids 100000] [--concurrency 64] [--max-answer BYTES] [--state-dir DIR] [--proxy PATH] [--json]', {
  sizes: { type: 'string', default: '50000000,300000000' },
  ids: { type: 'string', default: '100000' },
  concurrency: { type: 'string', default: '64' },
  'max-answer': { type: 'string' },
  'state-dir': { type: 'string' },
});
const PROXY = lib.proxyPath(opt.proxy);
const SIZES = opt.sizes.split(',').map(Number).filter((n) => n > 0);
const IDS = Number(opt.ids);
const CONC = Number(opt.concurrency);
const ARGS = opt['max-answer'] ? ['--max-answer', opt['max-answer']] : [];
const STATE_DIR = opt['state-dir'] || lib.tmpfsDir();
const KEEP = 4096; // bytes kept of each end of a long stdout line
const MiB = (kib) => (kib / 1024).toFixed(1);

// The proxy's stdout as lines, without holding a long one whole (a 300 MB
// answer would not fit in a JavaScript string): each line's size, its head
// and its tail; onLine({size, head, tail}) gets them.
function lineReader(child, onLine) {
  let size = 0;
  let head = [];
  let headLen = 0;
  let tail = Buffer.alloc(0);
  const take = (piece) => {
    size += piece.length;
    if (headLen < KEEP) {
      head.push(piece.subarray(0, KEEP - headLen));
      headLen += Math.min(piece.length, KEEP - headLen);
    }
    tail = Buffer.concat([tail, piece.subarray(Math.max(0, piece.length - KEEP))]);
    tail = tail.subarray(Math.max(0, tail.length - KEEP));
  };
  child.stdout.on('data', (d) => {
    let start = 0;
    let i;
    while ((i = d.indexOf(10, start)) >= 0) {
      take(d.subarray(start, i));
      onLine({ size, head: Buffer.concat(head).toString('utf8'), tail: tail.toString('utf8') });
      size = 0;
      head = [];
      headLen = 0;
      tail = Buffer.alloc(0);
      start = i + 1;
    }
    if (start < d.length) take(d.subarray(start));
  });
}

// A fresh proxy with JSON-RPC requests whose answers may be long lines:
// request(method, params) resolves with {size, head, tail, msg} (msg parsed
// when the line is short enough to be whole in head).
async function startProxy(state) {
  const proxy = lib.spawnProxy(PROXY, ARGS, state);
  const waiting = new Map();
  let nextId = 1;
  lineReader(proxy.child, (line) => {
    const m = /^\{"jsonrpc":"2\.0","id":(\d+),"(?:result|error)"/.exec(line.head);
    if (!m || !waiting.has(Number(m[1]))) return;
    if (line.size <= KEEP) line.msg = JSON.parse(line.head);
    waiting.get(Number(m[1]))(line);
    waiting.delete(Number(m[1]));
  });
  proxy.child.on('exit', () => {
    for (const w of waiting.values()) w({ size: 0, head: '', tail: '', error: `the proxy exited:\n${proxy.stderr()}` });
  });
  proxy.request = (method, params) => new Promise((resolve) => {
    const id = nextId++;
    waiting.set(id, resolve);
    proxy.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
  });
  const init = await proxy.request('initialize', lib.initializeParams('answer-memory'));
  if (!init.msg || !init.msg.result) throw new Error(`initialize failed: ${init.head || init.error}`);
  proxy.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  return proxy;
}

// One turn streaming size bytes: the row for it.
async function flood(size) {
  const state = fs.mkdtempSync(path.join(STATE_DIR, 'answer-memory-'));
  try {
    const proxy = await startProxy(state);
    const before = lib.statusKiB(proxy.pid, 'VmRSS');
    const t0 = Date.now();
    const r = await proxy.request('tools/call', { name: 'codex', arguments: { prompt: `[[flood:${size}]]` } });
    const secs = (Date.now() - t0) / 1000;
    const peak = lib.statusKiB(proxy.pid, 'VmHWM');
    await proxy.close();
    if (r.error) throw new Error(r.error);
    const cut = /answer cut at (\d+) of (\d+) bytes/.exec(r.tail);
    return {
      case: `flood ${size}`, sent: cut ? Number(cut[2]) : size, line: r.size, kept: cut ? Number(cut[1]) : null,
      rssBefore: before, peak, rssAfter: null, secs, failed: null,
    };
  } finally {
    fs.rmSync(state, { recursive: true, force: true });
  }
}

// IDS codex-reply calls with random unknown threadIds: the row for them.
async function unknownIds() {
  const state = fs.mkdtempSync(path.join(STATE_DIR, 'answer-memory-'));
  try {
    const proxy = await startProxy(state);
    const before = lib.statusKiB(proxy.pid, 'VmRSS');
    const t0 = Date.now();
    let started = 0;
    let unknown = 0;
    const worker = async () => {
      while (started < IDS) {
        started++;
        const r = await proxy.request('tools/call', { name: 'codex-reply', arguments: { threadId: crypto.randomUUID(), prompt: 'hello' } });
        if (/unknown threadId/.test(r.head)) unknown++;
      }
    };
    await Promise.all(Array.from({ length: CONC }, worker));
    const secs = (Date.now() - t0) / 1000;
    const after = lib.statusKiB(proxy.pid, 'VmRSS');
    const peak = lib.statusKiB(proxy.pid, 'VmHWM');
    await proxy.close();
    return {
      case: `ids ${IDS}`, sent: null, line: null, kept: null, rssBefore: before, peak, rssAfter: after, secs,
      failed: IDS - unknown,
    };
  } finally {
    fs.rmSync(state, { recursive: true, force: true });
  }
}

lib.run(async () => {
  const rows = [];
  for (const size of SIZES) rows.push(await flood(size));
  if (IDS > 0) rows.push(await unknownIds());
  if (opt.json) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  const dash = (x, f) => (x === null ? '-' : f(x));
  lib.printTable(
    ['case', 'codex sent B', 'result line B', 'answer kept B', 'RSS before MiB', 'peak RSS MiB', 'RSS after MiB', 's', 'not unknown'],
    rows.map((r) => [
      r.case, dash(r.sent, String), dash(r.line, String), dash(r.kept, String), MiB(r.rssBefore), MiB(r.peak),
      dash(r.rssAfter, MiB), r.secs.toFixed(1), dash(r.failed, String),
    ]),
  );
  if (rows.some((r) => r.failed)) process.exit(1);
});
