// Proves: the MCP SDK v2 client pinned to 2026-07-28 gets a modern session from the proxy over stdio and over Streamable HTTP, on real codex 0.169 and 0.171: discover offers 2026-07-28, tools/list lists the six tools with threadId marked x-mcp-header, codex starts a conversation (its result carries the threadId and serverInfo), and after the proxy restarts codex-reply continues it with the history intact.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// One round on a connected client: a new conversation; its thread id.
async function start(c, what) {
  is(c.getProtocolEra(), 'modern', `${what}: the client is in the modern era`);
  is(c.getNegotiatedProtocolVersion(), '2026-07-28', `${what}: on 2026-07-28`);
  const { tools } = await c.listTools();
  is(tools.map((t) => t.name), ['codex', 'codex-reply', 'codex-list', 'codex-read', 'codex-archive', 'codex-unarchive'], `${what}: the six tools, in order`);
  is(tools.find((t) => t.name === 'codex-reply').inputSchema.properties.threadId['x-mcp-header'], 'ThreadId', `${what}: threadId is mirrored into a header`);
  const r = await c.callTool({ name: 'codex', arguments: { prompt: 'remember the word teal' } });
  ok(!r.isError, `${what}: codex answered`);
  is(r._meta && r._meta['io.modelcontextprotocol/serverInfo'] && r._meta['io.modelcontextprotocol/serverInfo'].name, 'codex-mcp-proxy',
    `${what}: the result carries serverInfo`);
  ok(r.structuredContent && /^[0-9a-f-]{36}$/.test(r.structuredContent.threadId), `${what}: and the threadId`);
  return r.structuredContent.threadId;
}

// The second half, on a restarted proxy: codex-reply sees the history.
async function resume(c, tid, what) {
  const r = await c.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: '[[history]]' } });
  ok(!r.isError, `${what}: codex-reply after the restart answered`);
  like(h.textOf(r), /History: remember the word teal \| \[\[history\]\]/, `${what}: with the first prompt in the history`);
  is(r.structuredContent && r.structuredContent.threadId, tid, `${what}: on the same thread`);
}

main(async () => {
  for (const version of ['0.169', '0.171']) {
    const mock = await h.mockModel();
    const home = h.codexHome(mock);
    const cmd = h.codexCommand(version);

    const what = `stdio ${version}`;
    const a = await h.sdk2Client(null, { args: ['--upstream-cmd', cmd], env: { CODEX_HOME: home } });
    const tid = await start(a.client, what);
    await a.client.close();
    const b = await h.sdk2Client(null, { args: ['--upstream-cmd', cmd], env: { CODEX_HOME: home } });
    await resume(b.client, tid, what);
    await b.client.close();

    const hw = `HTTP ${version}`;
    const p = await h.httpProxy(`sdk2-${version}`, { upstream: cmd, env: { CODEX_HOME: home } });
    const c = await h.sdk2Client(p.url);
    const tid2 = await start(c.client, hw);
    await c.client.close();
    await p.stop();
    const q = await h.httpProxy(`sdk2-${version}-again`, { upstream: cmd, env: { CODEX_HOME: home } });
    const d = await h.sdk2Client(q.url);
    await resume(d.client, tid2, hw);
    await d.client.close();
    await q.stop();
  }
});
