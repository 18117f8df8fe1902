// Proves: a client line over --max-message-size gets exactly one -32600 error with id null that names the limit, never reaches the app-server, and the next request works; a line of exactly the limit is served.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const LIMIT = 65536;

// A ping line of exactly n bytes (padding in a params string).
function pingOf(id, n) {
  const base = JSON.stringify({ jsonrpc: '2.0', id, method: 'ping', params: { pad: '' } });
  const line = JSON.stringify({ jsonrpc: '2.0', id, method: 'ping', params: { pad: 'x'.repeat(n - base.length) } });
  if (Buffer.byteLength(line) !== n) throw new Error(`ping line is ${line.length} bytes, not ${n}`);
  return line;
}

// Check that replies are n "too large" errors.
function tooLarge(what, replies, n = 1) {
  is(replies.length, n, `${what}: exactly ${n} response${n > 1 ? 's' : ''}`);
  for (const r of replies) {
    is(r.error && r.error.code, -32600, `${what}: -32600`);
    ok('id' in r && r.id === null, `${what}: id null`);
    ok(!('result' in r), `${what}: no result`);
    like(r.error && r.error.message, new RegExp(`${LIMIT}`), `${what}: the message names the limit (${LIMIT})`);
  }
}

main(async () => {
  const p = await h.fakeRawProxy('hugeclient', { args: ['--max-message-size', String(LIMIT)] });
  // Write raw data (in pieces, pausing between them, if asked), then a ping; the parsed lines before the pong.
  const probe = (data, opts) => p.probe(data, { ms: 20000, ...opts });

  // ~1 MB in one go: a real tools/call, whose id the proxy cannot know.
  const mb = Buffer.from(`${JSON.stringify({ jsonrpc: '2.0', id: 'huge-call', method: 'tools/call', params: { name: 'codex', arguments: { prompt: `HUGE ${'y'.repeat(1 << 20)}` } } })}\n`);
  const one = await probe(mb);
  tooLarge('a 1 MB line', one.replies);
  ok(one.pong !== null, 'a 1 MB line: the next request works');
  is(p.messages.filter((m) => m.id === 'huge-call').length, 0, 'a 1 MB line: nothing answers its id');

  // ~1 MB trickled in 32 KB pieces, so no single read sees all of it.
  const trickle = await probe(Buffer.from(`${JSON.stringify({ jsonrpc: '2.0', id: 'trickle', method: 'ping', params: { pad: 'z'.repeat(1 << 20) } })}\n`), { piece: 32768, gap: 5 });
  tooLarge('a 1 MB line in 32 KB pieces', trickle.replies);
  ok(trickle.pong !== null, 'a 1 MB line in pieces: the next request works');

  // Not JSON at all, and no newline until the very end.
  const junk = await probe(Buffer.from(`${'{'.repeat(300000)}\n`));
  tooLarge('300 KB of junk', junk.replies);
  ok(junk.pong !== null, '300 KB of junk: the next request works');

  // Two over-size lines in one write: one error each.
  const two = await probe(Buffer.concat([Buffer.from(`${'a'.repeat(200000)}\n`), Buffer.from(`${'b'.repeat(200000)}\n`)]));
  tooLarge('two over-size lines', two.replies, 2);

  // Right at the limit (the newline not counted): served. One byte over: refused.
  const at = await probe(Buffer.from(`${pingOf('at-limit', LIMIT)}\n`));
  is(at.replies.length, 1, 'a ping of exactly the limit: one response');
  is(at.replies[0] && at.replies[0].id, 'at-limit', 'a ping of exactly the limit: with its id');
  is(at.replies[0] && at.replies[0].result, {}, 'a ping of exactly the limit: result {}');
  const under = await probe(Buffer.from(`${pingOf('under-limit', LIMIT - 100)}\r\n`));
  is(under.replies[0] && under.replies[0].result, {}, 'a ping just under the limit, CRLF-terminated: result {}');
  const over = await probe(Buffer.from(`${pingOf('over-limit', LIMIT + 1)}\n`));
  tooLarge('a ping one byte over the limit', over.replies);
  is(p.messages.filter((m) => m.id === 'over-limit').length, 0, 'the over-limit ping is not answered under its id');

  // A big but allowed tool call goes through.
  const prompt = 'p'.repeat(LIMIT - 500);
  const big = await p.request('tools/call', { name: 'codex', arguments: { prompt: `[[say:big ok]] ${prompt}` } });
  is(big.result && h.textOf(big.result), 'big ok', 'a tool call just under the limit works');

  // The 1 MB call never reached the app-server.
  await h.sleep(200);
  const turns = h.readJsonl(p.log).filter((m) => m.method === 'turn/start');
  is(turns.length, 1, 'only the allowed tool call reached the app-server');
  ok(turns.every((m) => !JSON.stringify(m).includes('HUGE')), 'the over-size call did not');
  ok(p.child.exitCode === null, 'the proxy is still running');
  is((await p.close()).code, 0, 'the proxy exits 0 on EOF');
});
