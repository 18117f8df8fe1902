// Proves: the HTTP front refuses (403) a Host or Origin that is not an allowed host (loopback names by default, --allowed-hosts otherwise, blanks around its commas ignored), and a loopback --listen binds only loopback addresses.
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const V = '2025-06-18';
const INIT = {
  jsonrpc: '2.0', id: 1, method: 'initialize',
  params: { protocolVersion: V, capabilities: {}, clientInfo: { name: 'origin', version: '0' } },
};

// Test point: refused with 403 and a JSON-RPC error body.
function refused(r, what) {
  const good = r.status === 403 && r.json && r.json.error && r.json.id === null && !(r.headers && r.headers['mcp-session-id']);
  if (!ok(good, `${what}: 403 with a JSON-RPC error and no session`)) diag(`got ${r.status} ${r.body || r.error}`);
}

// Test point: initialize accepted (200, a session id).
function accepted(r, what) {
  const good = r.status === 200 && r.json && r.json.result && r.headers['mcp-session-id'];
  if (!ok(good, `${what}: initialize answered 200 with a session`)) diag(`got ${r.status} ${r.body || r.error}`);
}

// The local addresses listening on this TCP port, from /proc/net/tcp{,6}.
function listeners(port) {
  const found = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4 || f[3] !== '0A') continue;
      const [addr, p] = f[1].split(':');
      if (parseInt(p, 16) !== port) continue;
      if (addr.length === 8) {
        found.push(Buffer.from(addr, 'hex').reverse().join('.'));
      } else {
        const words = addr.match(/.{8}/g).map((w) => Buffer.from(w, 'hex').reverse().toString('hex'));
        found.push(words.join('').match(/.{4}/g).join(':'));
      }
    }
  }
  return found;
}

// Does a TCP connection to host:port succeed?
function connects(host, port) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 3000 });
    s.on('connect', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
    s.on('timeout', () => { s.destroy(); resolve(false); });
  });
}

main(async () => {
  const p = await h.httpProxy('origin');
  const post = (headers) => p.post(INIT, { headers });

  refused(await post({ Origin: 'http://evil.example' }), 'Origin http://evil.example');
  refused(await post({ Origin: `http://evil.example:${p.port}` }), 'Origin http://evil.example:PORT');
  refused(await post({ Origin: 'http://localhost.evil.example' }), 'Origin http://localhost.evil.example');
  refused(await post({ Origin: 'null' }), 'Origin null');
  refused(await post({ Host: 'evil.example' }), 'Host evil.example');
  refused(await post({ Host: `evil.example:${p.port}` }), 'Host evil.example:PORT');
  refused(await post({ Host: `127.0.0.1.evil.example:${p.port}` }), 'Host 127.0.0.1.evil.example:PORT');
  refused(await p.request('GET', '/mcp', { headers: { Accept: 'text/event-stream', Origin: 'http://evil.example' } }), 'GET with Origin http://evil.example');
  refused(await p.request('GET', '/metrics', { headers: { Host: 'evil.example' } }), 'GET /metrics with Host evil.example');
  like(p.stderr(), /refused a request with Host [^\n]*evil\.example/, 'the refusals are logged');

  accepted(await post({ Origin: `http://localhost:${p.port}` }), 'Origin http://localhost:PORT');
  accepted(await post({ Origin: 'http://127.0.0.1' }), 'Origin http://127.0.0.1');
  accepted(await post({ Origin: `http://[::1]:${p.port}` }), 'Origin http://[::1]:PORT');
  accepted(await post({ Host: `localhost:${p.port}` }), 'Host localhost:PORT');
  accepted(await post({ Host: `LOCALHOST:${p.port}`, Origin: 'https://LocalHost' }), 'Host and Origin naming localhost in capitals');
  accepted(await post({}), 'Host 127.0.0.1:PORT and no Origin');

  // --allowed-hosts replaces the list.
  const q = await h.httpProxy('allowed', { args: ['--allowed-hosts', 'example.test'] });
  accepted(await q.post(INIT, { headers: { Host: `example.test:${q.port}` } }), '--allowed-hosts example.test: Host example.test:PORT');
  accepted(await q.post(INIT, { headers: { Host: 'example.test', Origin: 'https://example.test' } }), '--allowed-hosts example.test: Origin https://example.test');
  refused(await q.post(INIT, { headers: { Host: `localhost:${q.port}` } }), '--allowed-hosts example.test: Host localhost:PORT');
  refused(await q.post(INIT, {}), '--allowed-hosts example.test: Host 127.0.0.1:PORT');
  refused(await q.post(INIT, { headers: { Host: `example.test:${q.port}`, Origin: 'http://localhost' } }), '--allowed-hosts example.test: Origin http://localhost');
  const b = await h.httpProxy('allowed-blanks', { args: ['--allowed-hosts', 'other.test, example.test'] });
  accepted(await b.post(INIT, { headers: { Host: `example.test:${b.port}` } }), '--allowed-hosts "other.test, example.test": the blank after the comma is no part of a name');

  // A loopback --listen listens on loopback only.
  const l = await h.httpProxy('bind', { host: 'localhost' });
  const addrs = listeners(l.port);
  if (!ok(addrs.length > 0 && addrs.every((a) => /^127\./.test(a) || a === '0000:0000:0000:0000:0000:0000:0000:0001'),
    '--listen localhost:PORT listens only on loopback addresses')) diag(`listening on: ${addrs.join(', ')}`);
  like(l.stderr(), new RegExp(`serving MCP over HTTP at localhost:${l.port}/mcp`), 'the startup log line names the address');
  like(p.stderr(), new RegExp(`serving MCP over HTTP at 127\\.0\\.0\\.1:${p.port}/mcp`), 'and for --listen 127.0.0.1:PORT, 127.0.0.1');
  ok(await connects('127.0.0.1', l.port), 'a connection to 127.0.0.1:PORT succeeds');
  const outside = Object.values(os.networkInterfaces()).flat().filter((i) => !i.internal && i.family === 'IPv4');
  if (outside.length === 0) diag('no non-loopback IPv4 address to try');
  for (const i of outside) {
    ok(!(await connects(i.address, l.port)), `a connection to this machine's non-loopback ${i.address} on that port fails`);
  }
});
