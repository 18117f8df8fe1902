// Proves: the MCP conformance suite 0.2.0-alpha.12 (Node 22) passes against one running HTTP proxy, first with --requirements 2026-07-28 (the stateless wire: server/discover, the _meta envelope, header checks, 404 for removed methods) and then with --requirements 2025-11-25 (initialize and sessions), every scenario and check but the ones t/conformance-0.2-expected-failures.yaml lists, each with its reason, as not applying to a codex tools-only server.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ok, is, diag, main, skipAll } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const NODE22 = path.join(h.MODULES, 'node-22', 'bin', 'node');
const SUITE = path.join(h.MODULES, 'conformance-0.2');
const BASELINE = path.join(h.TOP, 't', 'conformance-0.2-expected-failures.yaml');
// Scenarios that apply to the proxy in each run: they must be in it and pass.
const APPLIES = {
  '2026-07-28': ['server-stateless', 'tools-list', 'server-sse-multiple-streams', 'dns-rebinding-protection', 'caching',
    'http-header-validation', 'http-custom-header-server-validation', 'input-required-result-unsupported-methods'],
  '2025-11-25': ['server-initialize', 'logging-set-level', 'ping', 'tools-list', 'server-sse-multiple-streams',
    'dns-rebinding-protection', 'server-session-lifecycle'],
};

// The baseline: entry (scenario or scenario:check) → the reason in its comment.
function baseline() {
  const listed = new Map();
  for (const line of fs.readFileSync(BASELINE, 'utf8').split('\n')) {
    const m = /^\s+-\s+([\w.:-]+)\s*(?:#\s*(.*))?$/.exec(line);
    if (m) listed.set(m[1], m[2] || '');
  }
  return listed;
}

// Run the suite for these requirements against url; {code, signal, out}.
function run(url, requirements, dir) {
  const entry = path.join(SUITE, 'dist', 'index.js');
  return new Promise((resolve) => {
    const child = spawn(NODE22, [entry, 'server', '--url', url, '--requirements', requirements,
      '--expected-failures', BASELINE, '-o', path.join(dir, requirements)], {
      cwd: dir, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120000);
    child.on('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, out: out.replace(/\x1b\[[0-9;]*m/g, '') }); });
  });
}

main(async () => {
  if (!fs.existsSync(NODE22)) skipAll('node 22 (npm node@22) is not installed in t/node_modules');
  const pkg = JSON.parse(fs.readFileSync(path.join(SUITE, 'package.json'), 'utf8'));
  is(pkg.version, '0.2.0-alpha.12', 'the conformance suite is version 0.2.0-alpha.12');
  const listed = baseline();
  const reasonless = [...listed].filter(([, why]) => why.trim() === '').map(([n]) => n);
  ok(listed.size > 0 && reasonless.length === 0, 'every entry of the baseline gives its reason');
  if (reasonless.length) diag(`no reason: ${reasonless.join(', ')}`);

  const p = await h.httpProxy('conformance-0.2');
  const dir = h.scratch('conformance-0.2-run');
  for (const req of ['2026-07-28', '2025-11-25']) {
    const r = await run(p.url, req, dir);
    const summary = r.out.slice(r.out.lastIndexOf('=== SUMMARY ==='));
    const seen = new Map();
    for (const line of summary.split('\n')) {
      const m = /^\s*([✓✗])\s+([\w.-]+):\s+(\d+) passed, (\d+) failed/.exec(line);
      if (m) seen.set(m[2], { passed: m[1] === '✓' && Number(m[4]) === 0, line: line.trim() });
    }
    ok(seen.size > APPLIES[req].length, `${req}: the summary names the scenarios (${seen.size})`);
    for (const name of APPLIES[req]) {
      ok(!listed.has(name), `${req}: ${name} is not in the baseline as a whole`);
      if (!ok(seen.get(name) && (seen.get(name).passed || [...listed.keys()].some((k) => k.startsWith(`${name}:`))),
        `${req}: ${name} ran and passed (but for the listed checks)`)) diag(seen.get(name) ? seen.get(name).line : 'not run');
    }
    is({ code: r.code, signal: r.signal }, { code: 0, signal: null }, `${req}: the suite exited 0 with the baseline`);
    ok(/Baseline check passed/.test(r.out), `${req}: it says the baseline check passed`);
    if (r.code !== 0) diag(r.out.split('\n').slice(-40).join('\n'));
  }
  ok(p.child.exitCode === null && p.child.signalCode === null, 'the proxy survived both runs');
});
