// What the benchmarks share: their command line, the proxy started on the
// scripted fake app-server, JSON-RPC over a child's stdio, the statistics,
// the numbers of /proc/PID and the table they print.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { parseArgs } = require('node:util');

const TOP = process.env.TOP_SRCDIR || path.resolve(__dirname, '..');
const FAKE = path.join(TOP, 't', 'lib', 'fake-appserver.js');
const TICK = 100; // sysconf(_SC_CLK_TCK) on Linux

// The options (spec plus --proxy, --json and --help); --help prints usage and exits.
function options(usage, spec) {
  const { values } = parseArgs({
    options: {
      ...spec,
      proxy: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(`usage: ${usage}`);
    process.exit(0);
  }
  return values;
}

// The proxy to measure: --proxy, else $PROXY, else the one built in src/.
function proxyPath(given) {
  return path.resolve(given || process.env.PROXY || path.join(TOP, 'src', 'codex-mcp-proxy'));
}

// Where the fake app-servers keep their thread files: a tmpfs if there is
// one, so that the disk does not set the pace.
function tmpfsDir() {
  return fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
}

const { freePort } = require('../t/lib/port.js');

// Quote a word for /bin/sh.
const sh = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

// The shell command that runs the fake app-server with its state in state.
function fakeUpstream(state) {
  return ['node', FAKE, '--state', state].map(sh).join(' ');
}

// The proxy (at proxy) with these options before a fake app-server keeping
// its state in state: child, pid, exited (a promise of {code, signal}),
// stderr(), and two ways to end it, each waiting for the exit (SIGKILL after
// 10 s): stop() sends SIGTERM, close() closes its stdin.
function spawnProxy(proxy, args, state, stdio = ['pipe', 'pipe', 'pipe']) {
  const child = spawn(proxy, [...args, '--upstream-cmd', fakeUpstream(state)], { stdio });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const running = () => child.exitCode === null && child.signalCode === null;
  const end = async (how) => {
    how();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
    const e = await exited;
    clearTimeout(timer);
    return e;
  };
  return {
    child,
    pid: child.pid,
    exited,
    running,
    stderr: () => stderr,
    stop: () => end(() => { if (running()) child.kill('SIGTERM'); }),
    close: () => end(() => child.stdin.end()),
  };
}

// JSON-RPC over a child's stdin and stdout, one message a line (with
// "jsonrpc": "2.0" unless jsonrpc is false, as the app-server speaks it):
// request(method, params) resolves with the response (with an error if the
// child exits first), notify(method, params); onMessage(msg) gets every other
// message. Lines that are not JSON objects are passed over.
function stdioRpc(child, { jsonrpc = true, onMessage = () => {}, exitMessage = (e) => `exited ${JSON.stringify(e)}` } = {}) {
  const waiting = new Map(); // request id -> resolve
  let nextId = 1;
  let parts = []; // the line so far, as Buffers: a long one is scanned once
  const send = (msg) => child.stdin.write(`${JSON.stringify(jsonrpc ? { jsonrpc: '2.0', ...msg } : msg)}\n`);
  child.stdout.on('data', (d) => {
    let start = 0;
    let i;
    while ((i = d.indexOf(10, start)) >= 0) {
      parts.push(d.subarray(start, i));
      const line = Buffer.concat(parts).toString('utf8');
      parts = [];
      start = i + 1;
      if (!line.startsWith('{')) continue;
      const msg = JSON.parse(line);
      const w = msg.method === undefined ? waiting.get(msg.id) : undefined;
      if (w) {
        waiting.delete(msg.id);
        w(msg);
      } else {
        onMessage(msg);
      }
    }
    if (start < d.length) parts.push(d.subarray(start));
  });
  child.on('exit', (code, signal) => {
    for (const w of waiting.values()) w({ error: { message: exitMessage({ code, signal }) } });
    waiting.clear();
  });
  return {
    request(method, params) {
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        send({ id, method, params });
      });
    },
    notify(method, params) {
      send({ method, params });
    },
  };
}

// The params of an MCP initialize from client name.
function initializeParams(name) {
  return { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name, version: '0' } };
}

// Is res (a JSON-RPC response to a `codex` call) the fake's answer to prompt?
function answered(res, prompt) {
  const text = res && res.result && !res.result.isError && res.result.content[0].text;
  return text === `You said: ${prompt}`;
}

// The q-quantile (0..1) of sorted numbers, nearest rank.
function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

// The median of numbers.
function median(xs) {
  return quantile(xs.slice().sort((a, b) => a - b), 0.5);
}

// CPU seconds (user + system) of pid so far, from /proc/PID/stat.
function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICK;
}

// A field of /proc/PID/status in KiB (VmHWM: peak RSS, VmRSS: RSS now).
function statusKiB(pid, field) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number((new RegExp(`${field}:\\s+(\\d+)`).exec(status) || [])[1]);
}

// Print a table: head (the column names) and cells (rows of strings), the
// first column left-aligned, the others right-aligned.
function printTable(head, cells) {
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((x, i) => (i === 0 ? x.padEnd(width[i]) : x.padStart(width[i]))).join('  ');
  console.log(line(head));
  for (const c of cells) console.log(line(c));
}

// Run main(); a failure prints its stack and exits 2.
function run(main) {
  main().catch((e) => {
    console.error(e && e.stack ? e.stack : e);
    process.exit(2);
  });
}

module.exports = {
  FAKE, options, proxyPath, tmpfsDir, freePort, fakeUpstream, spawnProxy, stdioRpc,
  initializeParams, answered, quantile, median, cpuSeconds, statusKiB, printTable, run,
};
