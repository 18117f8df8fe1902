// Proves: initialize echoes each supported protocol version, answers an unknown one with 2025-11-25 (no error), reports tools and serverInfo, rejects a missing or non-string protocolVersion (-32602) and a second initialize, refuses other requests before initialize without dying, and answers ping before it.
'use strict';
const { execFileSync } = require('node:child_process');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// A proxy on the fake app-server.
function proxy(dir) {
  return new h.RawProxy({ args: ['--upstream-cmd', h.fakeCommand('--state', dir)] });
}

// initialize params asking for version.
function initParams(version) {
  return { protocolVersion: version, capabilities: {}, clientInfo: { name: 'tap', version: '0' } };
}

main(async () => {
  const dir = h.scratch('init');
  // "codex-mcp-proxy 0.1.0": what serverInfo must say.
  const [name, version] = execFileSync(h.PROXY, ['--version'], { encoding: 'utf8' }).trim().split(' ');

  for (const asked of ['2025-03-26', '2025-06-18', '2025-11-25', '1999-01-01']) {
    const want = asked === '1999-01-01' ? '2025-11-25' : asked;
    const p = proxy(dir);
    const r = await p.request('initialize', initParams(asked));
    ok(!('error' in r), `${asked}: no error`);
    is(r.jsonrpc, '2.0', `${asked}: a JSON-RPC 2.0 response`);
    is(r.result && r.result.protocolVersion, want, `${asked}: answered with protocolVersion ${want}`);
    const caps = r.result && r.result.capabilities;
    ok(caps && typeof caps.tools === 'object' && caps.tools !== null && !Array.isArray(caps.tools),
      `${asked}: capabilities.tools is an object`);
    const info = (r.result && r.result.serverInfo) || {};
    is(info.name, name, `${asked}: serverInfo.name is ${name}`);
    is(info.version, version, `${asked}: serverInfo.version is ${version}`);
    const pong = await p.request('ping', {});
    is(pong.result, {}, `${asked}: ping works before notifications/initialized`);
    p.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const list = await p.request('tools/list', {});
    ok(list.result && Array.isArray(list.result.tools), `${asked}: the session then serves tools/list`);
    is((await p.close()).code, 0, `${asked}: the proxy exits 0 on EOF`);
  }

  // Malformed initialize requests: -32602, and the session is still not initialized.
  const m = proxy(dir);
  const bad = [
    ['no params', undefined],
    ['params without protocolVersion', { capabilities: {}, clientInfo: { name: 'tap', version: '0' } }],
    ['a number', { ...initParams(20250618) }],
    ['null', { ...initParams(null) }],
    ['an object', { ...initParams({ v: '2025-06-18' }) }],
    ['an array', { ...initParams(['2025-06-18']) }],
  ];
  for (const [what, params] of bad) {
    const r = await m.request('initialize', params);
    is(r.error && r.error.code, -32602, `protocolVersion ${what}: -32602`);
    ok(!('result' in r), `protocolVersion ${what}: no result`);
  }
  const notYet = await m.request('tools/list', {});
  ok(r2err(notYet), 'after the failed initializes the session is still not initialized');
  const good = await m.request('initialize', initParams('2025-06-18'));
  is(good.result && good.result.protocolVersion, '2025-06-18', 'a proper initialize then succeeds');

  // A second initialize is an error, and does not break the session.
  const again = await m.request('initialize', initParams('2025-03-26'));
  is(again.error && again.error.code, -32600, 'a second initialize: -32600');
  ok(!('result' in again), 'a second initialize: no result');
  m.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  const after = await m.request('tools/list', {});
  ok(after.result && Array.isArray(after.result.tools), 'the session still works after the second initialize');
  is((await m.close()).code, 0, 'the proxy exits 0 on EOF');

  // Before initialize: ping answers {}, everything else is an error, nothing crashes.
  const early = proxy(dir);
  const pong = await early.request('ping');
  is(pong.result, {}, 'ping before initialize: result {}');
  const pong2 = await early.request('ping', {});
  is(pong2.result, {}, 'ping with empty params before initialize: result {}');
  for (const [method, params] of [
    ['tools/list', {}],
    ['tools/call', { name: 'codex', arguments: { prompt: 'too early' } }],
    ['no/such/method', {}],
  ]) {
    const r = await early.request(method, params);
    is(r.error && r.error.code, -32600, `${method} before initialize: -32600`);
    ok(!('result' in r), `${method} before initialize: no result`);
  }
  ok(early.child.exitCode === null, 'the proxy is still running');
  const late = await early.initialize('2025-11-25');
  is(late.result && late.result.protocolVersion, '2025-11-25', 'initialize still works afterwards');
  ok(early.messages.every((msg) => 'id' in msg && ('result' in msg || 'error' in msg)),
    'the server sent only responses (no requests or notifications of its own)');
  is((await early.close()).code, 0, 'the proxy exits 0 on EOF');
});

// Is r an error response?
function r2err(r) {
  return r && r.error && typeof r.error.code === 'number' && !('result' in r);
}
