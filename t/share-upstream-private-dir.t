// Proves: --share-upstream refuses to start (status 1, one line saying why) when its runtime directory is not private (mode 0755), rather than put the app-server's socket where others could reach it; a private one is made 0700.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const runtime = h.scratch('runtime');
  const top = path.join(runtime, `codex-mcp-proxy-${process.getuid()}`);
  fs.mkdirSync(top, { mode: 0o755 });
  fs.chmodSync(top, 0o755);
  const env = h.childEnv({ XDG_RUNTIME_DIR: runtime, CODEX_HOME: h.scratch('home') });
  const r = spawnSync(h.PROXY, ['--share-upstream', '--upstream-cmd', 'false'], { encoding: 'utf8', input: '', timeout: 10000, env });
  is(r.status, 1, 'status 1');
  const lines = r.stderr.trim().split('\n');
  is(lines.length, 1, 'one line on stderr');
  like(lines[0], new RegExp(`--share-upstream: ${top.replace(/[.]/g, '\\.')} is not a private directory of ours \\(it must be 0700, owned by uid \\d+\\)$`), 'it names the directory and what it must be');
  is(fs.readdirSync(top).length, 0, 'nothing was put in it');
});
