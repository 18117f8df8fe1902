// Proves: on the fake's v1 mode notifications/cancelled for a running call sends interruptConversation {conversationId} once, the cancelled call is never answered, and --turn-timeout returns the partial text after interrupting the same way; the conversation takes replies afterwards.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const interrupts = (log) => h.readJsonl(log).filter((l) => l.method === 'interruptConversation');

main(async () => {
  const p = await h.fakeRawProxy('v1-cancel', { fake: ['--api', 'v1'] });
  const first = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'start' } });
  const tid = first.result.structuredContent.threadId;
  p.send({ jsonrpc: '2.0', id: 'slow', method: 'tools/call', params: { name: 'codex-reply', arguments: { threadId: tid, prompt: '[[slow:100:100]]' }, _meta: { progressToken: 'pt' } } });
  await p.waitFor((m) => m.method === 'notifications/progress' && /^writing: tick 1 /.test(m.params.message), 10000);
  p.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'slow' } });
  ok(await h.waitUntil(() => interrupts(p.log).length > 0, 5000), 'the cancel sent interruptConversation');
  is(interrupts(p.log).map((l) => l.params), [{ conversationId: tid }], 'once, naming the conversation');
  const answered = await p.response('slow', 1500).then(() => true, () => false);
  ok(!answered, 'the cancelled call got no response');
  const after = await p.request('tools/call', { name: 'codex-reply', arguments: { threadId: tid, prompt: 'after cancel' } });
  is(h.textOf(after.result), 'You said: after cancel', 'the next reply answers');

  const q = await h.fakeRawProxy('v1-timeout', { fake: ['--api', 'v1'], args: ['--turn-timeout', '2'] });
  const warm = await q.request('tools/call', { name: 'codex', arguments: { prompt: 'warm' } });
  const qt = warm.result.structuredContent.threadId;
  const t0 = Date.now();
  const r = await q.request('tools/call', { name: 'codex-reply', arguments: { threadId: qt, prompt: '[[slow:100:100]]' } });
  const elapsed = Date.now() - t0;
  ok(elapsed >= 1500 && elapsed < 8000, `the timed-out call returned after about 2 s (${elapsed} ms)`);
  ok(r.result && !r.result.isError, 'not as an error');
  like(h.textOf(r.result), /^tick 1 /, 'with the text so far');
  ok(!/tick 100 /.test(h.textOf(r.result)), 'not the whole answer');
  like(h.textOf(r.result), new RegExp(`--turn-timeout[\\s\\S]*${qt}`), 'and a note naming --turn-timeout and the threadId');
  is(interrupts(q.log).map((l) => l.params), [{ conversationId: qt }], 'the turn was interrupted with interruptConversation');
  const next = await q.request('tools/call', { name: 'codex-reply', arguments: { threadId: qt, prompt: 'go on' } });
  is(h.textOf(next.result), 'You said: go on', 'the conversation goes on');
});
