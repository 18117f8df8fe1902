// Proves: codex-reply to a thread whose turn is still running fails at once with a clear isError, and the running turn finishes untouched.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const { client, log } = await h.fakeSdkProxy('busy');
  const first = await client.callTool({ name: 'codex', arguments: { prompt: 'start' } });
  const tid = first.structuredContent.threadId;

  const running = client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: '[[slow:10:100]]' } });
  await h.sleep(200);
  const busy = await client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: 'me too' } });
  ok(busy.isError === true, 'the second reply is an error');
  like(h.textOf(busy), new RegExp(`thread ${tid} is busy`), 'it says the thread is busy');
  const done = await running;
  ok(!done.isError, 'the running turn finished normally');
  is(h.textOf(done), Array.from({ length: 10 }, (_, i) => `tick ${i + 1} `).join(''), 'with all of its text');
  const sent = h.readJsonl(log).filter((l) => l.method === 'turn/start' || l.method === 'turn/interrupt');
  is(sent.length, 2, 'the busy reply never reached the app-server');
  const after = await client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: 'now' } });
  is(h.textOf(after), 'You said: now', 'once the turn is over, replies work again');
});
