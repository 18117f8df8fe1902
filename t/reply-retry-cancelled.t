// Proves: a repeated codex-reply waiting for the running turn is its own request: cancelling it answers nothing to it and leaves the turn and the first request alone; cancelling the first request interrupts the turn as ever, and the repeat waiting for it then gets an isError saying so; a repeat after a cancel starts a turn of its own.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const TICKS = Array.from({ length: 8 }, (_, i) => `tick ${i + 1} `).join('');

// Send a tools/call with this id without waiting for its answer.
function call(p, id, args) {
  p.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'codex-reply', arguments: args } });
}

// Wait until the fake has been sent n turn/start requests.
function turnStarts(p, n) {
  return h.waitUntil(() => h.readJsonl(p.log).filter((m) => m.method === 'turn/start').length >= n);
}

main(async () => {
  const p = await h.fakeRawProxy('retry-cancel');
  const repeats = () => p.stderr.split('repeats the running call').length - 1;
  const start = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'start' } });
  const tid = start.result.structuredContent.threadId;
  const args = { threadId: tid, prompt: '[[slow:8:300]]' };

  call(p, 'a1', args);
  ok(await turnStarts(p, 2), 'the first reply started its turn');
  call(p, 'a2', args);
  ok(await h.waitUntil(() => repeats() === 1), 'the repeat waits for the running turn');
  p.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'a2' } });
  const first = await p.response('a1');
  is(h.textOf(first.result), TICKS, 'cancelling the repeat left the first request its whole answer');
  ok(!p.messages.some((m) => m.id === 'a2'), 'and the cancelled repeat got no answer');

  call(p, 'b1', args);
  ok(await turnStarts(p, 3), 'another reply started its turn');
  call(p, 'b2', args);
  ok(await h.waitUntil(() => repeats() === 2), 'its repeat waits for that turn');
  p.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'b1' } });
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
