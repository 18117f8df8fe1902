// Proves: --max-answer bounds the answer: a turn streaming more (with no final agent message) or ending with a longer agent message is answered with the text cut at the last whole character within the limit, then the note "[codex-mcp-proxy: answer cut at N of M bytes; see --max-answer]", in content and structuredContent alike, all valid UTF-8; an answer within the limit comes whole and without a note; a bad --max-answer is refused.
'use strict';
const { spawnSync } = require('node:child_process');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const UNIT = 'é€😀 ';
const note = (n, m) => `\n\n[codex-mcp-proxy: answer cut at ${n} of ${m} bytes; see --max-answer]`;

main(async () => {
  const p = await h.fakeRawProxy('max-answer', { args: ['--max-answer', '1503'] });

  // 1503 bytes end inside the € of unit 151: 150 units and é are 1502 bytes.
  const streamed = await p.request('tools/call', { name: 'codex', arguments: { prompt: '[[flood:200000]]' } }, 30000);
  const kept = `${UNIT.repeat(150)}é`;
  is(h.textOf(streamed.result), kept + note(1502, 200000), 'streamed text: cut at 1502 of 200000 bytes, then the note');
  is(streamed.result.structuredContent && streamed.result.structuredContent.content, kept + note(1502, 200000), 'structuredContent carries the same text');
  ok(!streamed.result.isError, 'the cut answer is not an error');

  const message = await p.request('tools/call', { name: 'codex', arguments: { prompt: '[[huge:3000]]' } }, 30000);
  is(h.textOf(message.result), '0123456789'.repeat(151).slice(0, 1503) + note(1503, 3000), 'an agent message of 3000 bytes: cut at 1503, then the note');

  const small = await p.request('tools/call', { name: 'codex', arguments: { prompt: '[[flood:1500]]' } }, 30000);
  is(h.textOf(small.result), UNIT.repeat(150), 'an answer within the limit comes whole, with no note');

  const bytes = p.stdoutBytes();
  ok(h.validUtf8(bytes), `all ${bytes.length} bytes on stdout are valid UTF-8`);

  const bad = spawnSync(h.PROXY, ['--max-answer', '10'], { encoding: 'utf8' });
  is(bad.status, 2, '--max-answer 10 exits 2');
  like(bad.stderr, /--max-answer must be a number from 1024/, 'and says what it takes');
});
