// Proves: codex-reply to an archived conversation (codex 0.169) is an isError that tells the user to call the codex-unarchive tool, not to run `codex unarchive` in a shell, and after codex-unarchive the reply goes through.
'use strict';
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const { client } = await h.codexSession({ version: '0.169' });
  const id = (await client.callTool({ name: 'codex', arguments: { prompt: 'the one to archive' } })).structuredContent.threadId;
  ok(!(await client.callTool({ name: 'codex-archive', arguments: { threadId: id } })).isError, 'codex-archive succeeded');
  const r = await h.callToolChecked(client, 'codex-reply', { threadId: id, prompt: 'hello again' });
  diag(`codex-reply on the archived conversation: ${h.textOf(r)}`);
  ok(r.isError === true, 'codex-reply on the archived conversation is an isError');
  is(r.schemaError, null, "which fits codex-reply's outputSchema");
  like(h.textOf(r), new RegExp(`${id} is archived: call the codex-unarchive tool`), 'it says to call the codex-unarchive tool with the thread id');
  ok(!/`codex unarchive/.test(h.textOf(r)), 'and not to run `codex unarchive`');
  ok(!(await client.callTool({ name: 'codex-unarchive', arguments: { threadId: id } })).isError, 'codex-unarchive succeeded');
  const again = await client.callTool({ name: 'codex-reply', arguments: { threadId: id, prompt: '[[history]]' } });
  is(h.textOf(again), 'History: the one to archive | [[history]]', 'then the reply continues the conversation');
});
