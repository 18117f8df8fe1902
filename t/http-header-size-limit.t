// Proves: a request whose headers pass --max-header-size (64 KiB by default) is refused with an error status and its connection closed, before authentication, and a 50 MB header does not grow the proxy's memory.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const raw = require('./lib/raw-http.js');

// The proxy's resident memory in kB, from /proc.
function rssKb(pid) {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

// Send a header of n bytes on c in 1 MB pieces, as long as the proxy reads; how many it took.
async function sendHeader(c, n) {
  c.write('GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ');
  const piece = 'a'.repeat(1 << 20);
  let sent = 0;
  while (sent < n && !c.isClosed()) {
    if (!c.sock.write(piece)) await raw.within(new Promise((r) => c.sock.once('drain', r)), 2000);
    sent += piece.length;
  }
  return sent;
}

main(async () => {
  const dir = h.scratch('header-size');
  const tokenFile = path.join(dir, 'token');
  fs.writeFileSync(tokenFile, 'tok-header-size\n', { mode: 0o600 });
  const p = await h.httpProxy('header-size', { dir, args: ['--auth-token-file', tokenFile] });

  // Just over the default limit, sent at once: refused, and closed.
  let c = await raw.connect(p.port);
  c.write(`GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'b'.repeat(70 * 1024)}\r\n\r\n`);
  const st = await raw.status(c, 5000);
  ok([400, 413, 431].includes(st), `a 70 KiB header: answered with an error status (got ${st})`);
  ok((await raw.within(c.closed, 5000)) !== 'timeout', 'and the connection is closed');

  // 50 MB of one header: the proxy stops reading and closes; its memory stays put.
  const before = rssKb(p.pid);
  c = await raw.connect(p.port);
  const sent = await sendHeader(c, 50 << 20);
  ok((await raw.within(c.closed, 10000)) !== 'timeout', '50 MB of header: the connection is closed');
  ok(sent < 50 << 20, `the proxy stopped reading long before 50 MB (${(sent / 1048576).toFixed(0)} MB sent)`);
  const after = rssKb(p.pid);
  diag(`VmRSS ${before} kB before, ${after} kB after`);
  ok(after - before < 10 * 1024, `VmRSS grew by less than 10 MB (${after - before} kB)`);

  // A header under the limit still works.
  const r = await p.request('GET', '/healthz', { headers: { 'X-Fine': 'c'.repeat(8 * 1024) } });
  is(r.status, 200, 'an 8 KiB header: /healthz answers 200');
});
