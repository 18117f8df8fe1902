// Proves: an operand on the command line (the proxy takes none) exits 2 with a line naming the first one, then the usage, on stderr, before any app-server is started.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const dir = h.scratch('operand');
  const started = path.join(dir, 'started');
  const usage = spawnSync(h.PROXY, ['-h'], { encoding: 'utf8' }).stdout;
  for (const args of [['foo'], ['-v', 'foo', 'bar'], ['--upstream-cmd', `touch '${started}'`, '--', '--api']]) {
    const r = spawnSync(h.PROXY, args, { encoding: 'utf8', input: '', timeout: 5000 });
    const bad = args[args.length - 1] === '--api' ? '--api' : 'foo';
    const name = args.join(' ').split(dir).join('DIR');
    is(r.status, 2, `${name}: exits 2`);
    is(r.stderr.split('\n')[0], `codex-mcp-proxy: unexpected operand '${bad}'`, `${name}: the first line names the operand '${bad}'`);
    is(r.stderr.split('\n').slice(1).join('\n'), usage, `${name}: then comes the usage`);
    is(r.stdout, '', `${name}: nothing on stdout`);
  }
  ok(!fs.existsSync(started), 'no app-server was started');
});
