// Proves: over HTTP with --max-sessions 2, a third initialize gets 503 with JSON-RPC error -32001 naming --max-sessions and no Mcp-Session-Id, the two sessions go on, and once one is deleted a new one opens; with --max-session-turns 1 a second tools/call of the codex tool in a session while its first runs gets 503 with error -32001, while another session's call runs.
'use strict';
const fs = require('node:fs');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const V = '2025-11-25';
const codex = (id, prompt) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'codex', arguments: { prompt } } });

main(async () => {
  const p = await h.httpProxy('max-sessions', { args: ['--max-sessions', '2', '--max-session-turns', '1'] });
  const a = await p.initialize(V);
  const b = await p.initialize(V);
  ok(a.sid && b.sid, 'two sessions open');
  const c = await p.initialize(V);
  is(c.res.status, 503, 'a third initialize gets 503');
  is(c.res.json && c.res.json.error && c.res.json.error.code, -32001, 'with JSON-RPC error -32001');
  like(c.res.json && c.res.json.error && c.res.json.error.message, /--max-sessions/, 'naming --max-sessions');
  ok(!c.sid, 'and no session id');
  const ping = await p.post({ jsonrpc: '2.0', id: 2, method: 'ping' }, { sid: a.sid, version: V });
  is(ping.status, 200, 'the sessions open go on');

  const slow = p.post(codex(3, '[[slow:4:150]] first'), { sid: a.sid, version: V });
  // Its turn has begun once the fake app-server got turn/start.
  await h.waitUntil(() => fs.existsSync(p.log) && fs.readFileSync(p.log, 'utf8').includes('turn/start'));
  const second = await p.post(codex(4, 'second'), { sid: a.sid, version: V });
  is(second.status, 503, '--max-session-turns 1: a second codex call in the session gets 503');
  is(second.json && second.json.error && second.json.error.code, -32001, 'with JSON-RPC error -32001');
  const other = await p.post(codex(5, 'other'), { sid: b.sid, version: V });
  is(h.textOf(other.json && other.json.result), 'You said: other', 'another session\'s call runs meanwhile');
  const first = await slow;
  like(h.textOf(first.json && first.json.result) || '', /tick 4/, 'and the first call answers in full');

  const del = await p.request('DELETE', '/mcp', { headers: { 'Mcp-Session-Id': b.sid, 'MCP-Protocol-Version': V } });
  ok(del.status === 200 || del.status === 204, `one session deleted (${del.status})`);
  const d = await p.initialize(V);
  ok(d.res.status === 200 && d.sid, 'then a new session opens');
});
