// Proves: a repeated codex-reply waiting for the running turn is its own request: cancelling it answers nothing to it and leaves the turn and the first request alone; cancelling the first request interrupts the turn as ever, and the repeat waiting for it then gets an isError saying so; a repeat after a cancel starts a turn of its own.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const TICKS = Array.from({ length: 8 }, (_, i) => `tick ${i + 1} `).join('');

// Send a tools/call with this id without waiting for its answer.
function call(p, id, args) {
  p.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'codex-reply', arguments: args } });
}

// Send request `first` and, once its turn runs, its repeat `again`, then cancel `cancel`; the turn is
// the proxy's nth, the repeat its kth.
async function repeatAndCancel(p, args, [first, again], cancel, n, k) {
  call(p, first, args);
  ok(await h.waitUntil(() => h.readJsonl(p.log).filter((m) => m.method === 'turn/start').length >= n), `${first} started its turn`);
  call(p, again, args);
  ok(await h.waitUntil(() => p.stderr.split('repeats the running call').length - 1 === k), `${again} waits for that turn`);
  p.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: cancel } });
}

main(async () => {
  const p = await h.fakeRawProxy('retry-cancel');
  const start = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'start' } });
  const tid = start.result.structuredContent.threadId;
  const args = { threadId: tid, prompt: '[[slow:8:300]]' };

  await repeatAndCancel(p, args, ['a1', 'a2'], 'a2', 2, 1);
  const first = await p.response('a1');
  is(h.textOf(first.result), TICKS, 'cancelling the repeat left the first request its whole answer');
  ok(!p.messages.some((m) => m.id === 'a2'), 'and the cancelled repeat got no answer');

  await repeatAndCancel(p, args, ['b1', 'b2'], 'b1', 3, 2);
  const waiting = await p.response('b2');
  ok(waiting.result.isError === true, 'cancelling the first request fails the repeat waiting for it');
  like(h.textOf(waiting.result), /the turn this call waited for was cancelled by the call that started it/, 'saying why');
  is(waiting.result.structuredContent.threadId, tid, 'with the threadId');
  ok(h.readJsonl(p.log).some((m) => m.method === 'turn/interrupt'), 'the turn was interrupted');
  ok(!p.messages.some((m) => m.id === 'b1'), 'the cancelled request got no answer');

  const again = await p.request('tools/call', { name: 'codex-reply', arguments: args });
  is(h.textOf(again.result), TICKS, 'the same reply afterwards is answered');
  is(h.readJsonl(p.log).filter((m) => m.method === 'turn/start').length, 4, 'by a turn of its own');
});
