// Proves: a tool result whose text holds newlines, CRs, tabs, quotes, backslashes, control characters and non-ASCII arrives as exactly one stdout line that decodes back to the same text (in content and structuredContent).
'use strict';
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const p = await h.fakeRawProxy('multiline');

  const texts = [
    ['newlines', 'line one\nline two\n\nline four\n'],
    ['CRLF and a lone CR', 'dos line\r\nnext\rafter CR'],
    ['tabs', 'col1\tcol2\t\tcol4'],
    ['quotes and backslashes', 'say "hi" and \'bye\'; C:\\path\\to\\file \\n is not a newline \\"'],
    ['non-ASCII', 'ünïcödé — 日本語のテキスト — Ελληνικά — emoji 🙂👍🏽 — 𝄞'],
    ['control characters', 'bell\u0007 backspace\b formfeed\f vtab\u000b esc\u001b[0m del\u007f'],
    ['line and paragraph separators', 'a\u2028b\u2029c\u0085d'],
    ['everything at once', '```js\nconst s = "a\\tb";\n\tconsole.log(s, \'ü\');\r\n```\n— done ✓ 🙂\n'],
  ];
  for (const [what, text] of texts) {
    const id = `text-${what}`;
    const start = p.lines.length;
    p.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'codex', arguments: { prompt: `[[say:${text}]]` } } });
    const r = await p.response(id);
    const fresh = p.lines.slice(start);
    is(fresh.length, 1, `${what}: exactly one new stdout line`);
    const mine = p.lines.filter((l) => l.includes(JSON.stringify(id)));
    is(mine.length, 1, `${what}: one line carries the response`);
    let parsed = null;
    try { parsed = JSON.parse(mine[0]); } catch { /* reported below */ }
    ok(parsed !== null, `${what}: that line is JSON on its own`);
    ok(r.result && !r.result.isError, `${what}: the call succeeded`);
    is(r.result && r.result.content && r.result.content[0].text, text, `${what}: content[0].text decodes to the same string`);
    is(r.result && r.result.structuredContent && r.result.structuredContent.content, text, `${what}: structuredContent.content too`);
  }

  is((await p.close()).code, 0, 'the proxy exits 0 on EOF');
  const out = p.stdoutBytes();
  ok(h.validUtf8(out), 'stdout is valid UTF-8');
  const lines = out.toString('utf8').split('\n');
  is(lines.pop(), '', 'stdout ends with a newline');
  is(lines.length, texts.length + 1, 'stdout holds exactly one line per response (initialize + each call)');
  ok(lines.every(h.isJson), 'every line parses as JSON');
  ok(lines.every((l) => !/[\u0000-\u001f]/.test(l)), 'no line holds a raw control character (all are escaped)');
});
