// Proves: over HTTP, clients that stop reading their SSE streams (three codex calls with a progress token whose 3 MB results they do not read) make the proxy stop reading the app-server once over 1 MiB waits on a connection ("holding the app-server's output" in the -v log), and read on once they catch up; every call then ends with its whole answer.
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { ok, is, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const N = 3;
const SIZE = 3000000;
const V = '2025-11-25';

main(async () => {
  const dir = h.scratch('slow-sse');
  const log = path.join(dir, 'proxy.log');
  const p = await h.httpProxy('slow-sse', { dir, args: ['-v', '--log-file', log] });
  const logged = (re) => fs.existsSync(log) && re.test(fs.readFileSync(log, 'utf8'));
  const { sid } = await p.initialize(V);
  ok(sid, 'a session');

  // Each call on its own connection; its response is not read until told.
  const streams = [];
  const responses = [];
  for (let i = 0; i < N; i++) {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 10 + i, method: 'tools/call',
      params: { name: 'codex', arguments: { prompt: `[[flood:${SIZE}]]` }, _meta: { progressToken: `t${i}` } } });
    streams.push(new Promise((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: p.port, path: '/mcp', method: 'POST', agent: false, headers: {
        'Content-Type': 'application/json', Accept: 'application/json, text/event-stream',
        'Mcp-Session-Id': sid, 'MCP-Protocol-Version': V } }, (res) => {
        res.pause();
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
        responses[i] = res;
      });
      req.on('error', (err) => resolve({ error: err }));
      req.end(body);
    }));
  }
  ok(await h.waitUntil(() => logged(/holding the app-server's output/), 30000),
    'with the clients not reading, the proxy holds the app-server\'s output');
  ok(await h.waitUntil(() => responses.filter(Boolean).length === N, 10000), 'every call has its response started');
  for (const res of responses) res.resume();
  const results = await Promise.all(streams);
  ok(logged(/reading the app-server's output/), 'once the clients read again, so does the proxy');
  const texts = results.map((r) => {
    const events = h.parseSse(r.text || '').events.filter((e) => e.data).map((e) => JSON.parse(e.data));
    const last = events[events.length - 1];
    return last && last.result && !last.result.isError ? h.textOf(last.result) : null;
  });
  diag(`answers: ${texts.map((t) => (t === null ? 'none' : Buffer.byteLength(t))).join(', ')} bytes`);
  is(texts.filter((t) => t !== null && Buffer.byteLength(t) >= SIZE - 4 && Buffer.byteLength(t) <= SIZE).length, N,
    `all ${N} calls ended with their whole answer`);
  const ping = await p.post({ jsonrpc: '2.0', id: 2, method: 'ping' }, { sid, version: V });
  is(ping.status, 200, 'the proxy goes on answering');
});
