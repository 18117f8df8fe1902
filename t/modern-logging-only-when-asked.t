// Proves: a 2026-07-28 request gets notifications/message only when its own _meta carries io.modelcontextprotocol/logLevel, at or above that level, on stdio and on HTTP (on the request's own SSE stream); a request without it gets none, whatever an earlier request asked for.
'use strict';
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const E = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const LEVEL = 'io.modelcontextprotocol/logLevel';
const failing = (meta) => ({ name: 'codex', arguments: { prompt: '[[fail]]' }, _meta: { ...E, ...meta } });

main(async () => {
  // stdio: one process, requests with and without a level.
  const p = await h.fakeRawProxy('modern-log', { initialize: false });
  const logsOf = (id) => p.messages.filter((m) => m.method === 'notifications/message');
  const a = await p.request('tools/call', failing({ [LEVEL]: 'debug' }));
  ok(a.result && a.result.isError, 'stdio: the failing turn is answered');
  const asked = logsOf().length;
  ok(asked > 0, 'stdio: a request with logLevel debug got log messages');
  ok(logsOf().every((m) => m.params.level === 'error' && /mock|fail/i.test(m.params.data)), 'stdio: codex\'s error, at level error');
  await p.request('tools/call', failing({}));
  is(logsOf().length, asked, 'stdio: the same call without logLevel got none');
  await p.request('tools/call', failing({ [LEVEL]: 'critical' }));
  is(logsOf().length, asked, 'stdio: nor one asking for critical and above');
  await p.request('tools/call', failing({ [LEVEL]: 'error' }));
  ok(logsOf().length > asked, 'stdio: one asking for error and above got it');

  // HTTP: each POST on its own.
  const q = await h.httpProxy('modern-log-http');
  const post = (id, meta) => q.post({ jsonrpc: '2.0', id, method: 'tools/call', params: failing(meta) },
    { headers: { 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'tools/call', 'Mcp-Name': 'codex' } });
  const withLevel = await post(1, { [LEVEL]: 'info' });
  const logs = (withLevel.messages || []).filter((m) => m.method === 'notifications/message');
  ok(logs.length > 0, 'HTTP: a request with logLevel info got log messages on its stream');
  is(withLevel.json && withLevel.json.id, 1, 'HTTP: before its result, which ends the stream');
  const without = await post(2, {});
  ok(!(without.messages || []).some((m) => m.method === 'notifications/message') &&
    !(without.body || '').includes('notifications/message'), 'HTTP: a request without logLevel got none');
  ok(without.json && without.json.result && without.json.result.isError, 'HTTP: but its result');
});
