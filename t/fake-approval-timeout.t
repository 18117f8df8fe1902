// Proves: on the fake app-server with --approval-timeout 1 an elicitation the client never answers is withdrawn with notifications/cancelled naming it, codex is told "decline", the result says it was not answered in time, and a late answer changes nothing.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const p = await h.fakeRawProxy('approval-timeout', { args: ['--approval-timeout', '1'], initialize: false });
  await p.initialize('2025-06-18', { elicitation: {} });
  p.send({ jsonrpc: '2.0', id: 'c1', method: 'tools/call', params: { name: 'codex', arguments: { prompt: '[[approval]]' } } });
  const el = await p.waitFor((m) => m.method === 'elicitation/create');
  const askedAt = Date.now();
  const cancelled = await p.waitFor((m) => m.method === 'notifications/cancelled', 10000);
  const waited = Date.now() - askedAt;
  is(cancelled.params.requestId, el.id, 'the elicitation was withdrawn by its id');
  ok(waited >= 700 && waited < 5000, `after about 1 s (${waited} ms)`);
  const r = await p.response('c1');
  ok(r.result && !r.result.isError, 'the call completed');
  like(h.textOf(r.result), /^decision: "decline"/, 'codex got decline');
  like(h.textOf(r.result), /not answered within --approval-timeout/, 'the result says it was not answered in time');
  const late = await p.probeLine(JSON.stringify({ jsonrpc: '2.0', id: el.id, result: { action: 'accept', content: { decision: 'accept' } } }));
  is(late.raws, [], 'a late answer produces no output');
  const answers = h.readJsonl(p.log).filter((l) => l.method === undefined && l.event === undefined);
  is(answers.map((a) => a.result), [{ decision: 'decline' }], 'the fake got exactly one answer, decline');
});
