// Proves: JSON extensions lenient parsers accept (single quotes, also a single-quoted key alone, trailing commas, comments, NaN/Infinity, capitalised literals, leading zeros) get -32700 with id null, and the few json-c still tolerates (`1.`, raw control characters in strings) never leave the proxy as anything but strict JSON.
'use strict';
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const p = await h.fakeRawProxy('strictjson');

  const cases = [
    ['single-quoted strings', "{'jsonrpc':'2.0','id':'sq','method':'ping'}"],
    ['a single-quoted key', '{"jsonrpc":"2.0","id":"sk","method":"ping",\'params\':{}}'],
    ['a trailing comma in an object', '{"jsonrpc":"2.0","id":"tc","method":"ping",}'],
    ['a trailing comma in an array', '{"jsonrpc":"2.0","id":"tca","method":"ping","params":{"a":[1,2,]}}'],
    ['a block comment after the message', '{"jsonrpc":"2.0","id":"bc","method":"ping"} /* hi */'],
    ['a block comment before the message', '/* hi */ {"jsonrpc":"2.0","id":"bc2","method":"ping"}'],
    ['a comment inside the message', '{"jsonrpc":"2.0",/* hi */"id":"bc3","method":"ping"}'],
    ['NaN', '{"jsonrpc":"2.0","id":"nan","method":"ping","params":{"x":NaN}}'],
    ['Infinity', '{"jsonrpc":"2.0","id":"inf","method":"ping","params":{"x":Infinity}}'],
    ['-Infinity', '{"jsonrpc":"2.0","id":"ninf","method":"ping","params":{"x":-Infinity}}'],
    ['True', '{"jsonrpc":"2.0","id":"True","method":"ping","params":{"x":True}}'],
    ['NULL', '{"jsonrpc":"2.0","id":"NULL","method":"ping","params":{"x":NULL}}'],
    ['a leading zero', '{"jsonrpc":"2.0","id":"lz","method":"ping","params":{"x":022}}'],
    ['nan', '{"jsonrpc":"2.0","id":"nan2","method":"ping","params":{"x":nan}}'],
  ];
  for (const [what, line] of cases) {
    const { replies, pong } = await p.probeLine(line);
    is(replies.length, 1, `${what}: exactly one response`);
    const r = replies[0] || {};
    is(r.error && r.error.code, -32700, `${what}: -32700`);
    ok('id' in r && r.id === null, `${what}: id null`);
    ok(!('result' in r), `${what}: not answered as a request`);
    ok(pong !== null, `${what}: a ping afterwards still works`);
  }

  // Tolerated forms: what reaches the app-server must still be strict JSON,
  // or it would drop the line and the call would wait forever.
  const q = await h.fakeRawProxy('tolerated');
  const tolerated = [
    ['a number ending in a dot', '{"jsonrpc":"2.0","id":"dot","method":"tools/call","params":{"name":"codex","arguments":{"prompt":"[[say:dot]]","config":{"x":1.}}}}', 'dot'],
    ['a raw tab in a string', '{"jsonrpc":"2.0","id":"tab","method":"tools/call","params":{"name":"codex","arguments":{"prompt":"[[say:a\tb]]"}}}', 'a\tb'],
    ['a raw control character in a string', '{"jsonrpc":"2.0","id":"ctl","method":"tools/call","params":{"name":"codex","arguments":{"prompt":"[[say:a\u0001b]]"}}}', 'a\u0001b'],
  ];
  for (const [what, line, text] of tolerated) {
    const start = q.lines.length;
    q.sendLine(line);
    const id = JSON.parse(line.replace(/'/g, '"').replace('1.}', '1}').replace('\t', '\\t').replace('\u0001', '\\u0001')).id;
    const r = await q.response(id, 10000).catch(() => null);
    ok(r && r.result && !r.result.isError, `${what}: the call was answered`);
    is(r && r.result && r.result.content[0].text, text, `${what}: with the right text`);
    ok(q.lines.slice(start).every(h.isJson), `${what}: the answer is strict JSON`);
  }
  const sent = h.readJsonl(q.log).filter((m) => m.method === 'thread/start');
  is(sent.length, tolerated.length, 'every tolerated call reached the app-server as JSON it could parse');
  is(sent[0] && sent[0].params.config, { x: 1 }, 'the number 1. went out as 1');
  is((await q.close()).code, 0, 'the proxy exits 0 on EOF');
  is((await p.close()).code, 0, 'the proxy exits 0 on EOF');
});
