// Proves: the official MCP conformance suite (0.1.16) passes against the HTTP proxy, every scenario but the ones t/conformance-expected-failures.yaml lists as not applying to a codex tools-only server.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ok, is, like, diag, main, skipAll } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const MODULES = h.MODULES;
const NODE22 = path.join(MODULES, 'node-22', 'bin', 'node');
const SUITE = path.join(MODULES, '@modelcontextprotocol', 'conformance');
const BASELINE = path.join(h.TOP, 't', 'conformance-expected-failures.yaml');
// The scenarios that apply to the proxy: they must be in the run and pass.
const APPLIES = ['server-initialize', 'logging-set-level', 'ping', 'tools-list', 'server-sse-multiple-streams', 'dns-rebinding-protection'];

// The baseline: scenario name → the reason in its comment.
function baseline() {
  const listed = new Map();
  let section = null;
  for (const line of fs.readFileSync(BASELINE, 'utf8').split('\n')) {
    let m;
    if ((m = /^(\w+):\s*(#.*)?$/.exec(line))) section = m[1];
    else if (section === 'server' && (m = /^\s+-\s+([\w.-]+)\s*(?:#\s*(.*))?$/.exec(line))) listed.set(m[1], m[2] || '');
  }
  return listed;
}

main(async () => {
  if (!fs.existsSync(NODE22)) skipAll('node 22 (npm node@22) is not installed in t/node_modules');
  const pkg = JSON.parse(fs.readFileSync(path.join(SUITE, 'package.json'), 'utf8'));
  const entry = path.join(SUITE, typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.conformance);
  is(pkg.version, '0.1.16', 'the conformance suite is version 0.1.16');

  const listed = baseline();
  const reasonless = [...listed].filter(([, why]) => why.trim() === '').map(([n]) => n);
  ok(listed.size > 0 && reasonless.length === 0, 'every scenario in the baseline gives its reason');
  if (reasonless.length) diag(`no reason: ${reasonless.join(', ')}`);
  ok(APPLIES.every((n) => !listed.has(n)), 'no applicable scenario is in the baseline');

  const p = await h.httpProxy('conformance');
  const run = await new Promise((resolve) => {
    const child = spawn(NODE22, [entry, 'server', '--url', p.url, '--expected-failures', BASELINE], {
      cwd: h.scratch('conformance-run'), env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 100000);
    child.on('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, out }); });
  });
  const out = run.out.replace(/\x1b\[[0-9;]*m/g, '');

  // One test point per scenario in the summary.
  const summary = out.slice(out.lastIndexOf('=== SUMMARY ==='));
  const seen = new Map();
  for (const line of summary.split('\n')) {
    const m = /^\s*([✓✗])\s+([\w.-]+):\s+(\d+) passed, (\d+) failed/.exec(line);
    if (m) seen.set(m[2], { passed: m[1] === '✓' && Number(m[4]) === 0, line: line.trim() });
  }
  ok(seen.size >= APPLIES.length + listed.size, 'the summary names every scenario (the applicable and the listed ones at least)');
  diag(`${seen.size} scenarios in the summary`);
  for (const [name, r] of seen) {
    if (listed.has(name)) {
      ok(!r.passed, `conformance ${name}: fails as the baseline says (${listed.get(name)})`);
    } else if (!ok(r.passed, `conformance ${name}: passes`)) {
      diag(r.line);
    }
  }
  for (const name of APPLIES) ok(seen.has(name), `the run included ${name}`);
  for (const name of listed.keys()) {
    if (!seen.has(name)) ok(false, `the baseline's ${name} is a scenario of the run`);
  }

  is({ code: run.code, signal: run.signal }, { code: 0, signal: null }, 'the conformance suite exited 0 with the baseline');
  ok(/Baseline check passed/.test(out), 'it says the baseline check passed');
  if (run.code !== 0) diag(out.split('\n').slice(-40).join('\n'));
  ok(p.child.exitCode === null && p.child.signalCode === null, 'the proxy survived the suite');
});
