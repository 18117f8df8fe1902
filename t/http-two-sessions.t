// Proves: over Streamable HTTP, two SDK clients (two sessions) call `codex` at the same time through one proxy on one real codex 0.169 app-server, each getting its own correct result on its own thread with the turns overlapping at the model; a session can continue (codex-reply) a thread another session created, with its history.
'use strict';
const { ok, is, main, cleanup } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');

// An SDK client initialized on url over Streamable HTTP, closed at the end.
async function sdkClient(url, name) {
  const client = new Client({ name, version: '0' }, { capabilities: {} });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  cleanup(() => client.close().catch(() => {}));
  return { client, transport };
}

const TICKS = Array.from({ length: 8 }, (_, i) => `tick ${i + 1} `).join('');

main(async () => {
  const mock = await h.mockModel();
  const home = h.codexHome(mock);
  const proxy = await h.httpProxy('two-sessions', { upstream: h.codexCommand('0.169'), env: { CODEX_HOME: home } });
  const a = await sdkClient(proxy.url, 'session-a');
  const b = await sdkClient(proxy.url, 'session-b');
  ok(a.transport.sessionId && b.transport.sessionId && a.transport.sessionId !== b.transport.sessionId,
    'the two clients got two different Mcp-Session-Ids');

  const finished = [];
  const call = (client, prompt) => client.callTool({ name: 'codex', arguments: { prompt } }).then((r) => {
    finished.push(Date.now() / 1000);
    return r;
  });
  const [ra, rb] = await Promise.all([
    call(a.client, '[[slow:8:150]] alpha'),
    call(b.client, '[[slow:8:150]] beta'),
  ]);
  ok(!ra.isError, 'session A: the call succeeded');
  ok(!rb.isError, 'session B: the call succeeded');
  is(h.textOf(ra), TICKS, 'session A got its whole answer');
  is(h.textOf(rb), TICKS, 'session B got its whole answer');
  const ta = ra.structuredContent && ra.structuredContent.threadId;
  const tb = rb.structuredContent && rb.structuredContent.threadId;
  ok(typeof ta === 'string' && typeof tb === 'string' && ta !== tb, 'the two calls ran on two different threads');

  const turns = mock.requests.filter((q) => /\[\[slow:8:150\]\] (alpha|beta)/.test(q.last_user));
  is(turns.map((q) => q.last_user.replace(/.* /, '')).sort(), ['alpha', 'beta'], 'the model got one turn from each session');
  ok(turns.length === 2 && Math.max(...turns.map((q) => q.t)) < Math.min(...finished),
    'the turns overlapped: both reached the model before either call finished');

  const rr = await b.client.callTool({ name: 'codex-reply', arguments: { threadId: ta, prompt: '[[history]]' } });
  ok(!rr.isError, 'session B: codex-reply on the thread session A created succeeded');
  is(rr.structuredContent && rr.structuredContent.threadId, ta, 'the reply ran on session A\'s thread');
  is(h.textOf(rr), 'History: [[slow:8:150]] alpha | [[history]]', 'its history holds session A\'s prompt (and not B\'s)');

  const starts = proxy.stderr().match(/started codex app-server/g) || [];
  is(starts.length, 1, 'the proxy ran one app-server for both sessions');
});
