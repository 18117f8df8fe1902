// Seed corpora for the fuzz targets, from the recorded traces in t/data:
// what the client, the app-server and the trace hold, one input a file
// (one line each, and each whole conversation as one input).
// usage: node fuzz/seeds.js TARGET SRCDIR OUTDIR
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const [target, srcdir, out] = process.argv.slice(2);
const data = path.join(srcdir, 't', 'data');
const lines = (f) => fs.readFileSync(path.join(data, f), 'utf8').split('\n').filter((l) => l !== '');
const traces = ['trace-0.77-v1.jsonl', 'trace-0.169-v2.jsonl'];
// The messages of one direction of a trace, as lines.
const messages = (f, dir) => lines(f).map((l) => JSON.parse(l)).filter((r) => r.dir === dir)
  .map((r) => JSON.stringify(r.msg));

// A few requests of each kind the HTTP front answers, after the target's
// initialize (@SID@ is its session).
const TOKEN = 'Authorization: Bearer fuzz-token\r\n';
const post = (body, extra = '') => `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n${TOKEN}${extra}` +
  `Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n` +
  `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const initialize = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'fuzz', version: '0' } } });
const session = 'Mcp-Session-Id: @SID@\r\nMcp-Protocol-Version: 2025-11-25\r\n';
const http = [
  post(initialize),
  post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), session) +
    post(JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'ping' }), session),
  post(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), session),
  post(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'codex', arguments: { prompt: 'hi' } } }), session),
  `GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n${TOKEN}${session}Accept: text/event-stream\r\nLast-Event-ID: 1/2\r\n\r\n`,
  `DELETE /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n${TOKEN}${session}\r\n`,
  'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n',
  `GET /metrics HTTP/1.1\r\nHost: localhost\r\n${TOKEN}\r\n`,
  `OPTIONS /mcp HTTP/1.1\r\nHost: evil.example\r\nOrigin: http://evil.example\r\n\r\n`,
  `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n${TOKEN}Transfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n0\r\n\r\n`,
];

const seeds = {
  rpc: () => traces.flatMap((f) => [...messages(f, 'c2p'), messages(f, 'c2p').join('\n')]),
  'upstream-v1': () => ['recorded-0.50-v1.jsonl', 'recorded-0.77-v1.jsonl']
    .flatMap((f) => [...lines(f), lines(f).join('\n')]),
  'upstream-v2': () => ['recorded-0.77-v2.jsonl', 'recorded-0.169-v2.jsonl']
    .flatMap((f) => [...lines(f), lines(f).join('\n')]),
  http: () => http,
  redact: () => [...traces.flatMap(lines), 'Authorization: Bearer sk-abc123\npassword: hunter2',
    '{"headers":{"cookie":"a=b"},"token":{"x":[1,2]},"text":"api_key=\\"k\\" ok"}'],
  replay: () => traces.map((f) => `${lines(f).join('\n')}\n\f\n${messages(f, 'p2s').join('\n')}\n`),
};

if (!seeds[target]) {
  console.error(`fuzz/seeds.js: no target ${target}`);
  process.exit(2);
}
fs.mkdirSync(out, { recursive: true });
seeds[target]().forEach((s, i) => fs.writeFileSync(path.join(out, `seed-${i}`), s));
