// Proves: a 2026-07-28 tools/call over HTTP that runs on a thread names it in the Mcp-Thread-Id response header (for a load balancer to learn): a new conversation's response starts once thread/start has answered, with the thread's id and with the progress sent before it still on the stream; a codex-reply's names the thread it was asked for; a call on no thread and a 2025-era call carry no such header.
'use strict';
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const E = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
const headers = (method, name, extra = {}) => ({
  'Content-Type': 'application/json', Accept: 'application/json, text/event-stream',
  'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': method, ...(name ? { 'Mcp-Name': name } : {}), ...extra,
});
const call = (id, name, args) => JSON.stringify({
  jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, _meta: { ...E, progressToken: `token-${id}` } },
});
const msgs = (s) => s.events.filter((e) => e.data).map((e) => JSON.parse(e.data));

main(async () => {
  const p = await h.httpProxy('modern-names-thread');
  const a = await p.stream('POST', '/mcp', { headers: headers('tools/call', 'codex'), body: call('a', 'codex', { prompt: 'alpha' }) });
  await a.ended;
  is(a.status, 200, 'codex answered');
  is(a.headers['content-type'], 'text/event-stream', 'on an SSE stream');
  const result = msgs(a).find((m) => m.id === 'a');
  const tid = result && result.result.structuredContent.threadId;
  ok(/^[0-9a-f-]{36}$/.test(tid || ''), 'the result names a thread');
  is(a.headers['mcp-thread-id'], tid, 'the response header names the same thread');
  const progress = msgs(a).filter((m) => m.method === 'notifications/progress').map((m) => m.params.message);
  is(progress[0], 'waiting for codex', 'the progress sent before the thread was known is on the stream');
  is(msgs(a).slice(-1)[0].id, 'a', 'and the answer ends it');

  const b = await p.stream('POST', '/mcp', {
    headers: headers('tools/call', 'codex-reply', { 'Mcp-Param-ThreadId': tid }), body: call('b', 'codex-reply', { threadId: tid, prompt: 'beta' }),
  });
  await b.ended;
  is(b.headers['mcp-thread-id'], tid, 'codex-reply names the thread it continues');
  ok(msgs(b).some((m) => m.id === 'b' && m.result && !m.result.isError), 'and it answered');

  const list = await p.post({ jsonrpc: '2.0', id: 'c', method: 'tools/list', params: { _meta: E } }, { headers: headers('tools/list') });
  is(list.status, 200, 'tools/list answered');
  is(list.headers['mcp-thread-id'], undefined, 'with no thread header');
  const l2 = await p.stream('POST', '/mcp', { headers: headers('tools/call', 'codex-list'), body: call('d', 'codex-list', {}) });
  await l2.ended;
  ok(msgs(l2).some((m) => m.id === 'd' && m.result), 'codex-list answered');
  is(l2.headers['mcp-thread-id'], undefined, 'it runs on no thread: no header');

  const { sid } = await p.initialize('2025-11-25');
  const old = await p.post({ jsonrpc: '2.0', id: 'e', method: 'tools/call', params: { name: 'codex-reply', arguments: { threadId: tid, prompt: 'gamma' } } },
    { sid, version: '2025-11-25' });
  is(old.status, 200, 'a 2025 session\'s codex-reply answered');
  is(old.headers['mcp-thread-id'], undefined, 'without the header: its session id routes it');
});
