// Proves: a stdio client that stops reading while results pile up (six 3 MB answers) makes the proxy stop reading the app-server once over 1 MiB waits on its stdout, instead of buffering on ("holding the app-server's output" in the -v log), and read on once the client catches up; every turn then completes with its whole answer.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const N = 6;
const SIZE = 3000000;

main(async () => {
  const dir = h.scratch('slow-client');
  const log = path.join(dir, 'proxy.log');
  const p = await h.fakeRawProxy('slow-client', { dir, args: ['-v', '--log-file', log] });
  const logged = (re) => fs.existsSync(log) && re.test(fs.readFileSync(log, 'utf8'));

  p.child.stdout.pause();
  const ids = [];
  for (let i = 0; i < N; i++) {
    const id = p.nextId++;
    ids.push(id);
    p.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'codex', arguments: { prompt: `[[flood:${SIZE}]]` } } });
  }
  ok(await h.waitUntil(() => logged(/holding the app-server's output/), 30000),
    'with the client not reading, the proxy holds the app-server\'s output');
  const status = fs.readFileSync(`/proc/${p.pid}/status`, 'utf8');
  diag(`while held: ${(/VmRSS:\s+\d+ kB/.exec(status) || [''])[0]}, ${(/VmHWM:\s+\d+ kB/.exec(status) || [''])[0]}`);
  ok(!logged(/reading the app-server's output/), 'and does not read on while the client lags');

  p.child.stdout.resume();
  const results = await Promise.all(ids.map((id) => p.response(id, 120000).catch(() => null)));
  ok(logged(/reading the app-server's output/), 'once the client reads again, so does the proxy');
  const texts = results.map((r) => (r && r.result && !r.result.isError ? h.textOf(r.result) : null));
  is(texts.filter((t) => t !== null).length, N, `all ${N} calls answered`);
  ok(texts.every((t) => t !== null && Buffer.byteLength(t) >= SIZE - 4 && Buffer.byteLength(t) <= SIZE),
    `each with its whole answer (${texts.map((t) => (t === null ? 'none' : Buffer.byteLength(t))).join(', ')} bytes)`);
  ok((await p.request('ping', {})).result, 'the proxy goes on answering');
});
