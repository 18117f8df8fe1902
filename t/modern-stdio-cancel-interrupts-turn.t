// Proves: on stdio, notifications/cancelled for a running 2026-07-28 tools/call interrupts codex's turn (turn/interrupt with the thread and turn ids), after which nothing more is sent for that request (no result, no progress), and the next enveloped call on the thread works.
'use strict';
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const E = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };

main(async () => {
  const p = await h.fakeRawProxy('modern-cancel', { initialize: false });
  const first = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'start' }, _meta: E });
  const tid = first.result.structuredContent.threadId;
  p.send({ jsonrpc: '2.0', id: 'slow', method: 'tools/call',
    params: { name: 'codex-reply', arguments: { threadId: tid, prompt: '[[slow:100:100]]' }, _meta: { ...E, progressToken: 'pt' } } });
  await p.waitFor((m) => m.method === 'notifications/progress' && /^writing: tick 1 /.test(m.params.message), 10000);
  p.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'slow', reason: 'enough', _meta: E } });
  ok(await h.waitUntil(() => h.readJsonl(p.log).some((l) => l.method === 'turn/interrupt'), 5000), 'the turn was interrupted upstream');
  const turn = await h.lastStoredTurn(p.dir, tid);
  is(turn && turn.status, 'interrupted', 'the app-server ended it as interrupted');
  is(h.readJsonl(p.log).find((l) => l.method === 'turn/interrupt').params, { threadId: tid, turnId: turn && turn.id }, 'naming the thread and the turn');
  const count = p.messages.filter((m) => m.id === 'slow' || (m.params && m.params.progressToken === 'pt')).length;
  let again;
  for (let i = 0; i < 50; i++) {
    again = await p.request('tools/call', { name: 'codex-reply', arguments: { threadId: tid, prompt: 'next' }, _meta: E });
    if (!/is busy/.test(h.textOf(again.result) || '')) break;
    await h.sleep(100);
  }
  is(h.textOf(again.result), 'You said: next', 'the next call on the thread works');
  ok(!p.messages.some((m) => m.id === 'slow'), 'the cancelled request was never answered');
  is(p.messages.filter((m) => m.id === 'slow' || (m.params && m.params.progressToken === 'pt')).length, count, 'and got no progress after the cancel');
});
