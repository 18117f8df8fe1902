// Proves: each malformed stdio line gets exactly one error (-32700 with id null for unparsable JSON, -32600 for a valid JSON text that is not a valid request) and a ping after it still works; blank and whitespace-only lines get no answer; CRLF line ends work; invalid UTF-8 neither crashes nor wedges the proxy.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const p = await h.fakeRawProxy('malformed');

  // [what, line, code, id of the error]
  const cases = [
    ['invalid JSON', 'this is not json', -32700, null],
    ['a lone brace', '{', -32700, null],
    ['truncated JSON', '{"jsonrpc":"2.0","id":1,"method":"pi', -32700, null],
    ['truncated after a value', '{"jsonrpc":"2.0","id":1,"method":"ping"', -32700, null],
    ['two JSON texts on one line', '{"jsonrpc":"2.0","id":1,"method":"ping"} {"jsonrpc":"2.0","id":2,"method":"ping"}', -32700, null],
    ['trailing garbage', '{"jsonrpc":"2.0","id":1,"method":"ping"} x', -32700, null],
    ['a batch of one request', '[{"jsonrpc":"2.0","id":"in-batch","method":"ping"}]', -32600, null],
    ['a batch of two requests', '[{"jsonrpc":"2.0","id":"b1","method":"ping"},{"jsonrpc":"2.0","id":"b2","method":"ping"}]', -32600, null],
    ['an empty batch', '[]', -32600, null],
    ['a JSON string', '"hello"', -32600, null],
    ['a JSON number', '42', -32600, null],
    ['a JSON number with a fraction', '4.5', -32600, null],
    ['JSON null', 'null', -32600, null],
    ['JSON true', 'true', -32600, null],
    ['an empty object', '{}', -32600, null],
    ['an object without jsonrpc', '{"id":"no-version","method":"ping"}', -32600, 'no-version'],
    ['jsonrpc "1.0"', '{"jsonrpc":"1.0","id":"v1","method":"ping"}', -32600, 'v1'],
    ['jsonrpc 2.0 as a number', '{"jsonrpc":2.0,"id":"vnum","method":"ping"}', -32600, 'vnum'],
    ['jsonrpc null', '{"jsonrpc":null,"id":"vnull","method":"ping"}', -32600, 'vnull'],
    ['method a number', '{"jsonrpc":"2.0","id":"m-num","method":42}', -32600, 'm-num'],
    ['method null', '{"jsonrpc":"2.0","id":"m-null","method":null}', -32600, 'm-null'],
    ['method an object', '{"jsonrpc":"2.0","id":"m-obj","method":{"name":"ping"}}', -32600, 'm-obj'],
    ['neither method nor result, with an id', '{"jsonrpc":"2.0","id":"bare"}', -32600, 'bare'],
    ['neither method nor result nor id', '{"jsonrpc":"2.0"}', -32600, null],
    ['neither method nor result, with params', '{"jsonrpc":"2.0","id":"p-only","params":{}}', -32600, 'p-only'],
  ];
  for (const [what, line, code, id] of cases) {
    const { replies, pong } = await p.probe(`${line}\n`);
    is(replies.length, 1, `${what}: exactly one response`);
    const r = replies[0] || {};
    is(r.jsonrpc, '2.0', `${what}: a JSON-RPC 2.0 message`);
    is(r.error && r.error.code, code, `${what}: error ${code}`);
    ok(r.error && typeof r.error.message === 'string' && r.error.message.length > 0, `${what}: with a message`);
    ok('id' in r && r.id === id, `${what}: id ${JSON.stringify(id)}`);
    ok(!('result' in r), `${what}: no result`);
    ok(pong !== null && JSON.stringify(pong.result) === '{}', `${what}: a ping afterwards still works`);
  }
  is(p.messages.filter((m) => ['in-batch', 'b1', 'b2'].includes(m.id)).length, 0, 'no request inside a rejected batch was answered');

  // Blank lines are nothing: no answer at all.
  for (const [what, raw] of [
    ['an empty line', '\n'], ['a space', ' \n'], ['a tab', '\t\n'], ['spaces and tabs', ' \t  \t \n'],
    ['a lone CR', '\r\n'], ['spaces then CR', '   \r\n'], ['several empty lines', '\n\n\n\n'],
  ]) {
    const { replies, pong } = await p.probe(raw);
    is(replies.length, 0, `${what}: no answer`);
    ok(pong !== null, `${what}: a ping afterwards still works`);
  }

  // CRLF line ends.
  const crlf = await p.probe('{"jsonrpc":"2.0","id":"crlf-ping","method":"ping"}\r\n');
  is(crlf.replies.length, 1, 'CRLF ping: one response');
  is(crlf.replies[0] && crlf.replies[0].id, 'crlf-ping', 'CRLF ping: with its id');
  is(crlf.replies[0] && crlf.replies[0].result, {}, 'CRLF ping: result {}');
  const crlfList = await p.probe('{"jsonrpc":"2.0","id":"crlf-list","method":"tools/list"}\r\n');
  ok(crlfList.replies[0] && crlfList.replies[0].result && Array.isArray(crlfList.replies[0].result.tools),
    'CRLF tools/list: answered with the tools');
  p.child.stdin.write('{"jsonrpc":"2.0","id":"crlf-call","method":"tools/call","params":{"name":"codex","arguments":{"prompt":"[[say:crlf ok]]"}}}\r\n');
  const call = await p.response('crlf-call');
  is(call.result && call.result.content[0].text, 'crlf ok', 'CRLF tools/call: the tool ran with the prompt intact');

  // Invalid UTF-8 bytes: an answer or an error, but no crash and no wedge.
  const bytes = (...parts) => Buffer.concat(parts.map((x) => (typeof x === 'string' ? Buffer.from(x) : Buffer.from(x))));
  for (const [what, raw] of [
    ['invalid UTF-8 in a params string', bytes('{"jsonrpc":"2.0","id":"u8-param","method":"ping","params":{"x":"a', [0xff, 0xfe], 'b"}}\n')],
    ['a truncated UTF-8 sequence in a string', bytes('{"jsonrpc":"2.0","id":"u8-trunc","method":"ping","params":{"x":"', [0xe6, 0x97], '"}}\n')],
    ['an overlong UTF-8 encoding in a string', bytes('{"jsonrpc":"2.0","id":"u8-overlong","method":"ping","params":{"x":"', [0xc0, 0xaf], '"}}\n')],
    ['invalid UTF-8 between tokens', bytes('{"jsonrpc":"2.0",', [0xff], '"id":"u8-between","method":"ping"}\n')],
    ['invalid UTF-8 in a tool prompt', bytes('{"jsonrpc":"2.0","id":"u8-prompt","method":"tools/call","params":{"name":"codex","arguments":{"prompt":"[[say:fine]] ', [0xc3, 0x28], '"}}}\n')],
  ]) {
    const { replies, pong } = await p.probe(raw);
    ok(pong !== null, `${what}: a ping afterwards still works`);
    ok(replies.every((r) => r.jsonrpc === '2.0' && !('unparsable' in r)), `${what}: whatever came back is JSON-RPC`);
    ok(p.child.exitCode === null, `${what}: the proxy is still running`);
  }
  // The tool call is answered, one way or the other.
  const u8 = await p.response('u8-prompt').catch(() => null);
  ok(u8 && ('result' in u8 || 'error' in u8), 'the tool call with invalid UTF-8 in its prompt got a response');

  const after = await p.request('tools/call', { name: 'codex', arguments: { prompt: '[[say:still here]]' } });
  is(after.result && after.result.content[0].text, 'still here', 'after all that, a tool call works');
  ok(p.lines.every(h.isJson), 'every stdout line was JSON');
  is((await p.close()).code, 0, 'the proxy exits 0 on EOF');
});
