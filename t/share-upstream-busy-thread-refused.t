// Proves: with --share-upstream, a codex-reply on a conversation while another proxy's call is running a turn on it is refused at once with an isError that says so (codex would merge the prompt into the running turn and both calls would get one answer); the running call gets its own answer, and a reply once it has finished works.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const l = require('./lib/listening.js');

main(async () => {
  const mock = await h.mockModel();
  const runtime = h.scratch('runtime');
  const env = { CODEX_HOME: h.codexHome(mock), XDG_RUNTIME_DIR: runtime };
  const args = ['--share-upstream', '--share-idle', '1', '--upstream-cmd', h.codexCommand('0.169')];
  const a = await h.sdkProxy({ args, env, name: 'host-a' });
  const b = await h.sdkProxy({ args, env, name: 'host-b' });
  const first = await b.client.callTool({ name: 'codex', arguments: { prompt: 'alpha' } });
  const threadId = first.structuredContent.threadId;
  await b.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt: 'b knows it' } });

  let started;
  const progressed = new Promise((resolve) => { started = resolve; });
  const slow = a.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt: '[[slow:8:150]]' } },
    undefined, { onprogress: (n) => { if (/tick 2/.test(n.message || '')) started(); }, timeout: 60000 });
  await progressed;
  const refused = await b.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt: 'beta' } });
  ok(refused.isError, 'a reply while the other proxy runs a turn is an error');
  like(h.textOf(refused), /is busy: another client of the shared codex app-server is running a turn on it; wait for that turn to finish, then reply again/, 'it says why and what to do');
  const own = await slow;
  like(h.textOf(own), /^tick 1 tick 2 .*tick 8/, 'the running call gets its own answer');
  const after = await b.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt: '[[history]]' } });
  is(h.textOf(after), 'History: alpha | b knows it | [[slow:8:150]] | [[history]]', 'a reply after it works, and beta was never sent');
  await a.client.close();
  await b.client.close();
  ok(await h.waitUntil(() => l.appServerGroups(runtime).length === 0, 30000), 'the shared app-server is gone after both');
});
