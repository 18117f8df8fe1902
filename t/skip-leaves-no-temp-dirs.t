// Proves: a test file that skips (tap.skipAll, e.g. codexCommand() of a codex release not installed) after it made scratch directories prints a TAP skip plan, exits 0 and leaves none of those directories behind.
'use strict';
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// A test body that makes two scratch directories, says where, then skips.
const BODY = `
const { main } = require(${JSON.stringify(`${h.TOP}/t/lib/tap.js`)});
const h = require(${JSON.stringify(`${h.TOP}/t/lib/harness.js`)});
main(async () => {
  console.log('# made ' + h.scratch('skipped-a'));
  console.log('# made ' + h.scratch('skipped-b'));
  h.codexCommand('0.0-not-installed');
});
`;

main(async () => {
  const run = spawnSync(process.execPath, ['-e', BODY], { encoding: 'utf8', env: { ...process.env, TOP_SRCDIR: h.TOP } });
  is(run.status, 0, 'the skipped test exits 0');
  like(run.stdout, /^1\.\.0 # SKIP codex 0\.0-not-installed is not installed/m, 'with a TAP skip plan');
  const made = [...run.stdout.matchAll(/^# made (\S+)$/gm)].map((m) => m[1]);
  is(made.length, 2, 'it had made two scratch directories');
  ok(made.length === 2 && made.every((d) => !fs.existsSync(d)), `none is left behind (${made.join(', ')})`);
});
