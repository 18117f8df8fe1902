// Proves: each dialect builds exactly the requests (method and params) the reviewed golden files in t/data/requests-*.golden say for every operation — thread start, resume, turn start with and without overrides, interrupt, list, archive, unarchive, read — and turns scripted replies into the right ids, plain data and error kinds (busy, not found, no rollout, unsupported, gone), with no app-server: the unit program runs the dialects against a stub upstream that records what they send (UPDATE_GOLDEN=1 rewrites the files).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ok, is, diag, main } = require('./lib/tap.js');

const TOP = process.env.TOP_SRCDIR || path.resolve(__dirname, '..');
const DATA = path.join(TOP, 't', 'data');

// The unit program: $REQUESTS, else beside the proxy's build directory, else in the source tree.
function program() {
  if (process.env.REQUESTS) return process.env.REQUESTS;
  const where = [];
  if (process.env.PROXY) where.push(path.join(path.dirname(path.dirname(process.env.PROXY)), 't', 'unit', 'requests'));
  where.push(path.join(TOP, 't', 'unit', 'requests'));
  return where.find((p) => fs.existsSync(p)) || where[0];
}

// The first lines where two outputs differ, as diagnostics.
function differences(want, got) {
  const bad = [];
  for (let i = 0; i < Math.max(want.length, got.length) && bad.length < 8; i++) {
    if (want[i] !== got[i]) bad.push(`line ${i + 1}:\n  want ${want[i]}\n  got  ${got[i]}`);
  }
  return bad;
}

main(async () => {
  const prog = program();
  if (!ok(fs.existsSync(prog), `the unit program is built: ${prog}`)) return;
  const usage = spawnSync(prog, ['v3'], { encoding: 'utf8' });
  ok(usage.status === 2 && /usage/.test(usage.stderr), 'a dialect other than v1 or v2 is a usage error');
  for (const dialect of ['v1', 'v2']) {
    const r = spawnSync(prog, [dialect], { encoding: 'utf8' });
    // The one thing on stderr may be the log line of the rollout it could not read.
    const noise = r.stderr.split('\n').filter((l) => l !== '' && !/warning: rollout_each: \/nonexistent\//.test(l));
    if (!ok(r.status === 0 && noise.length === 0, `${dialect}: the unit program runs cleanly`)) {
      diag(`status ${r.status} ${r.error || ''}\n${r.stderr}`);
      continue;
    }
    const gold = path.join(DATA, `requests-${dialect}.golden`);
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(gold, r.stdout);
    const want = fs.readFileSync(gold, 'utf8').split('\n');
    const got = r.stdout.split('\n');
    const bad = differences(want, got);
    ok(bad.length === 0, `${dialect}: every request and outcome is as in ${path.basename(gold)} (${want.filter((l) => l.startsWith('  ->')).length} requests)`);
    for (const b of bad) diag(b);
    const ops = want.filter((l) => /^\S/.test(l)).length;
    const outcomes = want.filter((l) => l.startsWith('  <=')).length;
    is(outcomes, ops, `${dialect}: each of its ${ops} operations called back exactly once`);
  }
});
