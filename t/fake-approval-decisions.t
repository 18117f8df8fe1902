// Proves: on the fake app-server (v2) an item/commandExecution/requestApproval becomes one form elicitation/create naming the command and cwd while the call is in flight, and the client's answers reach codex exactly: accept → "accept", acceptForSession → "acceptForSession", decision decline / action decline / action cancel → "decline" (the answer the fake logged for its request id, and the result text).
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const CASES = require('./lib/approval-answers.js');

main(async () => {
  const p = await h.fakeRawProxy('approval-decisions', { initialize: false });
  await p.initialize('2025-06-18', { elicitation: {} });
  const work = h.scratch('approval-work');
  for (const [i, [what, answer, decision]] of CASES.entries()) {
    const id = `call-${i}`;
    p.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'codex', arguments: { prompt: '[[approval]]', cwd: work, 'approval-policy': 'untrusted' } } });
    const el = await p.waitFor((m) => m.method === 'elicitation/create' && p.messages.filter((x) => x.method === 'elicitation/create').indexOf(m) === i);
    ok(!p.messages.some((m) => m.id === id), `${what}: the elicitation came while the call was in flight`);
    is(el.params.mode, 'form', `${what}: it is a form elicitation`);
    like(el.params.message, /touch x/, `${what}: naming the command`);
    ok(el.params.message.includes(work), `${what}: and the cwd`);
    p.send({ jsonrpc: '2.0', id: el.id, result: answer });
    const r = await p.response(id);
    ok(r.result && !r.result.isError, `${what}: the call completed`);
    is(h.textOf(r.result), `decision: ${JSON.stringify(decision)}`, `${what}: codex got ${decision}`);
    const answers = h.readJsonl(p.log).filter((l) => l.method === undefined && l.event === undefined);
    is(answers[i] && [answers[i].id, answers[i].result], [i, { decision }], `${what}: the fake's request ${i} was answered {decision: ${decision}}`);
  }
  is(p.messages.filter((m) => m.method === 'elicitation/create').length, CASES.length, 'one elicitation per approval');
});
