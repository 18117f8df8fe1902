// Proves: each dialect builds exactly the requests (method and params) the reviewed golden files in t/data/requests-*.golden say for every operation — thread start, resume, turn start with and without overrides, interrupt, list, archive, unarchive, read — and turns scripted replies into the right ids, plain data and error kinds (busy, not found, no rollout, unsupported, gone), with no app-server: the unit program runs the dialects against a stub upstream that records what they send (UPDATE_GOLDEN=1 rewrites the files).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ok, is, diag, main } = require('./lib/tap.js');
const { unitProgram, golden } = require('./lib/unit-program.js');

const TOP = process.env.TOP_SRCDIR || path.resolve(__dirname, '..');
const DATA = path.join(TOP, 't', 'data');

main(async () => {
  const prog = unitProgram('REQUESTS', 'requests');
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
    const { want, bad } = golden(gold, r.stdout);
    const got = r.stdout.split('\n');
    ok(want.length > 1 && bad.length === 0, `${dialect}: every request and outcome is as in ${path.basename(gold)} (${got.filter((l) => l.startsWith('  ->')).length} requests)`);
    for (const b of bad) diag(b);
    const ops = got.filter((l) => /^\S/.test(l)).length;
    const outcomes = got.filter((l) => l.startsWith('  <=')).length;
    is(outcomes, ops, `${dialect}: each of its ${ops} operations called back exactly once`);
  }
});
