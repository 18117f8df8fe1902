// Proves: a W3C traceparent in a tools/call's _meta is passed on, as v2's trace field, on the app-server requests of that call (thread/start and turn/start for codex, thread/resume and turn/start for codex-reply) and shows in the --trace file, for 2026-07-28 and 2025 requests alike; a call without one, or with one not in W3C format, sends no trace field.
'use strict';
const path = require('node:path');
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const E = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const TP2 = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00';

main(async () => {
  const dir = h.scratch('modern-trace');
  const file = path.join(dir, 'trace.jsonl');
  const p = await h.fakeRawProxy('modern-trace', { initialize: false, args: ['--trace', file] });
  const upstream = () => h.readJsonl(p.log).filter((l) => l.method);
  const first = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'one' }, _meta: { ...E, traceparent: TP } });
  const tid = first.result.structuredContent.threadId;
  const sent = upstream();
  for (const m of ['thread/start', 'turn/start']) {
    is(sent.find((l) => l.method === m)?.trace, { traceparent: TP }, `codex: ${m} carries the traceparent`);
  }
  ok(!sent.find((l) => l.method === 'thread/start').params.trace, 'as the message\'s trace field, not a param');

  // A new proxy (the first one gone): codex-reply resumes the thread.
  await p.close();
  const q = await h.fakeRawProxy('modern-trace-2', { dir: p.dir, initialize: false });
  const before = h.readJsonl(q.log).length;
  await q.request('tools/call', { name: 'codex-reply', arguments: { threadId: tid, prompt: 'two' }, _meta: { ...E, traceparent: TP2 } });
  const later = h.readJsonl(q.log).slice(before).filter((l) => l.method);
  for (const m of ['thread/resume', 'turn/start']) {
    is(later.find((l) => l.method === m)?.trace, { traceparent: TP2 }, `codex-reply: ${m} carries its own traceparent`);
  }

  const n = h.readJsonl(q.log).length;
  await q.request('tools/call', { name: 'codex', arguments: { prompt: 'none' }, _meta: E });
  await q.request('tools/call', { name: 'codex', arguments: { prompt: 'bad' }, _meta: { ...E, traceparent: '00-XYZ-01' } });
  await q.request('tools/call', { name: 'codex', arguments: { prompt: 'zero' }, _meta: { ...E, traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` } });
  const rest = h.readJsonl(q.log).slice(n).filter((l) => l.method);
  ok(rest.length >= 6 && rest.every((l) => !('trace' in l)), 'no trace field without a valid traceparent');

  const r = await h.fakeRawProxy('legacy-trace');
  await r.request('tools/call', { name: 'codex', arguments: { prompt: 'legacy' }, _meta: { traceparent: TP } });
  is(h.readJsonl(r.log).find((l) => l.method === 'turn/start')?.trace, { traceparent: TP }, 'a 2025 request\'s traceparent is passed on too');

  const traced = h.readJsonl(file).filter((l) => l.dir === 'p2s' && l.msg && l.msg.trace);
  ok(traced.some((l) => l.msg.method === 'turn/start' && l.msg.trace.traceparent === TP), 'the --trace file shows it on turn/start');
});
