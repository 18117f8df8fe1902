// Proves: on the fake's v1 mode an execCommandApproval becomes one elicitation/create naming the command and cwd, and the client's accept, acceptForSession and decline reach codex as v1's "approved", "approved_for_session" and "denied" (the answer the fake logged, and the tool result); a client without elicitation is never asked and codex gets "denied".
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const CASES = [
  ['accept', 'approved'],
  ['acceptForSession', 'approved_for_session'],
  ['decline', 'denied'],
];

// The answers the proxy gave the fake's server→client requests (logged messages without a method).
function answers(log) {
  return h.readJsonl(log).filter((l) => l.method === undefined && l.event === undefined);
}

main(async () => {
  const p = await h.fakeRawProxy('v1-approval', { fake: ['--api', 'v1'], initialize: false });
  await p.initialize('2025-06-18', { elicitation: {} });
  const work = h.scratch('v1-approval-work');
  for (const [i, [decision, v1]] of CASES.entries()) {
    const id = `call-${decision}`;
    p.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'codex', arguments: { prompt: '[[approval]]', cwd: work, 'approval-policy': 'untrusted' } } });
    const el = await p.waitFor((m) => m.method === 'elicitation/create' && p.messages.filter((x) => x.method === 'elicitation/create').indexOf(m) === i);
    like(el.params.message, /touch x/, `${decision}: the elicitation names the command`);
    ok(el.params.message.includes(work), `${decision}: and the cwd`);
    p.send({ jsonrpc: '2.0', id: el.id, result: { action: 'accept', content: { decision } } });
    const r = await p.response(id);
    ok(r.result && !r.result.isError, `${decision}: the call completed`);
    like(h.textOf(r.result), new RegExp(`^decision: "${v1}"`), `${decision}: codex got "${v1}"`);
    const a = answers(p.log);
    is(a[i] && a[i].result, { decision: v1 }, `${decision}: the answer to execCommandApproval was {decision: "${v1}"}`);
    is(a[i] && a[i].id, i, `${decision}: for the app-server's request id ${i}`);
  }
  is(p.messages.filter((m) => m.method === 'elicitation/create').length, 3, 'one elicitation per approval');

  const q = await h.fakeRawProxy('v1-approval-none', { fake: ['--api', 'v1'] });
  const r = await q.request('tools/call', { name: 'codex', arguments: { prompt: '[[approval]]', 'approval-policy': 'untrusted' } });
  is(q.messages.filter((m) => m.method === 'elicitation/create').length, 0, 'without elicitation: no elicitation/create');
  like(h.textOf(r.result), /^decision: "denied"/, 'without elicitation: codex got "denied"');
  like(h.textOf(r.result), /codex-mcp-proxy declined codex's request to run a command[\s\S]*cannot be asked/, 'and the result says the proxy declined');
  is(answers(q.log).map((l) => l.result), [{ decision: 'denied' }], 'the one answer the app-server got was denied');
});
