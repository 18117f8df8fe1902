// Proves: an unknown method gets -32601 with its id; params that are not an object, a tools/call without params or a tool name, an unknown tool and a tools/list cursor get -32602; responses sent by the client get no answer.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// Expect exactly one error response with this code and id to the request.
async function expectError(p, what, msg, code, re) {
  const { replies, pong } = await p.probeLine(JSON.stringify(msg));
  is(replies.length, 1, `${what}: exactly one response`);
  const r = replies[0] || {};
  is(r.error && r.error.code, code, `${what}: error ${code}`);
  ok(r.id === msg.id, `${what}: with id ${JSON.stringify(msg.id)}`);
  ok(!('result' in r), `${what}: no result`);
  if (re) like(r.error && r.error.message, re, `${what}: the message says ${re}`);
  ok(pong !== null, `${what}: a ping afterwards still works`);
}

main(async () => {
  const p = await h.fakeRawProxy('unknown');

  const req = (id, method, params) => (params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });

  // Unknown methods.
  for (const [id, method] of [
    ['m1', 'no/such/method'], [1, 'resources/list'], ['m3', 'prompts/list'], ['m4', 'logging/getLevel'],
    ['m5', 'completion/complete'], ['m6', 'tasks/list'], ['m7', 'Tools/List'], ['m8', 'tools/list '], ['m9', ''],
    ['m10', 'notifications/initialized'],
  ]) {
    await expectError(p, `method ${JSON.stringify(method)}`, req(id, method, {}), -32601);
  }
  await expectError(p, 'unknown method without params', req('m11', 'no/such/method'), -32601, /no\/such\/method/);

  // params that are not an object.
  for (const [what, params] of [['an array', []], ['a non-empty array', ['codex']], ['a string', 'x'], ['a number', 3], ['true', true]]) {
    await expectError(p, `ping with params ${what}`, req(`pp-${what}`, 'ping', params), -32602);
    await expectError(p, `tools/list with params ${what}`, req(`lp-${what}`, 'tools/list', params), -32602);
    await expectError(p, `tools/call with params ${what}`, req(`cp-${what}`, 'tools/call', params), -32602);
    await expectError(p, `an unknown method with params ${what}`, req(`up-${what}`, 'no/such', params), -32602);
  }

  // tools/call without params or without a usable name.
  await expectError(p, 'tools/call without params', req('c1', 'tools/call'), -32602);
  await expectError(p, 'tools/call with params {}', req('c2', 'tools/call', {}), -32602);
  await expectError(p, 'tools/call with only arguments', req('c3', 'tools/call', { arguments: { prompt: 'x' } }), -32602);
  await expectError(p, 'tools/call with name null', req('c4', 'tools/call', { name: null, arguments: { prompt: 'x' } }), -32602);
  await expectError(p, 'tools/call with name a number', req('c5', 'tools/call', { name: 5, arguments: { prompt: 'x' } }), -32602);
  await expectError(p, 'tools/call with name an array', req('c6', 'tools/call', { name: ['codex'], arguments: { prompt: 'x' } }), -32602);

  // Unknown tools.
  await expectError(p, 'unknown tool', req('t1', 'tools/call', { name: 'nope', arguments: {} }), -32602, /nope/);
  await expectError(p, 'tool name in the wrong case', req('t2', 'tools/call', { name: 'Codex', arguments: { prompt: 'x' } }), -32602, /Codex/);
  await expectError(p, 'empty tool name', req('t3', 'tools/call', { name: '', arguments: { prompt: 'x' } }), -32602);
  await expectError(p, 'tool name with a trailing space', req('t4', 'tools/call', { name: 'codex ', arguments: { prompt: 'x' } }), -32602);
  await expectError(p, 'tool name codex_reply', req('t5', 'tools/call', { name: 'codex_reply', arguments: { prompt: 'x' } }), -32602);

  // tools/list takes no cursor: there is only one page.
  await expectError(p, 'tools/list with a cursor', req('l1', 'tools/list', { cursor: 'abc' }), -32602);
  await expectError(p, 'tools/list with an empty cursor', req('l2', 'tools/list', { cursor: '' }), -32602);
  const plain = await p.request('tools/list', {});
  ok(plain.result && Array.isArray(plain.result.tools) && !('nextCursor' in plain.result), 'tools/list without a cursor: one page, no nextCursor');

  // Responses from the client: nothing was asked, nothing is answered.
  for (const [what, msg] of [
    ['a result', { jsonrpc: '2.0', id: 'r1', result: {} }],
    ['a result with an integer id', { jsonrpc: '2.0', id: 0, result: { action: 'accept' } }],
    ['an error', { jsonrpc: '2.0', id: 'r2', error: { code: -32603, message: 'client trouble' } }],
    ['a null result', { jsonrpc: '2.0', id: 'r3', result: null }],
  ]) {
    const { replies, pong } = await p.probeLine(JSON.stringify(msg));
    is(replies, [], `a response (${what}) from the client: no answer`);
    ok(pong !== null, `a response (${what}) from the client: a ping afterwards still works`);
  }

  // None of that started anything upstream.
  await h.sleep(200);
  const started = h.readJsonl(p.log).filter((m) => ['thread/start', 'thread/resume', 'turn/start'].includes(m.method));
  is(started.length, 0, 'no thread or turn was started on the app-server');
  is((await p.close()).code, 0, 'the proxy exits 0 on EOF');
});
