// Proves: after the trace file is renamed, SIGHUP makes the proxy write a new file at the --trace path: the old file keeps (and completes) the lines before, the new one gets the lines after, and across the rotation, with calls in flight, no line is lost, duplicated or split (fake app-server).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const tt = require('./lib/trace-tools.js');

// Send n codex calls with ids from first, all at once; their responses.
function calls(p, first, n, prompt) {
  const ids = Array.from({ length: n }, (_, i) => first + i);
  for (const id of ids) {
    p.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'codex', arguments: { prompt: `${prompt} ${id}` } } });
  }
  return Promise.all(ids.map((id) => p.response(id, 30000)));
}

// The ids of the client's tools/call requests (c2p) and of their results (p2c) in these records.
const reqIds = (rs) => rs.filter((r) => r.dir === 'c2p' && r.msg.method === 'tools/call').map((r) => r.msg.id);
const resIds = (rs) => rs.filter((r) => r.dir === 'p2c' && tt.isResponse(r.msg) && r.msg.id >= 1 && r.msg.id < 1000).map((r) => r.msg.id);
const range = (a, n) => Array.from({ length: n }, (_, i) => a + i);
const sorted = (xs) => [...xs].sort((a, b) => a - b);

main(async () => {
  const dir = h.scratch('rotate');
  const file = path.join(dir, 'trace.jsonl');
  const old = path.join(dir, 'trace.jsonl.1');
  const p = await h.fakeRawProxy('rotate-fake', { args: ['--trace', file] });

  // Phase 1: calls done before the rotation.
  const before = await calls(p, 1, 20, 'before the rotation, a few words each');
  ok(before.every((m) => m.result && !m.result.isError), 'the calls before the rotation succeeded');

  // Phase 2: calls in flight while the file is renamed and SIGHUP arrives.
  const during = calls(p, 100, 40, '[[slow:3:20]] during');
  await h.sleep(30);
  fs.renameSync(file, old);
  process.kill(p.pid, 'SIGHUP');
  ok(await h.waitUntil(() => fs.existsSync(file), 5000), 'after SIGHUP the proxy created a new file at the --trace path');
  const duringRes = await during;
  ok(duringRes.every((m) => m.result && !m.result.isError), 'the calls in flight during the rotation succeeded');

  // Phase 3: calls after the rotation.
  const oldSize = fs.statSync(old).size;
  const after = await calls(p, 500, 20, 'after the rotation');
  ok(after.every((m) => m.result && !m.result.isError), 'the calls after the rotation succeeded');
  await p.close();
  ok(await tt.gone(p.pid), 'the proxy exited');
  ok(/trace reopened/.test(p.stderr), 'the proxy logged that it reopened the trace');

  const a = tt.readTrace(old);
  const b = tt.readTrace(file);
  diag(`old file: ${a.lines.length} lines, new file: ${b.lines.length} lines`);
  is(fs.statSync(old).size, oldSize, 'the old file got nothing more once the calls after the rotation began');
  ok(a.text.endsWith('\n') && b.text.endsWith('\n'), 'both files end with a whole line');
  is(a.bad, [], 'every line of the old file parses (none split)');
  is(b.bad, [], 'every line of the new file parses (none split)');
  is([...a.records, ...b.records].map(tt.recordProblem).filter(Boolean), [], 'every line of both is a whole trace record');

  const all = [...range(1, 20), ...range(100, 40), ...range(500, 20)];
  is(sorted([...reqIds(a.records), ...reqIds(b.records)]), all,
    'together the files hold every tools/call request id exactly once (c2p)');
  is(sorted([...resIds(a.records), ...resIds(b.records)]), all,
    'and every tools/call response exactly once (p2c)');
  const oldReq = new Set(reqIds(a.records));
  const newReq = new Set(reqIds(b.records));
  ok(range(1, 20).every((id) => oldReq.has(id)), 'the calls before the rotation are in the old file');
  ok(range(500, 20).every((id) => newReq.has(id)), 'the calls after the rotation are in the new file');
  ok(resIds(b.records).length > 0 && range(500, 20).every((id) => resIds(b.records).includes(id)),
    'and so are their results');
  const turnIds = (rs) => rs.filter((r) => r.dir === 'p2s' && r.msg.method === 'turn/start').map((r) => r.msg.id);
  const ups = [...turnIds(a.records), ...turnIds(b.records)];
  is(ups.length, all.length, 'every upstream turn/start is traced once across both files');
  is(new Set(ups).size, ups.length, 'with no upstream id in both files');
  const lines = new Set(a.lines);
  is(b.lines.filter((l) => lines.has(l)), [], 'no line is in both files');
  const lastOld = a.records[a.records.length - 1];
  const firstNew = b.records[0];
  ok(lastOld && firstNew && lastOld.ts <= firstNew.ts, 'the new file starts where the old one ended (ts)');
});
