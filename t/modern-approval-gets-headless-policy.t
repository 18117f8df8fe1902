// Proves: a 2026-07-28 tools/call during which codex asks for approval, from a request that declared no elicitation capability, is never sent a server→client request nor an input_required result: the headless policy answers codex (decline by default, accept with --approvals accept), and the result says so.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const E = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };

main(async () => {
  const p = await h.fakeRawProxy('modern-approval', { initialize: false, args: ['--approval-timeout', '5'] });
  const r = await p.request('tools/call', { name: 'codex', arguments: { prompt: '[[approval]]' }, _meta: E });
  is(p.messages.filter((m) => m.method !== undefined && m.id !== undefined).length, 0, 'no request was sent to the client');
  ok(r.result && r.result.resultType === 'complete', 'the call completed (no input_required)');
  like(h.textOf(r.result), /^decision: "decline"/, 'codex got decline');
  like(h.textOf(r.result), /codex-mcp-proxy declined codex's request to run a command/, 'the result says the proxy declined');

  const q = await h.fakeRawProxy('modern-approval-accept', { initialize: false, args: ['--approvals', 'accept'] });
  const a = await q.request('tools/call', { name: 'codex', arguments: { prompt: '[[approval]]' }, _meta: E });
  like(h.textOf(a.result), /^decision: "accept"/, 'with --approvals accept codex got accept');
  is(q.messages.filter((m) => m.method !== undefined && m.id !== undefined).length, 0, 'and no request went to the client');
});
