// Proves: in MCP 2026-07-28 on the fake app-server, a turn in which codex asks for two approvals one after the other takes two rounds: the first retry answers the first approval and is itself answered input_required for the second (a new key, a new requestState; the first state is spent), and the second retry gets the turn's result with both decisions; a retry that answers nothing (no inputResponses) gets the same question again under a fresh state.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const meta = () => ({
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
});

main(async () => {
  const p = await h.fakeRawProxy('modern-multi', { initialize: false });
  const args = { prompt: '[[approval:2]]', 'approval-policy': 'untrusted' };
  const call = (id) => p.response(id, 20000);
  const send = (id, extra) => p.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'codex', arguments: args, ...extra, _meta: meta() } });

  send('r1');
  const one = (await call('r1')).result;
  is(one.resultType, 'input_required', 'the call waits for the first approval');
  is(Object.keys(one.inputRequests), ['approval-1'], 'asked as approval-1');

  send('r1-empty', { requestState: one.requestState });
  const again = (await call('r1-empty')).result;
  is(again.resultType, 'input_required', 'a retry without inputResponses is asked again');
  is(Object.keys(again.inputRequests), ['approval-1'], 'the same question');
  ok(again.requestState !== one.requestState, 'under a fresh requestState');
  send('r1-spent', { requestState: one.requestState, inputResponses: {} });
  like((await call('r1-spent')).error?.message, /used already/, 'the first state is spent');

  send('r2', { requestState: again.requestState, inputResponses: { 'approval-1': { action: 'accept', content: { decision: 'accept' } } } });
  const two = (await call('r2')).result;
  is(two.resultType, 'input_required', 'answering the first approval brings the second');
  is(Object.keys(two.inputRequests), ['approval-2'], 'under a new key, approval-2');

  send('r3', { requestState: two.requestState, inputResponses: { 'approval-2': { action: 'decline' } } });
  const done = (await call('r3')).result;
  is(done.resultType, 'complete', 'the second retry gets the result');
  is(h.textOf(done), 'decision: "accept"\ndecision: "decline"', 'codex got accept, then decline');
  is(h.readJsonl(p.log).filter((l) => l.method === 'turn/start').length, 1, 'all in one turn');
});
