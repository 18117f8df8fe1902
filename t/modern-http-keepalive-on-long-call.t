// Proves: the SSE stream of a long 2026-07-28 call over HTTP gets SSE comment lines (": keepalive") while codex is quiet, so that idle connections stay up, and still ends with the result.
'use strict';
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const E = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };

main(async () => {
  const p = await h.httpProxy('modern-keepalive');
  const s = await p.stream('POST', '/mcp', {
    headers: {
      'Content-Type': 'application/json', Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'tools/call', 'Mcp-Name': 'codex',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'codex', arguments: { prompt: '[[slow:2:20000]]' }, _meta: E } }),
  });
  is(s.headers['content-type'], 'text/event-stream', 'the long call is answered as SSE');
  ok(await h.waitUntil(() => /^: keepalive$/m.test(s.text()), 30000), 'a keepalive comment came while codex was quiet');
  await s.ended;
  const last = s.events.filter((e) => e.data).map((e) => JSON.parse(e.data)).pop();
  is(h.textOf(last && last.result), 'tick 1 tick 2 ', 'the stream still ended with the result');
});
