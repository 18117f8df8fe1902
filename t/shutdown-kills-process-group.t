// Proves: on stdin EOF the proxy shuts the app-server down first, killing its whole process group (launcher and forked child), and exits 0.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const dir = h.scratch('group');
  const pidfile = path.join(dir, 'launcher.pid');
  const childfile = path.join(dir, 'child.pid');
  const log = path.join(dir, 'fake.log');
  // Like codex's npm launcher on Node 20: the launcher forks the real server,
  // which here also ignores stdin EOF, so only signals to the group stop it.
  const p = new h.RawProxy({ args: ['--upstream-cmd', h.fakeCommand('--launcher', '--pidfile', pidfile, '--child-pidfile', childfile, '--ignore-eof', '--state', dir, '--log', log)] });
  await p.initialize();
  const r = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'hi' } });
  is(r.result && r.result.content[0].text, 'You said: hi', 'the app-server works');
  const launcher = Number(fs.readFileSync(pidfile, 'utf8'));
  const child = Number(fs.readFileSync(childfile, 'utf8'));
  ok(h.alive(launcher) && h.alive(child), 'launcher and child are running');

  const exit = await p.close();
  is(exit, { code: 0, signal: null }, 'the proxy exited with status 0');
  // Leftovers of the group got SIGKILL as the proxy left; give the kernel a moment.
  ok(await h.waitUntil(() => !h.alive(launcher), 3000), 'the launcher is gone');
  ok(await h.waitUntil(() => !h.alive(child), 3000), 'the forked child is gone too');
  const events = h.readJsonl(log).filter((l) => l.event === 'exit');
  is(events.length, 1, 'the app-server recorded its own exit (it was shut down, not orphaned)');
});
