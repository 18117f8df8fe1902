// Proves: stdout stays valid UTF-8 whatever bytes the client sends: invalid UTF-8 in an id, a method name, a tool name or an argument name gets one response that is itself valid UTF-8, while valid non-ASCII ids, arguments and results round-trip unchanged.
'use strict';
const { ok, is, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const p = await h.fakeRawProxy('utf8');

  const b = (...parts) => Buffer.concat(parts.map((x) => Buffer.from(x)));
  const cases = [
    ['invalid UTF-8 in a string id', b('{"jsonrpc":"2.0","id":"id-', [0xff, 0xfe], '","method":"ping"}\n')],
    ['a lone continuation byte in a string id', b('{"jsonrpc":"2.0","id":"id-', [0x80], '","method":"ping"}\n')],
    ['an overlong encoding in a string id', b('{"jsonrpc":"2.0","id":"id-', [0xc0, 0xaf], '","method":"ping"}\n')],
    ['a UTF-16 surrogate encoded as UTF-8 in a string id', b('{"jsonrpc":"2.0","id":"id-', [0xed, 0xa0, 0x80], '","method":"ping"}\n')],
    ['invalid UTF-8 in a method name', b('{"jsonrpc":"2.0","id":"m-bad","method":"x', [0xc3, 0x28], '"}\n')],
    ['invalid UTF-8 in a tool name', b('{"jsonrpc":"2.0","id":"t-bad","method":"tools/call","params":{"name":"co', [0xfe], 'dex","arguments":{"prompt":"x"}}}\n')],
    ['invalid UTF-8 in an argument name', b('{"jsonrpc":"2.0","id":"a-bad","method":"tools/call","params":{"name":"codex","arguments":{"prompt":"x","k', [0xff], '":1}}}\n')],
    ['invalid UTF-8 in an enum value', b('{"jsonrpc":"2.0","id":"e-bad","method":"tools/call","params":{"name":"codex","arguments":{"prompt":"x","sandbox":"', [0xff], '"}}}\n')],
  ];
  for (const [what, bytes] of cases) {
    // The raw stdout bytes of the lines that came before the pong's.
    const { bytes: lines, pong } = await p.probe(bytes);
    ok(pong !== null, `${what}: a ping afterwards still works`);
    const bad = lines.filter((l) => !h.validUtf8(l));
    is(bad.length, 0, `${what}: what came back is valid UTF-8`);
    for (const l of bad) diag(`invalid: ${l.toString('latin1')}`);
    is(lines.length, 1, `${what}: exactly one response`);
  }
  // A thread id goes to the app-server, so its answer comes later.
  p.child.stdin.write(b('{"jsonrpc":"2.0","id":"r-bad","method":"tools/call","params":{"name":"codex-reply","arguments":{"prompt":"x","threadId":"', [0xff], '"}}}\n'));
  const rbad = await p.response('r-bad').catch(() => null);
  ok(rbad !== null, 'invalid UTF-8 in a threadId: the call is answered');
  const rline = p.stdoutBytes().toString('latin1').split('\n').filter((l) => l.includes('"id":"r-bad"'));
  is(rline.length, 1, 'invalid UTF-8 in a threadId: exactly one response');
  ok(rline.every((l) => h.validUtf8(Buffer.from(l, 'latin1'))), 'invalid UTF-8 in a threadId: the response is valid UTF-8');
  for (const l of rline.filter((x) => !h.validUtf8(Buffer.from(x, 'latin1')))) diag(`invalid: ${l}`);

  // Valid non-ASCII goes through unchanged.
  const uid = 'ünï-日本-🙂';
  const pong = await (p.send({ jsonrpc: '2.0', id: uid, method: 'ping' }), p.response(uid));
  is(pong.result, {}, 'a non-ASCII string id is echoed');
  const text = 'Grüße, 世界! 🙂 — ĉu vi?';
  const r = await p.request('tools/call', { name: 'codex', arguments: { prompt: `[[say:${text}]]` } });
  is(r.result && h.textOf(r.result), text, 'a non-ASCII tool result round-trips');
  const e = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'x', sandbox: 'lecture-seule-é' } });
  ok(e.result && h.textOf(e.result).includes('lecture-seule-é'), 'a non-ASCII bad argument value is quoted intact in the error');

  is((await p.close()).code, 0, 'the proxy exits 0 on EOF');
  ok(h.validUtf8(p.stdoutBytes()), 'the whole of stdout is valid UTF-8');
});
