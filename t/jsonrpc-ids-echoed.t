// Proves: string and integer request ids come back with the same JSON type and value (on ping, errors, tools/list and tool calls answered later), and an id that is null, fractional, an object, an array or a boolean gets one -32600 error with id null.
'use strict';
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const p = await h.fakeRawProxy('ids');

  // Ids JSON.parse represents exactly.
  const ids = ['abc', '', '1', '0', 'ünïcödé ✓ 日本 🙂', 'with "quotes", \\ and a\nnewline',
    0, 1, -1, 42, 9007199254740991, -9007199254740991];
  for (const id of ids) {
    const { replies, pong } = await p.probeLine(JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' }));
    ok(pong !== null, `ping ${JSON.stringify(id)}: the proxy is still answering`);
    is(replies.length, 1, `ping ${JSON.stringify(id)}: exactly one response`);
    const r = replies[0] || {};
    is(typeof r.id, typeof id, `ping ${JSON.stringify(id)}: the id keeps its type (${typeof id})`);
    ok(r.id === id, `ping ${JSON.stringify(id)}: the id keeps its value`);
    is(r.result, {}, `ping ${JSON.stringify(id)}: result {}`);
  }

  // "7" and 7 are different ids: each gets its own response, with its own type.
  p.send({ jsonrpc: '2.0', id: '7', method: 'ping' });
  p.send({ jsonrpc: '2.0', id: 7, method: 'no/such/method' });
  const s7 = await p.response('7');
  const n7 = await p.response(7);
  is(s7.result, {}, 'id "7" (string) got the ping result');
  is(n7.error && n7.error.code, -32601, 'id 7 (integer) got the method-not-found error');

  // A NUL in a string id: refused (json-c cuts names at a NUL), but answered with that id.
  {
    const { replies } = await p.probeLine(JSON.stringify({ jsonrpc: '2.0', id: 'id\u0000nul', method: 'ping' }));
    is(replies.length, 1, 'ping "id\\u0000nul": exactly one response');
    is(replies[0] && replies[0].id, 'id\u0000nul', 'ping "id\\u0000nul": the id comes back whole');
    is(replies[0] && replies[0].error && replies[0].error.code, -32600, 'ping "id\\u0000nul": -32600');
  }

  // Integers past 2^53, checked on the raw line.
  for (const digits of ['9223372036854775807', '-9223372036854775807', '9007199254740993']) {
    const { raws } = await p.probeLine(`{"jsonrpc":"2.0","id":${digits},"method":"ping"}`);
    is(raws.length, 1, `ping ${digits}: exactly one response`);
    like(raws[0], new RegExp(`"id":${digits}[,}]`), `ping ${digits}: the raw id digits come back unchanged`);
  }
  // Integers past 64 bits cannot be echoed by an int64: echo them exactly or reject them, never answer another id.
  // json-c clamps them to the 64-bit limits, so the limits themselves are ambiguous and refused too.
  for (const digits of ['18446744073709551616', '-9223372036854775809', '-9223372036854775808', '18446744073709551615', '99999999999999999999999']) {
    const { raws, replies } = await p.probeLine(`{"jsonrpc":"2.0","id":${digits},"method":"ping"}`);
    is(raws.length, 1, `ping ${digits}: exactly one response`);
    const r = replies[0] || {};
    const echoed = new RegExp(`"id":${digits}[,}]`).test(raws[0] || '');
    const rejected = r.id === null && r.error && r.error.code === -32600;
    ok(echoed || rejected, `ping ${digits}: the id is echoed exactly or the request gets -32600 with id null`);
    if (!echoed && !rejected) diag(`got: ${raws[0]}`);
  }

  // The same ids on other kinds of response.
  for (const id of ['list-é', -3]) {
    const r = await (p.send({ jsonrpc: '2.0', id, method: 'tools/list' }), p.response(id));
    ok(r.result && Array.isArray(r.result.tools), `tools/list ${JSON.stringify(id)}: answered with the same id`);
  }
  for (const id of ['bad-params-é', -4]) {
    const r = await (p.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'nope' } }), p.response(id));
    is(r.error && r.error.code, -32602, `unknown tool ${JSON.stringify(id)}: the error carries the same id`);
  }
  // Tool calls are answered later, from the app-server's notifications: the id must survive that.
  // (Fresh ids: a sender must not reuse an id within the session.)
  const calls = ['call-ünï', 100000, 9007199254740990, '12'];
  for (const id of calls) {
    p.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'codex', arguments: { prompt: `[[say:answer ${JSON.stringify(id)}]]` } } });
  }
  for (const id of calls) {
    const r = await p.response(id);
    is(r.result && r.result.content[0].text, `answer ${JSON.stringify(id)}`, `tools/call ${JSON.stringify(id)}: its own result under the same id`);
  }
  for (const id of calls) {
    const n = p.messages.filter((m) => m.id === id && ('result' in m || 'error' in m)).length;
    is(n, 1, `tools/call ${JSON.stringify(id)}: exactly one response`);
  }
  is(p.messages.filter((m) => m.id === 12).length, 0, 'no response carries 12 (integer) for the call with id "12"');

  // Invalid ids: -32600 with id null, one response, and the session carries on.
  for (const [what, raw] of [
    ['null', 'null'], ['1.5', '1.5'], ['-0.5', '-0.5'], ['1.0', '1.0'], ['an object', '{"n":1}'], ['an array', '[1]'],
    ['an empty array', '[]'], ['true', 'true'], ['false', 'false'],
  ]) {
    const { replies, pong } = await p.probeLine(`{"jsonrpc":"2.0","id":${raw},"method":"ping"}`);
    is(replies.length, 1, `id ${what}: exactly one response`);
    const r = replies[0] || {};
    is(r.error && r.error.code, -32600, `id ${what}: -32600`);
    ok('id' in r && r.id === null, `id ${what}: the error's id is null`);
    ok(!('result' in r), `id ${what}: no result`);
    ok(pong !== null, `id ${what}: a ping afterwards still works`);
  }
  // Also on a method that would do work.
  const { replies } = await p.probeLine('{"jsonrpc":"2.0","id":2.5,"method":"tools/call","params":{"name":"codex","arguments":{"prompt":"no"}}}');
  is(replies.length, 1, 'tools/call with id 2.5: exactly one response');
  is(replies[0] && replies[0].error && replies[0].error.code, -32600, 'tools/call with id 2.5: -32600, the call does not run');
  is((await p.close()).code, 0, 'the proxy exits 0 on EOF');
});
