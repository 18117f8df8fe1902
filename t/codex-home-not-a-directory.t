// Proves: with CODEX_HOME a regular file, real codex 0.169 fails to start and the call's error quotes codex's own "Error: ..." line, not the backtrace frame it prints last.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const dir = h.scratch('homefile');
  const home = path.join(dir, 'codex-home');
  fs.writeFileSync(home, 'not a directory\n');
  const p = new h.RawProxy({ args: ['--upstream-cmd', h.codexCommand('0.169')], env: { HOME: dir, CODEX_HOME: home } });
  await p.initialize();
  const r = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'hello' } }, 60000);
  ok(r.result && r.result.isError === true, 'the call is an isError result');
  like(h.textOf(r.result), /^the codex app-server failed to start: it exited with status 1 /, 'saying codex failed to start');
  like(h.textOf(r.result), /\(last stderr: Error: CODEX_HOME points to "[^"]*codex-home", but that path is not a directory\)$/, "with codex's error line");
});
