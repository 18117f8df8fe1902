// Proves: the v2 dialect reads every item/agentMessage/delta line recorded from codex 0.77 and 0.169 without a json-c tree (t/unit/dialect-events ... fast), into exactly the event the parser makes of the same line; escapes (quotes, backslashes, \/, \n, \u00e9, a surrogate pair) are decoded as json-c decodes them; and every line the scanner cannot vouch for (a request id, an escaped method or key, a duplicate or non-string delta, \u0000, a lone surrogate, invalid UTF-8, a raw control character, an exponent, deep nesting, anything after the object, another method) is left to the parser, which then reads it as before.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ok, is, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const { unitProgram } = require('./lib/unit-program.js');

const DATA = path.join(h.TOP, 't', 'data');
const D = 'item/agentMessage/delta';
const delta = (params, extra = '') => `{"method":"${D}","params":${params}${extra}}`;
const P = (d) => `{"threadId":"t1","turnId":"u1","itemId":"m1","delta":${d}}`;

// Lines the fast path takes, with the text it must decode.
const TAKEN = [
  [delta(P('"plain text"'), ',"emittedAtMs":1795630026180'), 'plain text'],
  [delta(P('"q\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f"')), 'q"b\\s/n\nt\tr\rb\bf\f'],
  [delta(P('"caf\\u00e9 \\ud83d\\ude00 \u20ac"')), 'café 😀 €'],
  [delta(P('""')), ''],
  [delta('{"delta":"no ids","extra":{"deep":[1,2.5,-3,true,false,null,{"a":"b"}]}}'), 'no ids'],
  [` {"params":${P('"params first"')} , "method" : "${D}" } `.trim(), 'params first'],
];

// Lines the fast path must leave to the parser.
const REFUSED = [
  ['a request id', `{"id":7,"method":"${D}","params":${P('"x"')}}`],
  ['an escaped method', `{"method":"item\\/agentMessage\\/delta","params":${P('"x"')}}`],
  ['an escaped key', delta('{"del\\u0074a":"x"}')],
  ['a duplicate delta', delta('{"delta":"a","delta":"b"}')],
  ['a duplicate params', `{"method":"${D}","params":${P('"a"')},"params":${P('"b"')}}`],
  ['a number delta', delta('{"delta":5}')],
  ['a non-string threadId', delta('{"threadId":1,"delta":"x"}')],
  ['no delta', delta('{"threadId":"t1"}')],
  ['\\u0000 in the text', delta(P('"a\\u0000b"'))],
  ['a lone high surrogate', delta(P('"\\ud83d x"'))],
  ['a lone low surrogate', delta(P('"\\ude00"'))],
  ['a raw tab', delta(P('"a\tb"'))],
  ['an exponent', delta(P('"x"'), ',"emittedAtMs":1e3')],
  ['a leading zero', delta(P('"x"'), ',"n":01')],
  ['nesting 20 deep', delta(P('"x"'), `,"deep":${'['.repeat(20)}${']'.repeat(20)}`)],
  ['a space before the object', ` ${delta(P('"x"'))}`],
  ['params not an object', `{"method":"${D}","params":["x"]}`],
  ['another method', '{"method":"item/started","params":{"delta":"x"}}'],
  ['a method a little longer', `{"method":"${D}s","params":${P('"x"')}}`],
];
const INVALID_UTF8 = Buffer.concat([Buffer.from(`{"method":"${D}","params":{"delta":"a`), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]);

main(async () => {
  const prog = unitProgram('DIALECT_EVENTS', 'dialect-events');
  if (!ok(fs.existsSync(prog), `the unit program is built: ${prog}`)) return;
  // Run the program on lines (strings or Buffers); its output lines.
  const run = (file, lines) => {
    if (lines) fs.writeFileSync(file, Buffer.concat(lines.flatMap((l) => [Buffer.from(l), Buffer.from('\n')])));
    const r = spawnSync(prog, ['v2', file, 'fast'], { encoding: 'utf8' });
    return { status: r.status, out: r.stdout.split('\n').filter((l) => l !== '') };
  };

  for (const file of ['recorded-0.77-v2.jsonl', 'recorded-0.169-v2.jsonl']) {
    const lines = fs.readFileSync(path.join(DATA, file), 'utf8').split('\n').filter((l) => l !== '');
    const deltas = lines.filter((l) => JSON.parse(l).method === D).length;
    const r = run(path.join(DATA, file));
    const fast = r.out.filter((l) => l.startsWith('fast '));
    ok(deltas > 0 && fast.length === deltas, `${file}: the fast path takes all ${deltas} deltas (took ${fast.length})`);
    const pairs = r.out.map((l, i) => [l, r.out[i + 1]]).filter(([l]) => l.startsWith('fast '));
    ok(pairs.every(([f, p]) => f.slice(5) === p), `${file}: each makes the parser's event of its line`);
    is(r.out.length - fast.length, lines.length, `${file}: and the parser still reads every line`);
  }

  const dir = h.scratch('fast-path');
  const r = run(path.join(dir, 'taken.jsonl'), TAKEN.map(([l]) => l));
  is(r.status, 0, 'the lines to take: the program exits 0');
  for (const [i, [line, text]] of TAKEN.entries()) {
    const at = r.out.findIndex((l, k) => k === 2 * i && l.startsWith('fast '));
    const want = `text=${JSON.stringify(text)}`;
    ok(at >= 0 && r.out[at].endsWith(want) && r.out[at].slice(5) === r.out[at + 1],
      `taken and decoded as the parser does: ${line.slice(0, 70)}`) || diag(`${r.out[2 * i]}\n${r.out[2 * i + 1]}`);
  }

  for (const [name, line] of [...REFUSED, ['invalid UTF-8', INVALID_UTF8]]) {
    const rr = run(path.join(dir, 'refused.jsonl'), [line]);
    // The parser reads it as before: an event or not, or not JSON at all.
    ok(!rr.out.some((l) => l.startsWith('fast ')) && (rr.out.length === 1 || rr.status === 1),
      `left to the parser: ${name}`) || diag(rr.out.join('\n'));
  }
});
