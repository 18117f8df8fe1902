// Proves: with --request-timeout a connection that sends no request, or sends it a byte a second (slowloris), or idles after its answer, is closed after that many seconds, while an SSE stream and a long turn's POST outlive it.
'use strict';
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const raw = require('./lib/raw-http.js');

const V = '2025-06-18';
const TIMEOUT_S = 2;

// Test point: c was closed between 1 s and TIMEOUT_S + 3 s after it opened.
async function closedInTime(c, what) {
  const ms = await raw.within(c.closed, (TIMEOUT_S + 3) * 1000);
  if (!ok(ms !== 'timeout' && ms >= 1000, `${what}: closed after about ${TIMEOUT_S} s`)) diag(`closed: ${ms}`);
}

main(async () => {
  const p = await h.httpProxy('request-timeout', { args: ['--request-timeout', String(TIMEOUT_S)] });

  const idle = await raw.connect(p.port);
  const slow = await raw.connect(p.port);
  const timer = setInterval(() => slow.write('X'), 1000);
  slow.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  const kept = await raw.connect(p.port);
  kept.write(raw.get('/healthz'));
  is(await raw.status(kept), 200, 'a keep-alive connection gets its answer');
  const keptAt = Date.now();

  // An SSE stream and a turn of about 5 s, both open longer than the timeout.
  const { sid } = await p.initialize(V);
  const sse = await p.stream('GET', '/mcp', { headers: { Accept: 'text/event-stream', 'Mcp-Session-Id': sid, 'MCP-Protocol-Version': V } });
  is(sse.status, 200, 'the session\'s GET stream is open');
  const turn = p.post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'codex', arguments: { prompt: '[[slow:2:2500]]' } } },
    { sid, version: V });

  await closedInTime(idle, 'a connection that sends nothing');
  await closedInTime(slow, 'a connection sending its header a byte a second');
  clearInterval(timer);
  const keptMs = await raw.within(kept.closed, (TIMEOUT_S + 3) * 1000);
  ok(keptMs !== 'timeout' && Date.now() - keptAt >= 1000, 'a keep-alive connection idle after its answer: closed after about the timeout');

  const r = await turn;
  is([r.status, r.json && r.json.id], [200, 2], 'the 5 s turn\'s POST got its result on its SSE stream');
  like(r.json && r.json.result && r.json.result.content && r.json.result.content[0].text, /tick 1 tick 2/, 'with the whole answer');
  is(await raw.within(sse.ended, 100), 'timeout', 'the GET stream is still open after the turn');
  sse.close();
});
