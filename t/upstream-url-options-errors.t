// Proves: a wrong --upstream URL or an option for a listening app-server that cannot work stops the proxy at once with status 2 and one line saying why: an unknown scheme, a bad port, an empty unix path, --upstream given twice, --upstream-token-file and --upstream-secret-file together, either without a URL, a token file that is missing or blank, --upstream-ca or --upstream-insecure without wss://, --upstream-issuer or --upstream-audience without --upstream-secret-file.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const dir = h.scratch('url-options');
  const token = path.join(dir, 'token');
  const blank = path.join(dir, 'blank');
  fs.writeFileSync(token, 'tok\n');
  fs.writeFileSync(blank, '  \n');
  const ws = ['--upstream', 'ws://127.0.0.1:9'];
  const cases = [
    [['--upstream', 'http://127.0.0.1:80'], /--upstream http:\/\/127.0.0.1:80: not unix:\/\/PATH, ws:\/\/HOST:PORT or wss:\/\/HOST:PORT$/],
    [['--upstream', 'ws://127.0.0.1:99999'], /--upstream ws:\/\/127.0.0.1:99999: the host or port is not right$/],
    [['--upstream', 'ws://:80/x'], /the host or port is not right$/],
    [['--upstream', 'unix://'], /--upstream unix:\/\/: the socket path is empty or too long$/],
    [['--upstream', `unix://${'/d'.repeat(80)}`], /the socket path is empty or too long$/],
    [[...ws, ...ws], /--upstream is given twice$/],
    [[...ws, '--upstream-cmd', 'true'], /--upstream-cmd and --upstream exclude each other$/],
    [[...ws, '--upstream-token-file', token, '--upstream-secret-file', token], /--upstream-token-file and --upstream-secret-file exclude each other$/],
    [['--upstream-token-file', token], /--upstream-token-file needs --upstream with a ws:\/\/, wss:\/\/ or unix:\/\/ URL$/],
    [['--upstream-secret-file', token], /--upstream-secret-file needs --upstream/],
    [[...ws, '--upstream-token-file', path.join(dir, 'missing')], /cannot read \S+missing: No such file or directory$/],
    [[...ws, '--upstream-secret-file', blank], /blank holds no secret$/],
    [[...ws, '--upstream-ca', token], /--upstream-ca is for --upstream wss:\/\/\.\.\.$/],
    [['--upstream-insecure'], /--upstream-insecure is for --upstream wss:\/\/\.\.\.$/],
    [[...ws, '--upstream-token-file', token, '--upstream-issuer', 'fleet'], /--upstream-issuer is for --upstream-secret-file$/],
    [[...ws, '--upstream-audience', 'east'], /--upstream-audience is for --upstream-secret-file$/],
  ];
  for (const [args, msg] of cases) {
    const r = spawnSync(h.PROXY, args, { encoding: 'utf8', input: '', timeout: 5000, env: h.childEnv() });
    is(r.status, 2, `${args.join(' ').slice(0, 60)}: status 2`);
    const lines = r.stderr.trim().split('\n');
    is(lines.length, 1, '...one line on stderr');
    like(lines[0], msg, '...saying why');
  }
});
