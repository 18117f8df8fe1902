// Proves: over HTTP, a POST whose id is not a string or an integer within 64 bits (1.5, true, {}, [], null, 1e30, 2^64) is answered on that POST with 400 and a -32600 error whose id is null, and an initialize with such an id creates no session.
'use strict';
const { ok, is, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const V = '2025-06-18';
const BAD = ['1.5', 'true', '{}', '[]', 'null', '1e30', '18446744073709551616'];

// Test point: res is 400 with a -32600 error whose id is null.
function refused(res, what) {
  const j = res.json;
  is(res.status, 400, `${what}: 400`);
  if (!ok(j && j.jsonrpc === '2.0' && j.id === null && j.error && j.error.code === -32600,
    `${what}: the body is a -32600 error with id null`)) diag(`answer: ${JSON.stringify(res.error ? String(res.error) : res.body)}`);
}

// The number of open sessions, from /metrics.
async function sessions(p) {
  const r = await p.request('GET', '/metrics');
  const m = /^codex_mcp_proxy_sessions (\d+)$/m.exec(r.body || '');
  return m ? Number(m[1]) : null;
}

main(async () => {
  const p = await h.httpProxy('invalid-ids');
  const { sid } = await p.initialize(V);
  ok(sid, 'a session to send requests in');
  is(await sessions(p), 1, 'one session open');

  for (const id of BAD) {
    const init = `{"jsonrpc":"2.0","id":${id},"method":"initialize","params":{"protocolVersion":"${V}",` +
      '"capabilities":{},"clientInfo":{"name":"tap","version":"0"}}}';
    const r = await p.post(init, { timeout: 3000 });
    refused(r, `initialize with id ${id}`);
    is(r.headers && r.headers['mcp-session-id'], undefined, `initialize with id ${id}: no Mcp-Session-Id`);

    const ping = await p.post(`{"jsonrpc":"2.0","id":${id},"method":"ping"}`, { sid, version: V, timeout: 3000 });
    refused(ping, `ping with id ${id} in a session`);
  }
  is(await sessions(p), 1, 'still one session open: none was created');

  const r = await p.post({ jsonrpc: '2.0', id: 'after', method: 'ping' }, { sid, version: V });
  is([r.status, r.json && r.json.id, r.json && r.json.result], [200, 'after', {}], 'the session still answers a valid ping');
});
