// Proves: a 2026-07-28 POST is checked against its headers before anything runs: a missing or different MCP-Protocol-Version, Mcp-Method, Mcp-Name or Mcp-Param-ThreadId is 400 with -32020 (base64 =?base64?...?= values decoded first, surrounding blanks allowed, bad base64 refused), an envelope without clientCapabilities or a claim-less body under a 2026-07-28 header is 400 -32602, a claim-less initialize under it 400 -32020, an unknown version 400 -32022, an unknown or removed method 404 -32601, a notification 202; an Mcp-Session-Id or Last-Event-ID on it is ignored, header names match in any case, no answer carries Mcp-Session-Id and a 2025 session on the same port works as before.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const V = 'io.modelcontextprotocol/protocolVersion';
const E = { [V]: '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const b64 = (s) => `=?base64?${Buffer.from(s, 'utf8').toString('base64')}?=`;

main(async () => {
  const p = await h.httpProxy('modern-headers');
  let n = 0;
  // POST one request with these headers on top of the 2026-07-28 ones (null drops one).
  async function post(method, params, headers = {}) {
    const hdrs = { 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': method };
    if (params && params.name !== undefined) hdrs['Mcp-Name'] = params.name;
    for (const [k, v] of Object.entries(headers)) {
      if (v === null) delete hdrs[k];
      else hdrs[k] = v;
    }
    const r = await p.post({ jsonrpc: '2.0', id: ++n, method, params }, { headers: hdrs });
    ok(!r.headers['mcp-session-id'], `${method} #${n}: no Mcp-Session-Id in the answer`);
    return r;
  }
  async function refused(what, r, status, code, pattern) {
    is(r.status, status, `${what}: HTTP ${status}`);
    is(r.json && r.json.error && r.json.error.code, code, `${what}: ${code}`);
    is(r.json && r.json.id, n, `${what}: the answer carries the request id`);
    if (pattern) like(r.json && r.json.error && r.json.error.message, pattern, `${what}: says why`);
  }
  const read = (threadId) => ({ name: 'codex-read', arguments: { threadId }, _meta: E });

  const good = await post('tools/list', { _meta: E });
  is(good.status, 200, 'a well-formed tools/list: 200');
  is(good.json && good.json.result && good.json.result.resultType, 'complete', 'answered as 2026-07-28');
  const stale = await post('tools/list', { _meta: E }, { 'Mcp-Session-Id': '0123456789abcdef0123456789abcdef', 'Last-Event-ID': '1-1' });
  is(stale.status, 200, 'an Mcp-Session-Id (of no session) and a Last-Event-ID on a 2026-07-28 POST are ignored');
  const lower = await post('tools/list', { _meta: E }, { 'MCP-Protocol-Version': null, 'Mcp-Method': null, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' });
  is(lower.status, 200, 'header names are matched in any case');

  await refused('no MCP-Protocol-Version', await post('tools/list', { _meta: E }, { 'MCP-Protocol-Version': null }), 400, -32020, /MCP-Protocol-Version/);
  await refused('MCP-Protocol-Version differs from _meta', await post('server/discover', { _meta: { ...E, [V]: 'v999.0.0' } }), 400, -32020);
  await refused('no Mcp-Method', await post('tools/list', { _meta: E }, { 'Mcp-Method': null }), 400, -32020, /Mcp-Method/);
  await refused('Mcp-Method in another case', await post('tools/list', { _meta: E }, { 'Mcp-Method': 'Tools/List' }), 400, -32020);
  await refused('Mcp-Name differs', await post('tools/call', read('t1'), { 'Mcp-Name': 'codex', 'Mcp-Param-ThreadId': 't1' }), 400, -32020,
    /Mcp-Name header value 'codex' does not match body value 'codex-read'/);
  await refused('no Mcp-Name', await post('tools/call', read('t1'), { 'Mcp-Name': null, 'Mcp-Param-ThreadId': 't1' }), 400, -32020);
  await refused('bad base64 in Mcp-Name', await post('tools/call', read('t1'), { 'Mcp-Name': '=?base64?!!!!?=', 'Mcp-Param-ThreadId': 't1' }), 400, -32020,
    /cannot be read/);
  await refused('no Mcp-Param-ThreadId for a threadId argument', await post('tools/call', read('t1')), 400, -32020, /Mcp-Param-ThreadId/);
  await refused('Mcp-Param-ThreadId differs', await post('tools/call', read('t1'), { 'Mcp-Param-ThreadId': 't2' }), 400, -32020,
    /Mcp-Param-ThreadId header value 't2' does not match body value 't1'/);
  ok(!h.readJsonl(p.log).some((l) => l.method === 'thread/read'), 'no refused call reached the app-server');

  const wrapped = await post('tools/call', read('t1'), { 'Mcp-Name': b64('codex-read'), 'Mcp-Param-ThreadId': `  ${b64('t1')} ` });
  is(wrapped.status, 200, 'base64-wrapped and blank-padded header values are decoded and accepted');
  like(h.textOf(wrapped.json && wrapped.json.result), /unknown threadId t1/, 'and the call ran (the fake has no such thread)');
  const noThread = await post('tools/call', { name: 'codex-list', arguments: {}, _meta: E });
  is(noThread.status, 200, 'no Mcp-Param-* is needed for a tool without x-mcp-header arguments');

  await refused('no clientCapabilities', await post('tools/list', { _meta: { [V]: '2026-07-28' } }), 400, -32602, /clientCapabilities/);
  await refused('no envelope under a 2026-07-28 header', await post('tools/list', {}), 400, -32602);
  await refused('a claim-less initialize under a 2026-07-28 header', await post('initialize', { protocolVersion: '2025-06-18', capabilities: {} }), 400, -32020);
  const old = await post('tools/list', { _meta: { ...E, [V]: '1999-01-01' } }, { 'MCP-Protocol-Version': '1999-01-01' });
  await refused('an unknown version in both', old, 400, -32022);
  is(old.json && old.json.error && old.json.error.data, { supported: ['2026-07-28'], requested: '1999-01-01' }, 'with the supported versions');
  await refused('an unknown logLevel', await post('tools/list', { _meta: { ...E, 'io.modelcontextprotocol/logLevel': 'loud' } }), 400, -32602);

  for (const method of ['initialize', 'ping', 'logging/setLevel', 'resources/unsubscribe', 'unknown/method']) {
    await refused(`enveloped ${method}`, await post(method, { _meta: E }), 404, -32601);
  }

  const note = await p.post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1, _meta: E } },
    { headers: { 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'notifications/cancelled' } });
  is(note.status, 202, 'a notification: 202');
  is(note.body, '', 'with no body');
  const batch = await p.post([{ jsonrpc: '2.0', id: 99, method: 'tools/list', params: { _meta: E } }], { headers: { 'MCP-Protocol-Version': '2026-07-28' } });
  is(batch.status, 400, 'a batch under a 2026-07-28 header: 400');
  const reply = await p.post({ jsonrpc: '2.0', id: 5, result: {}, params: { _meta: E } }, { headers: { 'MCP-Protocol-Version': '2026-07-28' } });
  is(reply.status, 400, 'a response POSTed to a 2026-07-28 server (it sends no requests): 400');

  const { sid } = await p.initialize('2025-11-25');
  ok(sid, 'a 2025 client on the same port still gets a session');
  const legacy = await p.post({ jsonrpc: '2.0', id: 7, method: 'tools/list' }, { sid, version: '2025-11-25' });
  ok(legacy.status === 200 && legacy.json && legacy.json.result && !('resultType' in legacy.json.result), 'and its 2025 tools/list');
  const ping = await p.post({ jsonrpc: '2.0', id: 8, method: 'no/such' }, { sid, version: '2025-11-25' });
  is(ping.status, 200, 'an unknown method in a 2025 session stays -32601 on 200');
});
