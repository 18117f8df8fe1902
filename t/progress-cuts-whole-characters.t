// Proves: a progress message quoting the start of an answer made of multi-byte characters (é, €, 😀) ends on a whole character: its text is the longest prefix of at most 63 bytes that does not split one, followed by "...", and every byte the proxy wrote on stdout is valid UTF-8.
'use strict';
const { ok, is, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const UNIT = 'é€😀 ';

main(async () => {
  const p = await h.fakeRawProxy('progress-utf8');
  p.send({ jsonrpc: '2.0', id: 'u', method: 'tools/call', params: { name: 'codex', arguments: { prompt: '[[flood:2000:700]]' }, _meta: { progressToken: 'pt-u' } } });
  const res = await p.response('u', 30000);
  is(h.textOf(res.result), UNIT.repeat(200), 'the call returned the whole streamed answer');
  const writing = p.messages.filter((m) => m.method === 'notifications/progress' && /^writing: /.test(m.params.message));
  ok(writing.length >= 1, `a progress message quotes the answer (${writing.length})`);
  // 63 bytes of the answer end inside the € of the seventh unit: 6 units and é are 62 bytes.
  const head = `${UNIT.repeat(6)}é`;
  is(Buffer.byteLength(head), 62, 'the expected head is 62 bytes (the 63rd would split a €)');
  is(writing[0] && writing[0].params.message, `writing: ${head}...`, 'the message ends on a whole character');
  const bytes = p.stdoutBytes();
  ok(h.validUtf8(bytes), `all ${bytes.length} bytes on stdout are valid UTF-8`);
  ok(!p.lines.some((l) => l.includes('\ufffd')), 'and no line holds U+FFFD (nothing was broken and repaired)');
  if (!h.validUtf8(bytes)) diag(`progress: ${JSON.stringify(writing.map((m) => m.params.message))}`);
});
