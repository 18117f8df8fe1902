// Proves: with --session-idle an HTTP session left unused is ended (its id then gets 404), while a session with a tool call still running is kept until the call is over.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const V = '2025-06-18';

main(async () => {
  const p = await h.httpProxy('idle', { args: ['--session-idle', '1'] });
  // The open sessions, from /metrics (which touches no session).
  const sessions = async () => {
    const r = await p.request('GET', '/metrics');
    const m = /^codex_mcp_proxy_sessions (\d+)$/m.exec(r.body || '');
    return m ? Number(m[1]) : NaN;
  };

  const idle = await p.initialize(V);
  const busy = await p.initialize(V);
  ok(idle.sid && busy.sid, 'two sessions opened');
  is(await sessions(), 2, 'the gauge counts 2 sessions');

  // The busy session runs a 15 s call, its stream open.
  const call = await p.stream('POST', '/mcp', {
    headers: {
      'Content-Type': 'application/json', Accept: 'application/json, text/event-stream',
      'Mcp-Session-Id': busy.sid, 'MCP-Protocol-Version': V,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'codex', arguments: { prompt: '[[slow:150:100]]' }, _meta: { progressToken: 'idle-test' } } }),
  });
  is(call.status, 200, 'the slow call streams');
  ok(await call.nextEvent((e) => /notifications\/progress/.test(e.data || ''), 10000), 'the slow call reports progress');

  ok(await h.waitUntil(async () => (await sessions()) === 1, 20000), 'within 20 s one session is gone');
  like(p.stderr(), new RegExp(`http session ${idle.sid.slice(0, 8)}\\.\\.\\. ends: idle`), 'the log says the unused session ended as idle');
  ok(!new RegExp(`http session ${busy.sid.slice(0, 8)}\\.\\.\\. ends`).test(p.stderr()), 'the busy session did not end');
  let r = await p.post({ jsonrpc: '2.0', id: 2, method: 'ping' }, { sid: idle.sid, version: V });
  is(r.status, 404, 'the unused session id now gets 404');
  const seen = call.events.length;
  r = await p.post({ jsonrpc: '2.0', id: 3, method: 'ping' }, { sid: busy.sid, version: V });
  is([r.status, r.json && r.json.result], [200, {}], 'the session with the running call still answers');

  await call.ended;
  ok(call.events.length > seen, 'the call kept streaming after the other session idled out');
  const last = call.events[call.events.length - 1];
  const msg = last && JSON.parse(last.data || 'null');
  ok(msg && msg.id === 7 && msg.result && /tick 150/.test(msg.result.content[0].text), 'the call ended with its full result');

  ok(await h.waitUntil(async () => (await sessions()) === 0, 20000), 'once its call is over, that session idles out too');
  r = await p.post({ jsonrpc: '2.0', id: 4, method: 'ping' }, { sid: busy.sid, version: V });
  is(r.status, 404, 'and its id gets 404');
});
