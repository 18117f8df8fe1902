// Proves: after the proxy is killed with SIGKILL, a new proxy continues the conversation by id with real codex 0.169, and the model sees the full history.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const one = await h.codexSession();
  const first = await one.client.callTool({ name: 'codex', arguments: { prompt: 'remember the word kumquat' } });
  const tid = first.structuredContent.threadId;
  await one.client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: 'and the number 42' } });

  process.kill(one.pid, 'SIGKILL');
  ok(await h.waitUntil(() => !h.alive(one.pid)), 'the first proxy is dead');

  const two = await h.codexSession({ mock: one.mock, home: one.home });
  const r = await two.client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: '[[history]]' } });
  ok(!r.isError, 'codex-reply through the new proxy succeeded');
  is(r.structuredContent && r.structuredContent.threadId, tid, 'it is the same conversation');
  is(h.textOf(r), 'History: remember the word kumquat | and the number 42 | [[history]]', 'the model saw the whole history');
  like(two.stderr(), /resumed conversation/, 'the new proxy resumed the thread first');

  const again = await two.client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: 'once more' } });
  is(h.textOf(again), 'You said: once more', 'later replies need no second resume');
});
