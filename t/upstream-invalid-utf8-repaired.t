// Proves: invalid UTF-8 inside the app-server's strings (FF, a cut 3-byte sequence, an overlong '/', a CESU-8 surrogate, a code point past U+10FFFF, a lone surrogate escape \ud800), in a delta, an agent message or the last stderr line quoted in an error, reaches the client repaired, each invalid part as U+FFFD the way a WHATWG decoder reads it, in the result text and its structuredContent, and every byte on stdout is valid UTF-8.
'use strict';
const { ok, is, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// What the fake writes inside the strings, then the escape and " end".
const BAD = Buffer.from([
  0x6f, 0x6b, 0x20, 0xff, 0x20, 0xe2, 0x82, 0x20, 0xc0, 0xaf, 0x20, 0xed, 0xa0, 0x80, 0x20,
  0xf4, 0x90, 0x80, 0x80, 0x20,
]);

main(async () => {
  const want = `${new TextDecoder('utf-8').decode(BAD)}\ufffd end`;
  is(want, 'ok \ufffd \ufffd \ufffd\ufffd \ufffd\ufffd\ufffd \ufffd\ufffd\ufffd\ufffd \ufffd end', 'the expected text, as a WHATWG decoder reads the bytes');
  const p = await h.fakeRawProxy('bad-utf8');
  p.send({ jsonrpc: '2.0', id: 'b', method: 'tools/call', params: { name: 'codex', arguments: { prompt: '[[bad-bytes]]' }, _meta: { progressToken: 'pt-b' } } });
  const res = await p.response('b', 30000);
  is(h.textOf(res.result), want, 'the result text has U+FFFD for each invalid part');
  is(res.result.structuredContent && res.result.structuredContent.content, want, 'and so has structuredContent');
  const bytes = p.stdoutBytes();
  ok(h.validUtf8(bytes), `all ${bytes.length} bytes on stdout are valid UTF-8`);
  if (!h.validUtf8(bytes)) diag(`stdout: ${bytes.toString('hex').slice(0, 2000)}`);
  const after = await p.request('tools/call', { name: 'codex', arguments: { prompt: '[[say:still here]]' } }, 30000);
  is(h.textOf(after.result), 'still here', 'the proxy goes on answering');

  const died = await p.request('tools/call', { name: 'codex', arguments: { prompt: '[[bad-stderr]]' } }, 30000);
  const text = h.textOf(died.result);
  ok(died.result.isError && text.includes(`fatal: ${new TextDecoder('utf-8').decode(BAD)}end`), 'an error quoting the last stderr line of a dead app-server has U+FFFD for each invalid part');
  if (!text.includes('fatal:')) diag(`error: ${text}`);
  const raw = p.rawLines.find((b) => h.parseLine(b.toString()).id === died.id);
  ok(raw && h.validUtf8(raw), 'the error\'s own line on stdout is valid UTF-8');
  ok(h.validUtf8(p.stdoutBytes()), 'every byte on stdout is still valid UTF-8');
});
