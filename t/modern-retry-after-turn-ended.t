// Proves: in MCP 2026-07-28 on the fake app-server, when a call answered input_required ends before its retry comes (its approval timed out, codex was told decline and finished the turn), the proxy keeps the turn's result and the retry gets it as a complete result, once: the same state again is -32602, and so is the state with other arguments; at most 64 such results are kept, the oldest going first.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': { elicitation: {} },
};
const ACCEPT = { 'approval-1': { action: 'accept', content: { decision: 'accept' } } };

main(async () => {
  const dir = h.scratch('retry-ended');
  const log = path.join(dir, 'proxy.log');
  const p = await h.fakeRawProxy('retry-ended', { dir, initialize: false, args: ['--approval-timeout', '1', '--max-session-turns', '0', '-v', '--log-file', log] });
  const work = h.scratch('work');
  const args = (n) => ({ prompt: `[[approval]] ${n}`, cwd: work, 'approval-policy': 'untrusted' });
  const logged = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '');
  const ask = async (id, a) => {
    p.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'codex', arguments: a, _meta: META } });
    return (await p.response(id)).result || {};
  };
  const retry = async (id, a, state) => {
    p.send({ jsonrpc: '2.0', id, method: 'tools/call', params: {
      name: 'codex', arguments: a, requestState: state, inputResponses: ACCEPT, _meta: META } });
    return p.response(id);
  };

  const first = await ask('a1', args(1));
  is(first.resultType, 'input_required', 'the call waits for input');
  ok(await h.waitUntil(() => /its result is kept for the retry/.test(logged()), 8000),
    'its approval times out, codex ends the turn, and the proxy keeps the result (the log says so)');
  const other = await retry('r0', args(2), first.requestState);
  like(other.error && other.error.message, /issued for another tools\/call/, 'the state with other arguments: -32602');
  const r = await retry('r1', args(1), first.requestState);
  is(r.result && r.result.resultType, 'complete', 'the retry gets a complete result');
  like(h.textOf(r.result || {}), /^decision: "decline"/, 'the turn\'s own: codex was told decline');
  like(h.textOf(r.result || {}), /not answered within --approval-timeout/, 'and it says the approval timed out');
  const again = await retry('r2', args(1), first.requestState);
  is(again.error && again.error.code, -32602, 'the same state again: -32602');
  like(again.error && again.error.message, /no call waiting for input: it was used already/, 'saying it was used already');

  // 65 calls (past the 64 results kept; --max-session-turns 0 lets them run at once) end so: the first one's result is dropped, the others are kept.
  const states = [];
  for (let i = 0; i < 65; i++) {
    p.send({ jsonrpc: '2.0', id: `m${i}`, method: 'tools/call', params: { name: 'codex', arguments: args(`m${i}`), _meta: META } });
  }
  for (let i = 0; i < 65; i++) states.push(((await p.response(`m${i}`)).result || {}).requestState);
  ok(states.every(Boolean), 'sixty-five calls wait for input');
  ok(await h.waitUntil(() => (logged().match(/its result is kept for the retry/g) || []).length === 66, 20000),
    'and all end while they wait');
  ok(/the oldest result kept for a retry is dropped/.test(logged()), 'past 64 the oldest kept result is dropped (the log says so)');
  const dropped = await retry('d0', args('m0'), states[0]);
  like(dropped.error && dropped.error.message, /its call is gone/, 'the first one\'s retry: -32602, its call is gone');
  const kept = await retry('d64', args('m64'), states[64]);
  is(kept.result && kept.result.resultType, 'complete', 'the last one\'s retry gets its result');
  const second = await retry('d1', args('m1'), states[1]);
  is(second.result && second.result.resultType, 'complete', 'and so does the second one\'s');
  is(h.readJsonl(path.join(dir, 'fake.log')).filter((l) => l.method === 'turn/start').length, 66, 'one turn per call, none for the retries');
});
