// Proves: when the proxy runs out of file descriptors accepting HTTP connections it logs "Too many open files" once, does not spin, and serves again once connections close.
'use strict';
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const { ok, is, like, diag, skipAll, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const raw = require('./lib/raw-http.js');

const FD_LIMIT = 40;

// The CPU time the process has used, in seconds (utime + stime from /proc).
function cpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// How many lines of the log say the descriptors ran out.
function starvedLines(p) {
  return p.stderr().split('\n').filter((l) => /Too many open files/.test(l)).length;
}

if (spawnSync('prlimit', ['--version']).error) skipAll('prlimit is not installed');

main(async () => {
  const p = await h.httpProxy('accept-emfile');
  const lim = spawnSync('prlimit', ['--pid', String(p.pid), `--nofile=${FD_LIMIT}:${FD_LIMIT}`], { encoding: 'utf8' });
  is(lim.status, 0, `the proxy's descriptor limit is now ${FD_LIMIT}`);
  diag(`descriptors open before: ${fs.readdirSync(`/proc/${p.pid}/fd`).length}`);

  const conns = [];
  for (let i = 0; i < 2 * FD_LIMIT; i++) conns.push(await raw.connect(p.port));
  await h.waitUntil(() => starvedLines(p) > 0, 5000);
  is(starvedLines(p), 1, 'out of descriptors: one line of the log says "Too many open files"');
  like(p.stderr(), /cannot accept connections: Too many open files/, 'saying what failed');

  const before = cpuSeconds(p.pid);
  await h.sleep(2000);
  const used = cpuSeconds(p.pid) - before;
  ok(used < 0.5, `it does not spin: ${used.toFixed(2)} s of CPU in 2 s out of descriptors`);
  is(starvedLines(p), 1, 'and still says it only once');

  for (const c of conns) c.end();
  const r = await p.request('GET', '/healthz', { timeout: 5000 });
  is(r.status, 200, 'the connections closed: /healthz answers 200 again');
  like(p.stderr(), /accepting connections again/, 'and the log says it accepts again');
});
