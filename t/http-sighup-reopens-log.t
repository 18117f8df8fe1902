// Proves: with -l FILE the HTTP proxy logs to FILE, and on SIGHUP reopens it, so after a rotation (rename) new lines go to a new FILE.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const dir = h.scratch('hup');
  const log = path.join(dir, 'proxy.log');
  const rotated = `${log}.1`;
  const p = await h.httpProxy('hup', { dir, args: ['-l', log] });
  const read = (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');

  like(read(log), /serving MCP over HTTP at 127\.0\.0\.1:\d+\/mcp/, 'the log file has the startup lines');
  ok(!/serving MCP/.test(p.stderr()), 'and stderr does not');
  const first = await p.initialize('2025-06-18');
  ok(await h.waitUntil(() => read(log).includes(`http session ${first.sid.slice(0, 8)}... opened`), 5000), 'a session before the rotation is logged in FILE');

  fs.renameSync(log, rotated);
  const second = await p.initialize('2025-06-18');
  ok(await h.waitUntil(() => read(rotated).includes(`http session ${second.sid.slice(0, 8)}... opened`), 5000), 'before SIGHUP, lines still go to the renamed file');
  ok(!fs.existsSync(log), 'and no new FILE exists yet');

  p.child.kill('SIGHUP');
  ok(await h.waitUntil(() => fs.existsSync(log), 5000), 'after SIGHUP a new FILE is created');
  const third = await p.initialize('2025-06-18');
  const line = `http session ${third.sid.slice(0, 8)}... opened`;
  ok(await h.waitUntil(() => read(log).includes(line), 5000), 'a request after SIGHUP is logged in the new FILE');
  ok(!read(rotated).includes(line), 'and not in the renamed one');
  like(read(log), /log reopened/, 'the new FILE says the log was reopened');
  ok(p.child.exitCode === null && p.child.signalCode === null, 'the proxy is still running after SIGHUP');
  const r = await p.post({ jsonrpc: '2.0', id: 2, method: 'ping' }, { sid: third.sid, version: '2025-06-18' });
  ok(r.status === 200 && r.json && r.json.result, 'and still answers');

  const exit = await p.stop();
  ok(exit.code === 0, 'SIGTERM: exit 0');
  like(read(log), /exiting/, 'the last lines go to the new FILE too');
  ok(!/exiting/.test(read(rotated)), 'not to the renamed one');
});
