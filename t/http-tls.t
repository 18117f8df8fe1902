// Proves: with --tls-cert and --tls-key the HTTP front speaks only HTTPS, TLS 1.2 or later, and the MCP flow works over it; one of the two options alone is refused.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ok, is, like, diag, main, skipAll } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const V = '2025-06-18';

main(async () => {
  const dir = h.scratch('tls');
  const key = path.join(dir, 'k.pem');
  const cert = path.join(dir, 'c.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { encoding: 'utf8' });
  if (made.error || made.status !== 0) skipAll(`openssl cannot make a certificate: ${made.error || made.stderr}`);
  const ca = fs.readFileSync(cert);

  const p = await h.httpProxy('tls', { dir, ca, args: ['--tls-cert', cert, '--tls-key', key] });
  like(p.stderr(), new RegExp(`serving MCP over HTTPS at 127\\.0\\.0\\.1:${p.port}/mcp`), 'the log says HTTPS');

  // The MCP flow over HTTPS, the certificate checked against the one made.
  let r = await p.request('GET', '/healthz');
  is(r.status, 200, 'HTTPS /healthz: 200 (the certificate verified)');
  const { sid, res } = await p.initialize(V);
  ok(res.status === 200 && sid && res.json && res.json.result, 'HTTPS initialize: 200 with a session');
  r = await p.post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, { sid, version: V });
  ok(r.status === 200 && r.json && r.json.result && r.json.result.tools.length > 0, 'HTTPS tools/list: the tools');
  r = await p.post({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'codex', arguments: { prompt: '[[say:encrypted]]' } } }, { sid, version: V });
  ok(r.status === 200 && /^text\/event-stream/.test(r.headers['content-type']), 'HTTPS tools/call: an SSE stream');
  is(r.json && r.json.result && r.json.result.content[0].text, 'encrypted', 'HTTPS tools/call: ending with the result');
  r = await p.request('DELETE', '/mcp', { headers: { 'Mcp-Session-Id': sid } });
  is(r.status, 200, 'HTTPS DELETE: 200');

  // A client that does not trust the certificate fails.
  r = await p.request('GET', '/healthz', { tls: { ca: undefined } });
  ok(!r.status && r.error, 'a client without the certificate as CA does not get an answer');
  if (r.error) diag(`untrusted: ${r.error.code || r.error.message}`);

  // Plain HTTP to the port gets no HTTP answer.
  const http = require('node:http');
  const plain = await new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port: p.port, path: '/healthz', agent: false, timeout: 5000 }, (res1) => {
      res1.resume();
      resolve({ status: res1.statusCode });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ error: err }));
    req.end();
  });
  ok(!plain.status && plain.error, 'plain HTTP to the HTTPS port gets no HTTP answer');
  if (plain.error) diag(`plain HTTP: ${plain.error.code || plain.error.message}`);

  // TLS 1.2 is the least: 1.2 works, 1.1 is refused by the server (the client
  // is allowed to offer 1.1 at security level 0, so the refusal is not its own).
  r = await p.request('GET', '/healthz', { tls: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' } });
  is(r.status, 200, 'a TLS 1.2 client: 200');
  r = await p.request('GET', '/healthz', { tls: { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' } });
  is(r.status, 200, 'a TLS 1.3 client: 200');
  r = await p.request('GET', '/healthz', { tls: { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' } });
  ok(!r.status && r.error, 'a TLS 1.1 client gets no answer');
  if (r.error) diag(`TLS 1.1: ${r.error.code} ${r.error.message}`);
  like(r.error && `${r.error.code} ${r.error.message}`, /alert protocol version/i, 'the server refuses TLS 1.1 with a protocol_version alert');
  r = await p.request('GET', '/healthz');
  is(r.status, 200, 'the proxy still answers after the refused handshakes');

  // One of the two options alone.
  for (const [given, args] of [['--tls-cert', ['--tls-cert', cert]], ['--tls-key', ['--tls-key', key]]]) {
    const run = spawnSync(h.PROXY, ['--listen', '127.0.0.1:1', ...args, '--upstream-cmd', h.fakeCommand('--state', dir)], { encoding: 'utf8', timeout: 10000 });
    is(run.status, 1, `only ${given}: exit status 1`);
    like(run.stderr, /--tls-cert and --tls-key go together/, `only ${given}: a message on stderr saying so`);
  }
  // A key that does not match the certificate.
  const key2 = path.join(dir, 'k2.pem');
  spawnSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key2]);
  const bad = spawnSync(h.PROXY, ['--listen', '127.0.0.1:1', '--tls-cert', cert, '--tls-key', key2, '--upstream-cmd', h.fakeCommand('--state', dir)], { encoding: 'utf8', timeout: 10000 });
  is(bad.status, 1, 'a key that does not match the certificate: exit status 1');
  like(bad.stderr, /cannot load/, 'with a message saying the pair cannot be loaded');
});
