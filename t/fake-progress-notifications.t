// Proves: on the fake app-server a tools/call with a progressToken gets notifications/progress with that token, strictly growing progress and a "writing: tick 1 ..." message, none after the result; a call without a token gets none.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const isProgress = (m) => m.method === 'notifications/progress';

main(async () => {
  const p = await h.fakeRawProxy('progress');
  const before = p.messages.length;
  p.send({ jsonrpc: '2.0', id: 'tok', method: 'tools/call', params: { name: 'codex', arguments: { prompt: '[[slow:12:150]]' }, _meta: { progressToken: 'pt-1' } } });
  const res = await p.response('tok', 30000);
  const at = p.messages.indexOf(res);
  is(h.textOf(res.result), Array.from({ length: 12 }, (_, i) => `tick ${i + 1} `).join(''), 'the call returned the whole answer');
  const during = p.messages.slice(before, at).filter(isProgress);
  ok(during.length >= 3, `several progress notifications came first (${during.length})`);
  ok(during.every((m) => m.params.progressToken === 'pt-1'), 'each with the call\'s token');
  const values = during.map((m) => m.params.progress);
  ok(values.every((v, i) => typeof v === 'number' && (i === 0 || v > values[i - 1])), `progress strictly grows (${values.join(', ')})`);
  ok(during.some((m) => /^writing: tick 1 /.test(m.params.message)), 'one quotes the answer so far');
  await h.sleep(800);
  is(p.messages.slice(at + 1).filter(isProgress).length, 0, 'none after the result');

  const mark = p.messages.length;
  const plain = await p.request('tools/call', { name: 'codex', arguments: { prompt: '[[slow:6:100]]' } }, 30000);
  ok(plain.result && !plain.result.isError, 'a call without a token succeeded');
  await h.sleep(500);
  is(p.messages.slice(mark).filter(isProgress).length, 0, 'and got no progress at all');
});
