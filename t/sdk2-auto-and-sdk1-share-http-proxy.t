// Proves: one running HTTP proxy on real codex 0.171 serves, at the same time, the MCP SDK v2 client in auto mode (it probes with server/discover and stays in the 2026-07-28 era, with no session), the same client pinned to 2026-07-28, and an SDK 1.x client (initialize and an Mcp-Session-Id, 2025-11-25): each gets its own era, their turns run side by side, and each can read the other's conversation.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const mock = await h.mockModel();
  const home = h.codexHome(mock);
  const p = await h.httpProxy('sdk2-mixed', { upstream: h.codexCommand('0.171'), env: { CODEX_HOME: home } });

  const auto = await h.sdk2Client(p.url, { mode: 'auto', name: 'v2-auto' });
  const pinned = await h.sdk2Client(p.url, { name: 'v2-pinned' });
  const old = await h.httpSdkClient(p.url, 'v1-client');
  is(auto.client.getProtocolEra(), 'modern', 'the SDK v2 client in auto mode chose the modern era');
  is(auto.client.getNegotiatedProtocolVersion(), '2026-07-28', 'on 2026-07-28');
  is(auto.client.getDiscoverResult() && auto.client.getDiscoverResult().supportedVersions, ['2026-07-28'], 'from server/discover');
  is(pinned.client.getProtocolEra(), 'modern', 'the pinned client too');
  is(old.client.getServerVersion() && old.client.getServerVersion().name, 'codex-mcp-proxy', 'the SDK 1.x client initialized');
  ok(old.transport.sessionId, 'and has an Mcp-Session-Id');
  is(mcpVersion(old), '2025-11-25', 'on 2025-11-25');

  const [a, b, c] = await Promise.all([
    auto.client.callTool({ name: 'codex', arguments: { prompt: '[[slow:5:100]]' } }),
    pinned.client.callTool({ name: 'codex', arguments: { prompt: 'from the pinned client' } }),
    old.client.callTool({ name: 'codex', arguments: { prompt: 'from the 1.x client' } }),
  ]);
  is(h.textOf(a), 'tick 1 tick 2 tick 3 tick 4 tick 5 ', 'the auto client\'s turn answered');
  is(h.textOf(b), 'You said: from the pinned client', 'the pinned client\'s turn answered');
  is(h.textOf(c), 'You said: from the 1.x client', 'the 1.x client\'s turn answered, at the same time');
  ok(a._meta && a._meta['io.modelcontextprotocol/serverInfo'], 'the modern results carry serverInfo');
  ok(!c._meta, 'the 2025 result does not');
  const { tools } = await old.client.listTools();
  ok(!JSON.stringify(tools).includes('x-mcp-header'), 'the 1.x client\'s tools/list is the 2025 one');

  const read = await old.client.callTool({ name: 'codex-read', arguments: { threadId: a.structuredContent.threadId } });
  like(h.textOf(read), /\[\[slow:5:100\]\]/, 'the 1.x client reads the auto client\'s conversation');
  const readBack = await auto.client.callTool({ name: 'codex-read', arguments: { threadId: c.structuredContent.threadId } });
  like(h.textOf(readBack), /from the 1\.x client/, 'and the other way round');
});

// The protocol version the 1.x transport negotiated.
function mcpVersion(old) {
  return old.transport.protocolVersion || (old.transport._protocolVersion);
}
