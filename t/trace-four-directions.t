// Proves: --trace FILE (stdio, real codex 0.169) writes one well-formed JSON object per line ({ts: integer microseconds, dir, session, conn, msg}) for all four directions, each direction in time order, session "stdio"/conn 0 on the client side and session null/conn>=1 on the app-server side, every request with its response; lines that are not JSON (either side) are kept whole as "raw" text in a file that stays valid UTF-8; and --trace - writes the same JSON lines to stderr between the log lines.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const tt = require('./lib/trace-tools.js');

const LOG_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z codex-mcp-proxy\[\d+\] (debug|info|warning): /;

// A codex call and a codex-reply; the results.
async function talk(client) {
  const first = await client.callTool({ name: 'codex', arguments: { prompt: 'trace me' } });
  const tid = first.structuredContent.threadId;
  const second = await client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: 'and again' } });
  return [first, second];
}

main(async () => {
  const mock = await h.mockModel();
  const home = h.codexHome(mock);
  const dir = h.scratch('trace4');
  const file = path.join(dir, 'trace.jsonl');

  const t0 = Date.now() * 1000;
  const s = await h.codexSession({ args: ['--trace', file], mock, home });
  const [first, second] = await talk(s.client);
  is(h.textOf(second), 'You said: and again', 'the codex-reply answered (the session works with --trace)');
  await s.client.close();
  ok(await tt.gone(s.pid), 'the proxy exited once the client closed');
  const t1 = Date.now() * 1000;

  const t = tt.readTrace(file);
  ok(t.lines.length > 20, `the trace has lines (${t.lines.length})`);
  ok(t.text.endsWith('\n'), 'the trace ends with a whole line');
  is(t.bad, [], 'every line is valid JSON');
  const problems = t.records.map((r, i) => [i + 1, tt.recordProblem(r)]).filter(([, p]) => p);
  is(problems, [], 'every line has exactly ts, dir, session, conn and msg (or raw), of the right types');
  ok(t.records.every((r) => 'msg' in r), 'every message parsed (msg, no raw line)');
  ok(t.records.every((r) => r.ts >= t0 - 1000000 && r.ts <= t1 + 1000000),
    'ts is microseconds since the epoch (within the run)');

  const by = {};
  for (const d of tt.DIRS) by[d] = t.records.filter((r) => r.dir === d);
  is(tt.DIRS.filter((d) => by[d].length === 0), [], 'all four directions are present');
  for (const d of tt.DIRS) {
    const back = by[d].findIndex((r, i) => i > 0 && r.ts < by[d][i - 1].ts);
    ok(back < 0, `${d}: ts never goes backwards${back < 0 ? '' : ` (record ${back})`}`);
  }
  const client = [...by.c2p, ...by.p2c];
  const server = [...by.p2s, ...by.s2p];
  ok(client.every((r) => r.session === 'stdio' && r.conn === 0), 'client side: session "stdio", conn 0');
  ok(server.every((r) => r.session === null && r.conn >= 1), 'app-server side: session null, conn >= 1');
  diag(`conns: ${[...new Set(server.map((r) => r.conn))].join(',')}`);

  // Requests and their responses.
  const answered = (reqs, resps) => reqs.filter((q) => !resps.some((r) => r.msg.id === q.msg.id && tt.isResponse(r.msg)))
    .map((q) => `${q.msg.method}#${q.msg.id}`);
  const c2pReqs = by.c2p.filter((r) => tt.isRequest(r.msg));
  const p2sReqs = by.p2s.filter((r) => tt.isRequest(r.msg));
  ok(c2pReqs.length >= 4, `the client's requests are traced (${c2pReqs.map((r) => r.msg.method).join(' ')})`);
  is(answered(c2pReqs, by.p2c), [], 'each MCP request id in c2p has its response in p2c');
  ok(p2sReqs.some((r) => r.msg.method === 'turn/start'), 'the upstream requests are traced (turn/start among them)');
  is(answered(p2sReqs, by.s2p), [], 'each upstream request in p2s has its response in s2p');

  // The messages are the real ones: the tools/call results as the client got them.
  const callIds = by.c2p.filter((r) => r.msg.method === 'tools/call').map((r) => r.msg.id);
  const results = callIds.map((id) => by.p2c.find((r) => r.msg.id === id && tt.isResponse(r.msg)))
    .map((r) => r && r.msg.result);
  is(results.map((r) => r && r.structuredContent), [first.structuredContent, second.structuredContent],
    'p2c holds the tools/call results the client received');
  ok(by.s2p.some((r) => r.msg.method === 'turn/completed'), 's2p holds the app-server notifications (turn/completed)');

  // Lines that do not parse, from the client and from the app-server (fake): "raw".
  const rfile = path.join(dir, 'raw.jsonl');
  const rp = await h.fakeRawProxy('trace-raw', { args: ['--trace', rfile] });
  await rp.probeLine('this is not json');
  await rp.probe(Buffer.concat([Buffer.from('{bad '), Buffer.from([0xfe, 0xff, 0xc3, 0x28]), Buffer.from(' end\n')]));
  await rp.probe(Buffer.from('ab\u0000cd\n'));
  const g = await rp.request('tools/call', { name: 'codex', arguments: { prompt: '[[garbage]] hi' } });
  is(h.textOf(g.result), 'You said: hi', 'the call past the app-server\'s garbage lines answered');
  await rp.close();
  const rt = tt.readTrace(rfile);
  is(rt.bad, [], 'with raw lines, every trace line still parses');
  is(rt.records.map(tt.recordProblem).filter(Boolean), [], 'and is a whole trace record');
  const raws = (d) => rt.records.filter((r) => r.dir === d && 'raw' in r).map((r) => r.raw);
  ok(raws('c2p').includes('this is not json'), 'c2p: a client line that is not JSON is traced as raw, as it was');
  ok(raws('s2p').includes('garbage{{{') && raws('s2p').includes('[1,2'),
    's2p: app-server lines that are not JSON are traced as raw, as they were');
  ok(raws('c2p').some((r) => r.startsWith('{bad ') && r.endsWith(' end')), 'c2p: a line with invalid UTF-8 is traced as raw, whole');
  ok(h.validUtf8(fs.readFileSync(rfile)), 'the trace file stays valid UTF-8 (JSON text) even then');
  ok(raws('c2p').includes('ab\u0000cd'), 'c2p: a line with a NUL character is traced whole (not cut at the NUL)');

  // --trace -: the same lines on stderr, among the log lines.
  const s2 = await h.codexSession({ args: ['--trace', '-', '-v'], mock, home });
  await talk(s2.client);
  await s2.client.close();
  ok(await tt.gone(s2.pid), 'the second proxy (--trace -) exited');
  const lines = s2.stderr().split('\n').filter((l) => l !== '');
  const jsonLines = lines.filter((l) => l.startsWith('{'));
  const logLines = lines.filter((l) => LOG_LINE.test(l));
  const other = lines.filter((l) => !l.startsWith('{') && !LOG_LINE.test(l));
  ok(jsonLines.length > 20 && logLines.length > 0,
    `stderr has trace lines (${jsonLines.length}) and log lines (${logLines.length})`);
  const firstJson = lines.findIndex((l) => l.startsWith('{'));
  const lastJson = lines.length - 1 - [...lines].reverse().findIndex((l) => l.startsWith('{'));
  ok(lines.slice(firstJson, lastJson).some((l) => LOG_LINE.test(l)), 'log lines come between trace lines (interleaved)');
  is(other, [], 'every stderr line is a trace line or a log line (nothing split or mixed)');
  const parsed = jsonLines.map(h.parseLine);
  is(parsed.filter((r) => r.unparsable).map((r) => r.unparsable), [], 'every trace line on stderr parses');
  is(parsed.map(tt.recordProblem).filter(Boolean), [], 'and has the fields of a trace record');
  is(tt.DIRS.filter((d) => !parsed.some((r) => r.dir === d)), [], 'all four directions are on stderr');
  ok(parsed.some((r) => r.dir === 'p2c' && r.msg && r.msg.result && r.msg.result.structuredContent &&
    r.msg.result.structuredContent.content === 'You said: and again'), 'including the codex-reply result');
});
