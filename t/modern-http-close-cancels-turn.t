// Proves: a 2026-07-28 tools/call over HTTP streams its progress as SSE on its own POST (X-Accel-Buffering: no, no event ids, no Mcp-Session-Id) and ends the stream with the result; a client that closes that stream cancels the call: the turn is interrupted upstream (turn/interrupt with the thread and turn ids), and the thread takes the next call.
'use strict';
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const E = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const headers = (name, tid) => ({
  'Content-Type': 'application/json', Accept: 'application/json, text/event-stream',
  'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'tools/call', 'Mcp-Name': name,
  ...(tid ? { 'Mcp-Param-ThreadId': tid } : {}),
});
const call = (id, name, args) => JSON.stringify({
  jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, _meta: { ...E, progressToken: `p${id}` } },
});

main(async () => {
  const p = await h.httpProxy('modern-close');
  const first = await p.stream('POST', '/mcp', { headers: headers('codex'), body: call(1, 'codex', { prompt: '[[slow:3:50]]' }) });
  is(first.status, 200, 'a slow call is answered 200');
  is(first.headers['content-type'], 'text/event-stream', 'as an SSE stream');
  is(first.headers['x-accel-buffering'], 'no', 'with X-Accel-Buffering: no');
  ok(!first.headers['mcp-session-id'], 'and no Mcp-Session-Id');
  await first.ended;
  const msgs = first.events.map((e) => JSON.parse(e.data));
  ok(first.events.every((e) => e.id === undefined), 'no event has an id (there is no resumption)');
  ok(msgs.some((m) => m.method === 'notifications/progress' && m.params.progressToken === 'p1'), 'the progress came on the call\'s own stream');
  const last = msgs[msgs.length - 1];
  is(last && last.id, 1, 'the stream ends with the result');
  is(h.textOf(last && last.result), 'tick 1 tick 2 tick 3 ', 'which is the answer');
  is(last && last.result && last.result.resultType, 'complete', 'shaped as 2026-07-28');
  const tid = last.result.structuredContent.threadId;

  const slow = await p.stream('POST', '/mcp', { headers: headers('codex-reply', tid), body: call(2, 'codex-reply', { threadId: tid, prompt: '[[slow:100:100]]' }) });
  const writing = await slow.nextEvent((e) => /writing: tick 1 /.test(e.data || ''), 10000);
  ok(writing, 'the long turn is writing');
  slow.close();
  const interrupted = await h.waitUntil(() => h.readJsonl(p.log).some((l) => l.method === 'turn/interrupt'), 8000);
  ok(interrupted, 'closing the stream interrupted the turn upstream');
  const turn = await h.lastStoredTurn(p.dir, tid);
  is(turn && turn.status, 'interrupted', 'the app-server ended it as interrupted');
  const interrupt = h.readJsonl(p.log).find((l) => l.method === 'turn/interrupt');
  is(interrupt && interrupt.params, { threadId: tid, turnId: turn && turn.id }, 'naming the thread and the turn');

  let again;
  for (let i = 0; i < 50; i++) {
    again = await p.post(JSON.parse(call(3 + i, 'codex-reply', { threadId: tid, prompt: 'next' })), { headers: headers('codex-reply', tid) });
    if (!/is busy/.test(h.textOf(again.json && again.json.result) || '')) break;
    await h.sleep(100);
  }
  is(h.textOf(again.json && again.json.result), 'You said: next', 'the thread takes the next call');
});
