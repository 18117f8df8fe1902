// Proves: codex-reply continues a conversation by threadId (and by its aliases conversationId and sessionId) with the whole history reaching the model.
'use strict';
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const { client } = await h.codexSession();

  const first = await client.callTool({ name: 'codex', arguments: { prompt: 'one' } });
  const tid = first.structuredContent.threadId;
  const r = await client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: 'two' } });
  ok(!r.isError, 'codex-reply succeeded');
  is(r.structuredContent, { threadId: tid, content: 'You said: two' }, 'the reply names the same thread');

  const a = await client.callTool({ name: 'codex-reply', arguments: { conversationId: tid, prompt: 'three' } });
  is(a.structuredContent && a.structuredContent.threadId, tid, 'conversationId is accepted as the thread id');
  const b = await client.callTool({ name: 'codex-reply', arguments: { sessionId: tid, threadId: tid, prompt: '[[history]]' } });
  is(h.textOf(b), 'History: one | two | three | [[history]]', 'every earlier prompt reached the model, in order');
});
