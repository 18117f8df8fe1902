// Proves: with --trace-level no-deltas the trace holds no message whose method contains "delta", while turn/completed and the tools/call results are still traced; at the default level (and with --trace-level all) the streaming deltas are traced (real codex 0.169).
'use strict';
const path = require('node:path');
const { ok, is, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const tt = require('./lib/trace-tools.js');

const isDelta = (r) => r.msg && typeof r.msg.method === 'string' && /delta/i.test(r.msg.method);

// Run a codex call and a codex-reply (several deltas each) with these trace
// options; the trace's records and the results.
async function run(mock, home, file, extra) {
  const s = await h.codexSession({ args: ['--trace', file, ...extra], mock, home });
  const a = await s.client.callTool({ name: 'codex', arguments: { prompt: 'one two three four five six seven eight' } });
  const b = await s.client.callTool({
    name: 'codex-reply', arguments: { threadId: a.structuredContent.threadId, prompt: '[[slow:4:5]]' },
  });
  await s.client.close();
  ok(await tt.gone(s.pid), `the proxy (${extra.join(' ') || 'default level'}) exited`);
  const t = tt.readTrace(file);
  is(t.bad, [], `${extra.join(' ') || 'default level'}: every line parses`);
  return { records: t.records, results: [a, b] };
}

// The tools/call results in the trace (p2c), in order.
function tracedResults(records) {
  const ids = records.filter((r) => r.dir === 'c2p' && r.msg.method === 'tools/call').map((r) => r.msg.id);
  return ids.map((id) => {
    const r = records.find((x) => x.dir === 'p2c' && x.msg.id === id && tt.isResponse(x.msg));
    return r ? h.textOf(r.msg.result) : null;
  });
}

main(async () => {
  const mock = await h.mockModel();
  const home = h.codexHome(mock);
  const dir = h.scratch('nodeltas');

  const all = await run(mock, home, path.join(dir, 'default.jsonl'), []);
  const deltas = all.records.filter(isDelta);
  ok(deltas.length >= 4, `default level: streaming deltas are traced (${deltas.length})`);
  diag(`delta methods: ${[...new Set(deltas.map((r) => `${r.dir} ${r.msg.method}`))].join(', ')}`);
  ok(deltas.some((r) => r.dir === 's2p' && r.msg.method === 'item/agentMessage/delta'),
    'default level: item/agentMessage/delta from the app-server is among them');

  const explicit = await run(mock, home, path.join(dir, 'all.jsonl'), ['--trace-level', 'all']);
  ok(explicit.records.filter(isDelta).length >= 4, '--trace-level all: the deltas are traced too');

  const nd = await run(mock, home, path.join(dir, 'no-deltas.jsonl'), ['--trace-level', 'no-deltas']);
  is(nd.results.map(h.textOf), ['You said: one two three four five six seven eight', 'tick 1 tick 2 tick 3 tick 4 '],
    'no-deltas: the calls still answer in full');
  is(nd.records.filter(isDelta).map((r) => `${r.dir} ${r.msg.method}`), [],
    'no-deltas: no traced message has a method containing "delta"');
  is(nd.records.filter((r) => r.dir === 's2p' && r.msg.method === 'turn/completed').length, 2,
    'no-deltas: both turn/completed notifications are traced');
  ok(nd.records.some((r) => r.dir === 's2p' && r.msg.method === 'item/completed' && r.msg.params.item.type === 'agentMessage'),
    'no-deltas: the completed agent message (item/completed) is traced');
  is(tracedResults(nd.records), nd.results.map(h.textOf), 'no-deltas: the tools/call results are traced (p2c)');
  is(tracedResults(all.records), all.results.map(h.textOf), 'default level: the tools/call results are traced (p2c)');
  ok(nd.records.length < all.records.length - deltas.length / 2,
    `no-deltas: the trace is shorter (${nd.records.length} lines against ${all.records.length})`);
});
