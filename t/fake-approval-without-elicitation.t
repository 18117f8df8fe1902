// Proves: on the fake app-server a client without the elicitation capability is never sent elicitation/create; the proxy answers codex's approval request "decline" itself and the result says the proxy declined because the client cannot be asked.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const p = await h.fakeRawProxy('approval-none', { args: ['--approval-timeout', '5'] });
  const r = await p.request('tools/call', { name: 'codex', arguments: { prompt: '[[approval]]' } });
  await p.request('ping', {});
  is(p.messages.filter((m) => m.method === 'elicitation/create').length, 0, 'no elicitation/create was sent');
  ok(r.result && !r.result.isError, 'the call completed');
  like(h.textOf(r.result), /^decision: "decline"/, 'codex got decline');
  like(h.textOf(r.result), /codex-mcp-proxy declined codex's request to run a command \(`[^`]*touch x[^`]*`\)[\s\S]*cannot be asked/, 'the result says the proxy declined, as the client cannot be asked');
  const answers = h.readJsonl(p.log).filter((l) => l.method === undefined && l.event === undefined);
  is(answers.map((a) => [a.id, a.result]), [[0, { decision: 'decline' }]], 'the fake\'s request 0 was answered decline, once');
});
