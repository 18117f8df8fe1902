// Proves: when the app-server shared by --share-upstream dies (its process group killed), the call running on it gets an isError at once, and the next codex-reply starts a new shared app-server, which resumes the thread with its history.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const l = require('./lib/listening.js');

main(async () => {
  const mock = await h.mockModel();
  const home = h.codexHome(mock);
  const runtime = h.scratch('runtime');
  const p = await h.sdkProxy({
    args: ['--share-upstream', '--share-idle', '1', '--upstream-cmd', h.codexCommand('0.169')],
    env: { CODEX_HOME: home, XDG_RUNTIME_DIR: runtime },
  });
  const first = await p.client.callTool({ name: 'codex', arguments: { prompt: 'alpha' } });
  const threadId = first.structuredContent.threadId;
  const [group] = l.appServerGroups(runtime);
  ok(group > 0, 'a shared app-server runs');

  let started;
  const progressed = new Promise((resolve) => { started = resolve; });
  const inFlight = p.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt: '[[slow:200:100]]' } },
    undefined, { onprogress: (n) => { if (/tick 2/.test(n.message || '')) started(); }, timeout: 120000 });
  await progressed;
  process.kill(-group, 'SIGKILL');
  const cut = await inFlight;
  ok(cut.isError, 'the call running on it is an error');
  like(h.textOf(cut), /was lost: the connection closed/, 'it says the app-server was lost');

  const r = await p.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt: '[[history]]' } });
  ok(!r.isError, 'the next codex-reply works');
  is(h.textOf(r), 'History: alpha | [[slow:200:100]] | [[history]]', 'on a new shared app-server that resumed the thread');
  const now = l.appServerGroups(runtime);
  ok(now.length === 1 && now[0] !== group, 'one new app-server runs');
  await p.client.close();
  ok(await h.waitUntil(() => l.appServerGroups(runtime).length === 0, 30000), 'and it is gone once the proxy has exited');
});
