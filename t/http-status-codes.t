// Proves: the Streamable HTTP front answers each kind of request with the status code (and body) the MCP transport calls for: 200 JSON or SSE, 202, 400, 404, 405, 406, 409, 413, 415.
'use strict';
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const V = '2025-06-18';
const ping = (id) => ({ jsonrpc: '2.0', id, method: 'ping' });
const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

// Test point: the body is a JSON-RPC error with this code and id null.
function isErrorBody(res, code, what) {
  const j = res.json;
  if (!ok(j && j.jsonrpc === '2.0' && j.id === null && j.error && j.error.code === code && typeof j.error.message === 'string',
    `${what}: the body is a JSON-RPC error ${code} with id null`)) diag(`body: ${JSON.stringify(res.body)}`);
}

main(async () => {
  const p = await h.httpProxy('codes', { args: ['--max-message-size', '65536'] });

  // initialize: 200 JSON with a session id.
  const init = await p.initialize(V);
  is(init.res.status, 200, 'initialize: 200');
  like(init.res.headers['content-type'], /^application\/json/, 'initialize: answered as application/json');
  like(init.sid, /^[\x21-\x7e]{16,}$/, 'initialize: Mcp-Session-Id is visible ASCII, at least 16 characters');
  is(init.res.json && init.res.json.id, 1, 'initialize: the body is the response to the request');
  is(init.res.json && init.res.json.result && init.res.json.result.protocolVersion, V, 'initialize: the version is negotiated');
  const other = await p.initialize(V);
  ok(other.sid && other.sid !== init.sid, 'a second initialize gets a session id of its own');
  const sid = init.sid;

  // Notifications and client responses: 202, empty.
  let r = await p.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { sid, version: V });
  is([r.status, r.body], [202, ''], 'a notification: 202 with an empty body');
  r = await p.post({ jsonrpc: '2.0', id: 'nothing-asked', result: {} }, { sid, version: V });
  is([r.status, r.body], [202, ''], 'a response from the client: 202 with an empty body');
  r = await p.post({ jsonrpc: '2.0', id: 'nothing-asked-2', error: { code: -1, message: 'x' } }, { sid, version: V });
  is([r.status, r.body], [202, ''], 'an error response from the client: 202 with an empty body');

  // A request with an unknown method: 200, -32601.
  r = await p.post({ jsonrpc: '2.0', id: 4, method: 'no/such/method' }, { sid, version: V });
  is(r.status, 200, 'unknown method: 200');
  ok(r.json && r.json.id === 4 && r.json.error && r.json.error.code === -32601, 'unknown method: the body is error -32601 for id 4');

  // Session errors.
  r = await p.post(ping(5), { version: V });
  is(r.status, 400, 'a ping without Mcp-Session-Id: 400');
  isErrorBody(r, -32600, 'a ping without Mcp-Session-Id');
  r = await p.request('GET', '/mcp', { headers: { Accept: 'text/event-stream' } });
  is(r.status, 400, 'GET without Mcp-Session-Id: 400');
  isErrorBody(r, -32600, 'GET without Mcp-Session-Id');
  r = await p.request('DELETE', '/mcp');
  is(r.status, 400, 'DELETE without Mcp-Session-Id: 400');
  r = await p.post(ping(6), { sid: 'no-such-session-0123456789abcdef', version: V });
  is(r.status, 404, 'a ping with an unknown session id: 404');
  isErrorBody(r, -32600, 'unknown session');

  // MCP-Protocol-Version.
  r = await p.post(ping(7), { sid, version: '1999-01-01' });
  is(r.status, 400, 'MCP-Protocol-Version 1999-01-01: 400');
  isErrorBody(r, -32600, 'bad MCP-Protocol-Version');
  r = await p.post(ping(8), { sid });
  is([r.status, r.json && r.json.id, r.json && r.json.result], [200, 8, {}], 'no MCP-Protocol-Version: accepted, ping answered {}');
  r = await p.post(ping(9), { sid, version: V });
  is([r.status, r.json && r.json.result], [200, {}], 'MCP-Protocol-Version 2025-06-18: ping answered {}');

  // Bodies that are not one JSON-RPC message.
  r = await p.post('{"jsonrpc":', { sid, version: V });
  is(r.status, 400, 'invalid JSON: 400');
  isErrorBody(r, -32700, 'invalid JSON');
  r = await p.post([ping(10)], { sid, version: V });
  is(r.status, 400, 'a batch (JSON array): 400');
  isErrorBody(r, -32600, 'a batch');

  // Media types.
  r = await p.post(ping(11), { sid, version: V, headers: { Accept: 'application/json' } });
  is(r.status, 406, 'POST with Accept lacking text/event-stream: 406');
  isErrorBody(r, -32600, 'POST Accept');
  r = await p.post(ping(12), { sid, version: V, headers: { Accept: 'text/event-stream' } });
  is(r.status, 406, 'POST with Accept lacking application/json: 406');
  r = await p.request('GET', '/mcp', { headers: { Accept: 'application/json', 'Mcp-Session-Id': sid } });
  is(r.status, 406, 'GET with Accept lacking text/event-stream: 406');
  isErrorBody(r, -32600, 'GET Accept');
  r = await p.post(ping(13), { sid, version: V, headers: { 'Content-Type': 'text/plain' } });
  is(r.status, 415, 'Content-Type text/plain: 415');
  isErrorBody(r, -32600, 'Content-Type text/plain');

  // A body over --max-message-size.
  const big = JSON.stringify({ jsonrpc: '2.0', id: 14, method: 'ping', params: { pad: 'x'.repeat(100 * 1024) } });
  r = await p.post(big, { sid, version: V });
  is(r.status, 413, 'a 100 KB body over --max-message-size 65536: 413');
  r = await p.post(ping(15), { sid, version: V });
  is([r.status, r.json && r.json.result], [200, {}], 'after the 413 the session still answers');

  // Methods other than GET, POST and DELETE.
  for (const method of ['PUT', 'PATCH', 'HEAD']) {
    r = await p.request(method, '/mcp', { headers: { ...JSON_HEADERS, 'Mcp-Session-Id': sid }, body: method === 'HEAD' ? undefined : JSON.stringify(ping(16)) });
    is(r.status, 405, `${method} /mcp: 405`);
    like(r.headers && r.headers.allow, /GET.*POST.*DELETE/, `${method} /mcp: Allow lists GET, POST and DELETE`);
  }
  r = await p.post(ping(17), { sid, version: V });
  is([r.status, r.json && r.json.result], [200, {}], 'after those methods the proxy still answers');

  // The GET stream: one per session.
  const get1 = await p.stream('GET', '/mcp', { headers: { Accept: 'text/event-stream', 'Mcp-Session-Id': sid, 'MCP-Protocol-Version': V } });
  is(get1.status, 200, 'GET with a session: 200');
  like(get1.headers && get1.headers['content-type'], /^text\/event-stream/, 'GET with a session: text/event-stream');
  r = await p.request('GET', '/mcp', { headers: { Accept: 'text/event-stream', 'Mcp-Session-Id': sid, 'MCP-Protocol-Version': V }, timeout: 5000 });
  is(r.status, 409, 'a second GET stream on the session: 409');
  isErrorBody(r, -32600, 'a second GET stream');
  get1.close();

  // A second initialize on an existing session.
  r = await p.post({ jsonrpc: '2.0', id: 18, method: 'initialize', params: { protocolVersion: V, capabilities: {}, clientInfo: { name: 'again', version: '0' } } }, { sid, version: V });
  is(r.status, 400, 'initialize on an existing session: 400');
  isErrorBody(r, -32600, 'initialize again');
  ok(!r.headers || !r.headers['mcp-session-id'], 'initialize on an existing session: no new session id');

  // An unknown path.
  r = await p.request('POST', '/nope', { headers: { ...JSON_HEADERS, 'Mcp-Session-Id': sid }, body: JSON.stringify(ping(19)) });
  is(r.status, 404, 'POST /nope: 404');
  r = await p.request('GET', '/');
  is(r.status, 404, 'GET /: 404');

  // tools/call: an SSE stream ending with the result.
  r = await p.post({ jsonrpc: '2.0', id: 20, method: 'tools/call', params: { name: 'codex', arguments: { prompt: '[[say:hello over SSE]]' } } }, { sid, version: V });
  is(r.status, 200, 'tools/call: 200');
  like(r.headers && r.headers['content-type'], /^text\/event-stream/, 'tools/call: answered as text/event-stream');
  ok(r.events && r.events.length >= 1 && r.events.every((e) => /^\S+$/.test(e.id || '')), 'tools/call: every event has an id');
  ok(r.events && r.events.filter((e) => e.data).every((e) => e.event === 'message'), 'tools/call: every data event is a message event');
  const last = r.events && r.events[r.events.length - 1];
  const result = last && JSON.parse(last.data || 'null');
  is(result && result.id, 20, 'tools/call: the last event is the response to the call');
  is(result && result.result && result.result.content && result.result.content[0].text, 'hello over SSE', 'tools/call: carrying the result');
  ok(r.events && new Set(r.events.map((e) => e.id)).size === r.events.length, 'tools/call: the event ids are unique');
  ok(r.events && r.events.every((e) => !e.data || e === last || !('result' in JSON.parse(e.data))), 'tools/call: nothing after the response');

  // A 2025-11-25 session: the SSE stream opens with a priming event.
  const s11 = await p.initialize('2025-11-25');
  is(s11.res.json && s11.res.json.result && s11.res.json.result.protocolVersion, '2025-11-25', '2025-11-25 session negotiated');
  r = await p.post({ jsonrpc: '2.0', id: 21, method: 'tools/call', params: { name: 'codex', arguments: { prompt: '[[say:primed]]' } } }, { sid: s11.sid, version: '2025-11-25' });
  is(r.status, 200, '2025-11-25 tools/call: 200');
  const first = r.events && r.events[0];
  ok(first && first.id && first.data === '' && r.events.length >= 2, '2025-11-25 tools/call: the stream begins with a priming event (an id, empty data)');
  const end11 = r.events && JSON.parse(r.events[r.events.length - 1].data || 'null');
  is(end11 && end11.id, 21, '2025-11-25 tools/call: and ends with the response');
  ok(r.events && new Set(r.events.map((e) => e.id)).size === r.events.length, '2025-11-25 tools/call: the event ids (priming included) are unique');

  // DELETE ends the session; then its id is unknown.
  r = await p.request('DELETE', '/mcp', { headers: { 'Mcp-Session-Id': sid, 'MCP-Protocol-Version': V } });
  is(r.status, 200, 'DELETE with the session id: 200');
  r = await p.post(ping(22), { sid, version: V });
  is(r.status, 404, 'a ping on the deleted session: 404');
  isErrorBody(r, -32600, 'deleted session');
  r = await p.request('DELETE', '/mcp', { headers: { 'Mcp-Session-Id': sid } });
  is(r.status, 404, 'DELETE of the deleted session: 404');
  r = await p.post(ping(23), { sid: other.sid, version: V });
  is([r.status, r.json && r.json.result], [200, {}], 'the other session is still there');

  const exit = await p.stop();
  is(exit, { code: 0, signal: null }, 'the proxy exited 0 on SIGTERM after all of this');
});
