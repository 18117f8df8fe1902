// Proves: SIGTERM (and SIGINT) make the proxy answer calls in flight, stop the app-server and exit 0; a SIGKILLed proxy leaves no app-server behind.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  for (const sig of ['SIGTERM', 'SIGINT']) {
    const dir = h.scratch('term');
    const pidfile = path.join(dir, 'fake.pid');
    const p = new h.RawProxy({ args: ['--upstream-cmd', h.fakeCommand('--state', dir, '--pidfile', pidfile)] });
    await p.initialize();
    p.send({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'codex', arguments: { prompt: '[[slow:100:100]]' } } });
    await h.waitUntil(() => fs.existsSync(pidfile));
    await h.sleep(300);
    const fake = Number(fs.readFileSync(pidfile, 'utf8'));
    p.child.kill(sig);
    const exit = await p.exited;
    is(exit, { code: 0, signal: null }, `${sig}: the proxy exited with status 0`);
    const answer = p.messages.find((m) => m.id === 7);
    ok(answer && answer.result && answer.result.isError === true, `${sig}: the call in flight got an isError result`);
    like(answer && answer.result.content[0].text, /shutting down/, `${sig}: saying the proxy is shutting down`);
    ok(!h.alive(fake), `${sig}: the app-server is gone`);
  }

  const dir = h.scratch('kill');
  const pidfile = path.join(dir, 'launcher.pid');
  const childfile = path.join(dir, 'child.pid');
  const p = new h.RawProxy({ args: ['--upstream-cmd', h.fakeCommand('--launcher', '--pidfile', pidfile, '--child-pidfile', childfile, '--state', dir)] });
  await p.initialize();
  await h.waitUntil(() => fs.existsSync(childfile));
  const launcher = Number(fs.readFileSync(pidfile, 'utf8'));
  const child = Number(fs.readFileSync(childfile, 'utf8'));
  p.child.kill('SIGKILL');
  await p.exited;
  ok(await h.waitUntil(() => !h.alive(launcher) && !h.alive(child), 5000), 'after SIGKILL of the proxy, launcher and child exit too');
});
