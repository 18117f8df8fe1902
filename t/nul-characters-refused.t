// Proves: a message with a NUL character (\u0000) in any string is refused with -32600 and its id, so "ping\u0000x" is never served as ping, "codex\u0000x" never runs the codex tool and "prompt\u0000x" is never read as prompt.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const p = await h.fakeRawProxy('nul');

  // json-c cuts object keys at a NUL, so the proxy could not tell these from the real names.
  const requests = [
    ['method "ping\\u0000x"', 'ping\u0000x', {}],
    ['method "tools/list\\u0000"', 'tools/list\u0000', {}],
    ['method "initialize\\u0000"', 'initialize\u0000', { protocolVersion: '2025-06-18' }],
    ['tool "codex\\u0000x"', 'tools/call', { name: 'codex\u0000x', arguments: { prompt: '[[say:ran]]' } }],
    ['tool "codex-reply\\u0000evil"', 'tools/call', { name: 'codex-reply\u0000evil', arguments: { prompt: '[[say:ran]]' } }],
    ['argument "prompt\\u0000x"', 'tools/call', { name: 'codex', arguments: { 'prompt\u0000x': '[[say:ran]]' } }],
    ['argument "sandbox\\u0000"', 'tools/call', { name: 'codex', arguments: { prompt: '[[say:ran]]', 'sandbox\u0000': 'read-only' } }],
    ['a NUL in a prompt', 'tools/call', { name: 'codex', arguments: { prompt: 'a\u0000b' } }],
  ];
  for (const [what, method, params] of requests) {
    const r = await p.request(method, params);
    is(r.error && r.error.code, -32600, `${what}: -32600 with the request's id`);
    like(r.error && r.error.message, /NUL/, `${what}: the message says why`);
    ok(!('result' in r), `${what}: not served`);
  }
  const literal = await p.request('tools/call', { name: 'codex', arguments: { prompt: '[[say:a \\u0000 b]]' } });
  is(literal.result && h.textOf(literal.result), 'a \\u0000 b', 'the text "\\u0000" (an escaped backslash) is an ordinary prompt');

  await h.sleep(200);
  const work = h.readJsonl(p.log).filter((m) => m.method === 'turn/start').map((m) => m.params.input[0].text);
  is(work, ['[[say:a \\u0000 b]]'], 'only the ordinary prompt reached the app-server');
  is((await p.close()).code, 0, 'the proxy exits 0 on EOF');
});
