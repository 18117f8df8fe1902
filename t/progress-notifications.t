// Proves: a tools/call with a progressToken gets notifications/progress (real codex 0.169) carrying that token, a strictly growing progress, short messages ("thinking", "writing: tick 1 ..."), at most about four a second and none after the result; a call without a token gets none.
'use strict';
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const isProgress = (m) => m.method === 'notifications/progress';

main(async () => {
  const mock = await h.mockModel();
  const home = h.codexHome(mock);
  const p = new h.RawProxy({ args: ['--upstream-cmd', h.codexCommand('0.169')], env: { CODEX_HOME: home } });
  await p.initialize();

  // With a token: 12 deltas 150 ms apart, so about 1.8 s of streaming.
  const token = 'tok-progress-1';
  const id = 'call-with-token';
  const before = p.messages.length;
  const sentAt = Date.now();
  const times = []; // when each progress notification arrived
  const onLine = p.onLine.bind(p);
  p.onLine = (bytes) => {
    if (/"notifications\/progress"/.test(bytes.toString('utf8'))) times.push(Date.now());
    onLine(bytes);
  };
  p.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'codex', arguments: { prompt: '[[slow:12:150]]' }, _meta: { progressToken: token } } });
  const res = await p.response(id, 60000);
  const resultIndex = p.messages.indexOf(res);
  ok(res.result && !res.result.isError, 'the call succeeded');
  like(h.textOf(res.result), /^tick 1 tick 2 .*tick 12 $/, 'with the whole streamed answer');
  const during = p.messages.slice(before, resultIndex).filter(isProgress);
  diag(`${during.length} progress notifications in ${Date.now() - sentAt} ms: ${JSON.stringify(during.map((m) => m.params.message))}`);
  ok(during.length >= 3, `several progress notifications came before the result (${during.length})`);
  ok(during.every((m) => m.params.progressToken === token), 'each carries the request\'s progressToken');
  const values = during.map((m) => m.params.progress);
  ok(values.every((v) => typeof v === 'number'), 'progress is a number');
  ok(values.every((v, i) => i === 0 || v > values[i - 1]), `progress strictly increases (${values.join(', ')})`);
  const messages = during.map((m) => m.params.message);
  ok(messages.every((s) => typeof s === 'string' && s.length > 0 && s.length <= 100), 'every message is a short non-empty string');
  // Within the rate limit a newer state replaces one not yet sent, so any of these may be the one that went out.
  ok(messages.some((m) => ['waiting for codex', 'starting a conversation', 'thinking'].includes(m)), 'one tells the state of the call (waiting, starting or thinking)');
  ok(messages.some((s) => s.startsWith('writing: tick 1 ')), 'one quotes the first words of the answer ("writing: tick 1 ...")');

  // Rate: the stream offers a delta every 150 ms (nearly 7 a second); at most
  // 4 a second may go out. Allow one for jitter in any one-second window.
  let worst = 0;
  for (let i = 0; i < times.length; i++) {
    const inWindow = times.filter((t) => t >= times[i] && t < times[i] + 1000).length;
    worst = Math.max(worst, inWindow);
  }
  ok(worst <= 5, `at most about 4 a second (busiest second: ${worst})`);

  await h.sleep(1200);
  const late = p.messages.slice(resultIndex + 1).filter(isProgress);
  is(late.length, 0, 'none came in the second after the result');

  // Without a token: nothing at all.
  const before2 = p.messages.length;
  const res2 = await p.request('tools/call', { name: 'codex', arguments: { prompt: '[[slow:12:150]]' } }, 60000);
  ok(res2.result && !res2.result.isError, 'a call without a progressToken succeeded');
  await h.sleep(1200);
  const any = p.messages.slice(before2).filter(isProgress);
  is(any.length, 0, 'and got no notifications/progress at all');
});
