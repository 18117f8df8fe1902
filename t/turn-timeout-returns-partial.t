// Proves: with --turn-timeout 2 a long turn's call returns after about 2 s, not as an error, with the text streamed so far and a note naming --turn-timeout and the threadId; the turn is interrupted upstream (turn/interrupt with its ids; real codex 0.169 keeps the prompt in the history) and the conversation goes on.
'use strict';
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const SLOW = '[[slow:100:100]]'; // 100 deltas 100 ms apart: a 10 s turn

// Check one timed-out result: quick, not an error, partial text, the note.
function checkPartial(who, result, elapsed, tid) {
  diag(`${who}: ${elapsed} ms: ${JSON.stringify(h.textOf(result))}`);
  ok(elapsed >= 1500 && elapsed < 8000, `${who}: the call returned after about 2 s (${elapsed} ms), well before the 10 s stream ends`);
  ok(!result.isError, `${who}: the result is not an error`);
  const text = h.textOf(result) || '';
  like(text, /^tick 1 /, `${who}: it holds the text streamed so far`);
  ok(!/tick 100 /.test(text), `${who}: and not the whole answer`);
  like(text, /--turn-timeout/, `${who}: a note names --turn-timeout`);
  ok(tid && text.includes(tid), `${who}: and the threadId`);
  is(result.structuredContent && result.structuredContent.content, text, `${who}: structuredContent has the same text`);
}

// A new thread whose first turn finished within --turn-timeout: the first
// call also waits for the app-server to start, which may take longer on a
// busy machine, so try again (each try is a new thread) until one does.
async function quickThread(who, client) {
  let r;
  for (let i = 0; i < 5; i++) {
    r = await client.callTool({ name: 'codex', arguments: { prompt: 'hello' } });
    if (h.textOf(r) === 'You said: hello') break;
    diag(`${who}: warm-up turn ${i + 1} did not finish in time: ${JSON.stringify(h.textOf(r))}`);
  }
  is(h.textOf(r), 'You said: hello', `${who}: a quick turn is untouched by --turn-timeout`);
  return r.structuredContent && r.structuredContent.threadId;
}

main(async () => {
  // Real codex 0.169. A first, quick turn starts the app-server and the
  // thread, so that the 2 s go to the slow turn itself.
  const s = await h.codexSession({ version: '0.169', args: ['--turn-timeout', '2'] });
  const tid = await quickThread('codex 0.169', s.client);
  let t0 = Date.now();
  const r = await s.client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: SLOW } });
  checkPartial('codex 0.169', r, Date.now() - t0, tid);
  is(r.structuredContent && r.structuredContent.threadId, tid, 'codex 0.169: structuredContent names the thread');
  const next = await s.client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: '[[history]]' } });
  ok(!next.isError, 'codex 0.169: the next codex-reply on the thread works at once (the turn was interrupted)');
  is(h.textOf(next), `History: hello | ${SLOW} | [[history]]`, 'codex 0.169: the model saw the interrupted prompt in the history');

  // The fake app-server: the interrupt itself, with the turn's ids.
  const f = await h.fakeSdkProxy('timeout', { args: ['--turn-timeout', '2'] });
  const ftid = await quickThread('fake', f.client);
  t0 = Date.now();
  const fr = await f.client.callTool({ name: 'codex-reply', arguments: { threadId: ftid, prompt: SLOW } });
  checkPartial('fake', fr, Date.now() - t0, ftid);
  const interrupts = h.readJsonl(f.log).filter((l) => l.method === 'turn/interrupt');
  is(interrupts.length, 1, 'fake: the proxy sent one turn/interrupt');
  const turn = await h.lastStoredTurn(f.dir, ftid);
  is(turn && turn.status, 'interrupted', 'fake: the turn ended as interrupted');
  is(interrupts[0] && interrupts[0].params, { threadId: ftid, turnId: turn && turn.id }, 'fake: naming the thread and its turn');
  const fnext = await f.client.callTool({ name: 'codex-reply', arguments: { threadId: ftid, prompt: 'go on' } });
  is(h.textOf(fnext), 'You said: go on', 'fake: the conversation goes on');
});
