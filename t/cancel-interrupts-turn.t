// Proves: notifications/cancelled for a running tools/call interrupts codex's turn (turn/interrupt with the thread's id and the turn's own id; real codex 0.169 stops and keeps the prompt in the history), the cancelled request is never answered, the thread takes replies afterwards, and cancels for unknown, finished or malformed request ids change nothing.
'use strict';
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// Call codex-reply until the thread is no longer busy with the interrupted turn (at most ms).
async function replyWhenFree(call, ms) {
  const end = Date.now() + ms;
  for (;;) {
    const r = await call();
    if (!(r.isError && /is busy/.test(h.textOf(r))) || Date.now() > end) return r;
    await h.sleep(100);
  }
}

main(async () => {
  // (a) The fake app-server, which logs what the proxy sends it.
  const p = await h.fakeRawProxy('cancel');
  const first = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'start' } });
  const tid = first.result.structuredContent.threadId;

  const id = 'slow-call';
  p.send({
    jsonrpc: '2.0', id, method: 'tools/call',
    params: { name: 'codex-reply', arguments: { threadId: tid, prompt: '[[slow:100:100]]' }, _meta: { progressToken: 'pt' } },
  });
  // Text streaming means the turn is running.
  await p.waitFor((m) => m.method === 'notifications/progress' && /^writing: tick 1 /.test(m.params.message), 10000);
  const cancelledAt = Date.now();
  p.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'user gave up' } });

  const interrupted = await h.waitUntil(() => h.readJsonl(p.log).some((l) => l.method === 'turn/interrupt'), 5000);
  ok(interrupted, 'the app-server was asked to interrupt the turn');
  const interrupts = h.readJsonl(p.log).filter((l) => l.method === 'turn/interrupt');
  is(interrupts.length, 1, 'once');
  const turn = await h.lastStoredTurn(p.dir, tid);
  is(turn && turn.status, 'interrupted', 'the app-server ended the turn as interrupted');
  is(interrupts[0] && interrupts[0].params, { threadId: tid, turnId: turn && turn.id },
    'turn/interrupt named the thread and the turn id from turn/start');
  ok(Date.now() - cancelledAt < 8000, 'the 10 s turn stopped early');

  const answered = await p.response(id, 2000).then(() => true, () => false);
  ok(!answered, 'the cancelled request got no response within 2 s');
  const progressAfter = p.messages.filter((m) => m.method === 'notifications/progress' && m.params.progressToken === 'pt');
  const lastProgress = progressAfter.length;
  await h.sleep(300);
  is(p.messages.filter((m) => m.method === 'notifications/progress' && m.params.progressToken === 'pt').length, lastProgress,
    'nor any more progress for it');

  const again = await p.request('tools/call', { name: 'codex-reply', arguments: { threadId: tid, prompt: 'still there?' } });
  ok(again.result && !again.result.isError, 'a codex-reply on the thread afterwards works');
  is(h.textOf(again.result), 'You said: still there?', 'and answers normally');

  // (c) Cancels that match no running call: no output, no harm.
  const probes = [
    ['an unknown request id', { requestId: 'never-sent' }],
    ['the id of a finished call', { requestId: id }],
    ['a finished call answered normally', { requestId: again.id }],
    ['an object as requestId', { requestId: { x: 1 } }],
    ['null as requestId', { requestId: null }],
    ['a fractional requestId', { requestId: 1.5 }],
    ['no requestId', { reason: 'none' }],
    ['params that are not an object', 'garbage'],
    ['no params', undefined],
  ];
  for (const [what, params] of probes) {
    const msg = { jsonrpc: '2.0', method: 'notifications/cancelled' };
    if (params !== undefined) msg.params = params;
    const r = await p.probeLine(JSON.stringify(msg));
    ok(r.pong && r.raws.length === 0, `cancel with ${what}: no output, the proxy still answers`);
    if (r.raws.length) diag(r.raws.join('\n'));
  }
  const after = await p.request('tools/call', { name: 'codex-reply', arguments: { threadId: tid, prompt: 'and now?' } });
  is(h.textOf(after.result), 'You said: and now?', 'the thread still works after them');
  is(h.readJsonl(p.log).filter((l) => l.method === 'turn/interrupt').length, 1, 'and none of them interrupted anything');

  // (b) Real codex 0.169 through the SDK: an aborted callTool sends notifications/cancelled.
  const s = await h.codexSession({ version: '0.169' });
  const start = await s.client.callTool({ name: 'codex', arguments: { prompt: 'hello there' } });
  const thread = start.structuredContent.threadId;
  const ac = new AbortController();
  let writing;
  const streaming = new Promise((resolve) => { writing = resolve; });
  const slow = s.client.callTool({ name: 'codex-reply', arguments: { threadId: thread, prompt: '[[slow:100:100]]' } }, undefined, {
    signal: ac.signal,
    onprogress: (pr) => { if (/^writing: /.test(pr.message || '')) writing(); },
  });
  const outcome = slow.then(() => 'resolved', (e) => `rejected: ${e.message}`);
  const streamed = await Promise.race([streaming.then(() => true), h.sleep(30000).then(() => false)]);
  ok(streamed, 'the real turn was streaming');
  const abortedAt = Date.now();
  ac.abort('changed my mind');
  like(await outcome, /^rejected/, 'the aborted call rejected on the client side');

  const reply = await replyWhenFree(() => s.client.callTool({ name: 'codex-reply', arguments: { threadId: thread, prompt: '[[history]]' } }), 6000);
  ok(!reply.isError, 'the next codex-reply on the thread works');
  ok(Date.now() - abortedAt < 8000, 'well before the 10 s turn would have ended');
  like(h.textOf(reply), /^History: hello there \| \[\[slow:100:100\]\] \| \[\[history\]\]/, 'the model saw the interrupted prompt in the history');
  const slowRequests = s.mock.requests.filter((r) => r.last_user === '[[slow:100:100]]');
  is(slowRequests.length, 1, 'the interrupted prompt reached the model once');
});
