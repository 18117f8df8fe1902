// Proves: over HTTP, in a 2025 session and in 2026-07-28 alike, clients that stop reading their SSE streams (three codex calls with a progress token whose 3 MB results they do not read) make the proxy stop reading the app-server once over 1 MiB waits on a connection ("holding the app-server's output" in the -v log), and read on once they catch up; every call then ends with its whole answer.
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { ok, is, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const N = 3;
const SIZE = 3000000;
const V = '2025-11-25';

// The POST headers and body of call i in era: a 2025 session's, or 2026-07-28's.
function call(era, sid, i) {
  const params = { name: 'codex', arguments: { prompt: `[[flood:${SIZE}]]` }, _meta: { progressToken: `t${i}` } };
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
  if (era === 'modern') {
    Object.assign(params._meta, { 'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientCapabilities': {} });
    Object.assign(headers, { 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'tools/call', 'Mcp-Name': 'codex' });
  } else {
    Object.assign(headers, { 'Mcp-Session-Id': sid, 'MCP-Protocol-Version': V });
  }
  return { headers, body: JSON.stringify({ jsonrpc: '2.0', id: 10 + i, method: 'tools/call', params }) };
}

main(async () => {
  for (const era of ['2025', 'modern']) {
    const dir = h.scratch(`slow-sse-${era}`);
    const log = path.join(dir, 'proxy.log');
    const p = await h.httpProxy(`slow-sse-${era}`, { dir, args: ['-v', '--log-file', log] });
    const logged = (re) => fs.existsSync(log) && re.test(fs.readFileSync(log, 'utf8'));
    const { sid } = era === 'modern' ? {} : await p.initialize(V);
    if (era !== 'modern') ok(sid, `${era}: a session`);

    // Each call on its own connection; its response is not read until told.
    const streams = [];
    const responses = [];
    for (let i = 0; i < N; i++) {
      const { headers, body } = call(era, sid, i);
      streams.push(new Promise((resolve) => {
        const req = http.request({ host: '127.0.0.1', port: p.port, path: '/mcp', method: 'POST', agent: false, headers }, (res) => {
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
      `${era}: with the clients not reading, the proxy holds the app-server's output`);
    ok(await h.waitUntil(() => responses.filter(Boolean).length === N, 10000), `${era}: every call has its response started`);
    for (const res of responses) res.resume();
    const results = await Promise.all(streams);
    ok(logged(/reading the app-server's output/), `${era}: once the clients read again, so does the proxy`);
    const texts = results.map((r) => {
      const events = h.parseSse(r.text || '').events.filter((e) => e.data).map((e) => JSON.parse(e.data));
      const last = events[events.length - 1];
      return last && last.result && !last.result.isError ? h.textOf(last.result) : null;
    });
    diag(`${era} answers: ${texts.map((t) => (t === null ? 'none' : Buffer.byteLength(t))).join(', ')} bytes`);
    is(texts.filter((t) => t !== null && Buffer.byteLength(t) >= SIZE - 4 && Buffer.byteLength(t) <= SIZE).length, N,
      `${era}: all ${N} calls ended with their whole answer`);
    const ping = era === 'modern' ? await p.request('POST', '/mcp', call(era, sid, 9)) // a codex call: answered whole
      : await p.post({ jsonrpc: '2.0', id: 2, method: 'ping' }, { sid, version: V });
    is(ping.status, 200, `${era}: the proxy goes on answering`);
  }
});
