// Proves: the codex tool starts a real codex 0.169 conversation and returns the final answer as text and as structuredContent {threadId, content}.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const { mock, client, tools } = await h.codexSession();
  const work = h.scratch('work');

  is(tools.map((t) => t.name).sort(), ['codex', 'codex-archive', 'codex-list', 'codex-read', 'codex-reply', 'codex-unarchive'], 'tools/list offers codex, codex-reply and the conversation tools');

  // The SDK checks structuredContent against the tool's outputSchema itself.
  const r = await client.callTool({ name: 'codex', arguments: { prompt: 'hello there, ünïcödé ✓', cwd: work } });
  ok(!r.isError, 'the call succeeded');
  is(h.textOf(r), 'You said: hello there, ünïcödé ✓', 'the final agent message is the text content, UTF-8 intact');
  like(r.structuredContent && r.structuredContent.threadId, /^[0-9a-f]{8}-[0-9a-f]{4}-/, 'structuredContent carries the threadId');
  is(r.structuredContent && r.structuredContent.content, h.textOf(r), 'structuredContent.content is the same text');

  const seen = mock.requests.filter((q) => q.last_user === 'hello there, ünïcödé ✓');
  is(seen.length, 1, 'the prompt reached the model once');
  const env = JSON.stringify(seen[0] && seen[0].input);
  ok(env.includes(work), 'the cwd argument reached codex (environment context names it)');
});
