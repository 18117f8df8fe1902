// Proves: --listen counts a host as loopback by the addresses it resolves to (127.0.0.0/8, ::1), not by its spelling, so a name like 127.example.com needs a token; and a loopback --listen without a token warns once at start who can use it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const WARNING = /no --auth-token-file: any local user can start turns.*local web page.*--allowed-hosts/g;

// Run the proxy on --listen spec without a token; it should exit at once.
function refused(dir, spec) {
  return spawnSync(h.PROXY, ['--listen', spec, '--upstream-cmd', h.fakeCommand('--state', dir)],
    { encoding: 'utf8', timeout: 10000 });
}

// Run the proxy on --listen spec without a token for a second, then stop it.
function started(dir, spec) {
  return spawnSync(h.PROXY, ['--listen', spec, '--upstream-cmd', h.fakeCommand('--state', dir)],
    { encoding: 'utf8', timeout: 1500, killSignal: 'SIGTERM' });
}

main(async () => {
  const dir = h.scratch('listen-loopback');

  for (const name of ['127.example.com', '127.0.0.1.example.com', '127.invalid']) {
    const r = refused(dir, `${name}:1`);
    is(r.status, 2, `--listen ${name}:PORT without a token: exit status 2`);
    like(r.stderr, new RegExp(`refusing to listen on ${name.replace(/\./g, '\\.')} without --auth-token-file`),
      `--listen ${name}:PORT: refused as not loopback, with the reason`);
  }

  // Loopback addresses, however spelt, start without a token, with the warning once.
  for (const host of ['127.0.0.1', 'localhost', '127.1', '[::1]']) {
    const r = started(dir, `${host}:0`);
    like(r.stderr, /serving MCP over HTTP/, `--listen ${host}:0 without a token: it serves`);
    is((r.stderr.match(WARNING) || []).length, 1, `--listen ${host}:0: one warning line saying who can start turns`);
  }

  // With a token there is nothing to warn about.
  const tokenFile = path.join(dir, 'token');
  fs.writeFileSync(tokenFile, 'tok-a1b2c3\n', { mode: 0o600 });
  const t = await h.httpProxy('loopback-token', { args: ['--auth-token-file', tokenFile] });
  is((t.stderr().match(WARNING) || []).length, 0, 'with --auth-token-file: no warning');
  like(t.stderr(), /serving MCP over HTTP/, 'and it serves');
});
