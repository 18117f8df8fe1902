// Proves: a turn that fails in real codex 0.169 (the model stream breaks) gives an isError result carrying codex's message and the threadId, and the thread stays usable.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const { client } = await h.codexSession();

  const r = await client.callTool({ name: 'codex', arguments: { prompt: '[[fail]] please' } });
  ok(r.isError === true, 'the result is an error');
  like(h.textOf(r), /mock failure/, "it carries codex's own message");
  const tid = r.structuredContent && r.structuredContent.threadId;
  ok(tid, 'and the threadId');
  const again = await client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: 'try again' } });
  ok(!again.isError, 'the thread takes the next reply');
  is(h.textOf(again), 'You said: try again', 'and answers it');
});
