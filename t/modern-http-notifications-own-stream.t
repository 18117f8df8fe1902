// Proves: over HTTP the progress and log messages of a 2026-07-28 call go only on that call's own response stream: two calls running at once each see only their own, and a 2025 session's GET stream on the same proxy sees none of them.
'use strict';
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const E = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/logLevel': 'debug' };
const headers = {
  'Content-Type': 'application/json', Accept: 'application/json, text/event-stream',
  'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'tools/call', 'Mcp-Name': 'codex',
};
const body = (id, prompt) => JSON.stringify({
  jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'codex', arguments: { prompt }, _meta: { ...E, progressToken: `token-${id}` } },
});

main(async () => {
  const p = await h.httpProxy('modern-own-stream');
  const { sid } = await p.initialize('2025-11-25');
  const get = await p.stream('GET', '/mcp', { headers: { Accept: 'text/event-stream', 'Mcp-Session-Id': sid, 'MCP-Protocol-Version': '2025-11-25' } });
  is(get.status, 200, 'a 2025 session has its GET stream open');

  const [a, b] = await Promise.all([
    p.stream('POST', '/mcp', { headers, body: body('a', '[[slow:4:60]]') }),
    p.stream('POST', '/mcp', { headers, body: body('b', '[[slow:3:80]]') }),
  ]);
  await Promise.all([a.ended, b.ended]);
  const msgs = (s) => s.events.filter((e) => e.data).map((e) => JSON.parse(e.data));
  const tokens = (s) => new Set(msgs(s).filter((m) => m.method === 'notifications/progress').map((m) => m.params.progressToken));
  is([...tokens(a)], ['token-a'], 'the first call\'s stream carried only its own progress');
  is([...tokens(b)], ['token-b'], 'the second call\'s stream carried only its own progress');
  is(msgs(a).filter((m) => 'id' in m).map((m) => m.id), ['a'], 'and only its own result');
  is(msgs(b).filter((m) => 'id' in m).map((m) => m.id), ['b'], 'the same for the second');
  ok(msgs(a).some((m) => m.method === 'notifications/message') || msgs(a).some((m) => m.method === 'notifications/progress'),
    'the first stream had notifications to check');
  await h.sleep(200);
  is(get.events.filter((e) => e.data).length, 0, 'the 2025 session\'s GET stream got none of it');
  get.close();
});
