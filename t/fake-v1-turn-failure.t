// Proves: on the fake's v1 mode a failed turn (an error event followed by task_complete with last_agent_message null, v1's own way) is an isError result with codex's message and the threadId, not an empty success, and the conversation takes the next reply.
'use strict';
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const p = await h.fakeRawProxy('v1-fail', { fake: ['--api', 'v1'] });
  const first = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'start' } });
  const tid = first.result.structuredContent.threadId;
  const r = await p.request('tools/call', { name: 'codex-reply', arguments: { threadId: tid, prompt: '[[fail]] please fail' } });
  ok(r.result && r.result.isError === true, 'the failed turn is an isError result');
  is(h.textOf(r.result), 'codex turn failed: stream disconnected before completion: mock failure', 'with codex\'s message');
  is(r.result && r.result.structuredContent && r.result.structuredContent.threadId, tid, 'naming the thread');
  const next = await p.request('tools/call', { name: 'codex-reply', arguments: { threadId: tid, prompt: 'recovered?' } });
  ok(next.result && !next.result.isError, 'the next reply succeeds');
  is(h.textOf(next.result), 'You said: recovered?', 'and answers');
  const turns = h.readJsonl(p.log).filter((l) => /^sendUser/.test(l.method || ''));
  is(turns.length, 3, 'three turns reached the app-server');

  const s = await h.fakeRawProxy('v1-fail-new', { fake: ['--api', 'v1'] });
  const n = await s.request('tools/call', { name: 'codex', arguments: { prompt: '[[fail]]' } });
  ok(n.result && n.result.isError === true, 'a failed first turn of a new conversation is an isError result too');
  ok(n.result && n.result.structuredContent && /^[0-9a-f-]{36}$/.test(n.result.structuredContent.threadId), 'it names the new thread');
});
