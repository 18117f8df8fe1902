// Proves: with --auth-token-file every HTTP request but /healthz needs that bearer token (401 with WWW-Authenticate otherwise), and a non-loopback --listen needs a token file or --insecure-no-auth.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const V = '2025-06-18';
const TOKEN = 'tok-3f9a1c0e5b7d4e2a8c6f';
const INIT = {
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: V, capabilities: {}, clientInfo: { name: 'auth', version: '0' } },
};

// Test point: 401 with a WWW-Authenticate Bearer challenge (matching re) and a JSON-RPC error.
function unauthorized(r, re, what) {
  const good = r.status === 401 && /^Bearer /.test((r.headers && r.headers['www-authenticate']) || '') &&
    re.test(r.headers['www-authenticate']) && r.json && r.json.error && !r.headers['mcp-session-id'];
  if (!ok(good, `${what}: 401, WWW-Authenticate ${re}, a JSON-RPC error`)) {
    diag(`got ${r.status} ${JSON.stringify(r.headers)} ${r.body || r.error}`);
  }
}

main(async () => {
  const dir = h.scratch('auth');
  const tokenFile = path.join(dir, 'token');
  fs.writeFileSync(tokenFile, `  ${TOKEN}\n`, { mode: 0o600 });
  const p = await h.httpProxy('auth', { args: ['--auth-token-file', tokenFile] });
  const bearer = { Authorization: `Bearer ${TOKEN}` };

  unauthorized(await p.post(INIT), /^Bearer realm="[^"]+"$/, 'initialize without Authorization');
  unauthorized(await p.post(INIT, { headers: { Authorization: 'Bearer wrong-token' } }), /error="invalid_token"/, 'initialize with a wrong token');
  unauthorized(await p.post(INIT, { headers: { Authorization: `Bearer ${TOKEN}x` } }), /error="invalid_token"/, 'initialize with the token plus a character');
  unauthorized(await p.post(INIT, { headers: { Authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` } }), /error="invalid_token"/, 'initialize with Basic credentials');
  unauthorized(await p.post(INIT, { headers: { Authorization: TOKEN } }), /error="invalid_token"/, 'initialize with the bare token (no Bearer)');
  ok(!p.stderr().includes(TOKEN), 'the token never appears in the log');

  // The right token: the whole flow.
  let r = await p.post(INIT, { headers: bearer });
  is(r.status, 200, 'initialize with the token: 200');
  const sid = r.headers['mcp-session-id'];
  ok(sid && r.json && r.json.result && r.json.result.protocolVersion === V, 'initialize with the token: a session and a result');
  r = await p.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { sid, version: V, headers: bearer });
  is(r.status, 202, 'initialized with the token: 202');
  r = await p.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { sid, version: V });
  is(r.status, 401, 'a notification on the session without the token: 401');
  r = await p.post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, { sid, version: V });
  is(r.status, 401, 'tools/list on the session without the token: 401');
  r = await p.post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, { sid, version: V, headers: bearer });
  ok(r.status === 200 && r.json && r.json.result && r.json.result.tools.some((t) => t.name === 'codex'), 'tools/list with the token: 200, codex listed');
  r = await p.post({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'codex', arguments: { prompt: '[[say:authorized]]' } } }, { sid, version: V, headers: bearer });
  is([r.status, r.json && r.json.id, r.json && r.json.result && r.json.result.content[0].text], [200, 3, 'authorized'], 'tools/call with the token: the SSE stream ends with the result');
  r = await p.request('GET', '/mcp', { headers: { Accept: 'text/event-stream', 'Mcp-Session-Id': sid } });
  is(r.status, 401, 'GET /mcp without the token: 401');
  r = await p.request('DELETE', '/mcp', { headers: { 'Mcp-Session-Id': sid } });
  is(r.status, 401, 'DELETE without the token: 401');
  r = await p.post({ jsonrpc: '2.0', id: 4, method: 'ping' }, { sid, version: V, headers: bearer });
  is([r.status, r.json && r.json.result], [200, {}], 'the session survived the unauthorized DELETE');
  r = await p.request('DELETE', '/mcp', { headers: { 'Mcp-Session-Id': sid, ...bearer } });
  is(r.status, 200, 'DELETE with the token: 200');

  // /healthz is open; /metrics is not.
  r = await p.request('GET', '/healthz');
  ok(r.status === 200 && r.json && r.json.status === 'ok', '/healthz without a token: 200');
  r = await p.request('GET', '/metrics');
  unauthorized(r, /^Bearer /, '/metrics without a token');
  r = await p.request('GET', '/metrics', { headers: { Authorization: 'Bearer nope' } });
  unauthorized(r, /error="invalid_token"/, '/metrics with a wrong token');
  r = await p.request('GET', '/metrics', { headers: bearer });
  ok(r.status === 200 && /codex_mcp_proxy_sessions /.test(r.body || ''), '/metrics with the token: 200 and the metrics');

  // A non-loopback address without a token file.
  const started = Date.now();
  const refused = spawnSync(h.PROXY, ['--listen', '0.0.0.0:1', '--upstream-cmd', h.fakeCommand('--state', dir)], { encoding: 'utf8', timeout: 10000 });
  is(refused.status, 2, '--listen 0.0.0.0:PORT without --auth-token-file: exit status 2');
  like(refused.stderr, /refusing to listen on 0\.0\.0\.0 without --auth-token-file/, 'with a message on stderr saying why');
  ok(Date.now() - started < 5000, 'and at once');
  const v6 = spawnSync(h.PROXY, ['--listen', '[::]:1', '--upstream-cmd', h.fakeCommand('--state', dir)], { encoding: 'utf8', timeout: 10000 });
  is(v6.status, 2, '--listen [::]:PORT without --auth-token-file: exit status 2');

  // --insecure-no-auth: it starts, and answers without a token.
  const q = await h.httpProxy('insecure', { host: '0.0.0.0', args: ['--insecure-no-auth'] });
  r = await q.post(INIT);
  ok(r.status === 200 && r.headers['mcp-session-id'], '--listen 0.0.0.0:PORT --insecure-no-auth: starts, initialize answered 200 without a token');
  // And with a token file it starts too, and wants the token.
  const t = await h.httpProxy('wild-token', { host: '0.0.0.0', args: ['--auth-token-file', tokenFile] });
  is((await t.post(INIT)).status, 401, '--listen 0.0.0.0:PORT --auth-token-file: starts and wants the token');
  is((await t.post(INIT, { headers: bearer })).status, 200, 'and takes it');
});
