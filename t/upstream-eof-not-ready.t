// Proves: an app-server that has closed its stdout is no longer ready: a call made in the moment before its exit is known is not sent to it but waits for a new app-server and succeeds there, while the call whose turn it was running fails saying how it ended.
'use strict';
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// The fake's log so far (a line being written is left for the next look).
function logSoFar(file) {
  try { return h.readJsonl(file); } catch { return []; }
}

main(async () => {
  const dir = h.scratch('eof');
  const log = path.join(dir, 'fake.log');
  // exec: no shell between, holding the app-server's stdout open.
  const p = new h.RawProxy({ args: ['-v', '--upstream-cmd', `exec ${h.fakeCommand('--state', dir, '--log', log)}`] });
  await p.initialize();
  // Its stdout closes after turn/started; it goes on reading stdin and exits 2 s later.
  const dying = p.request('tools/call', { name: 'codex', arguments: { prompt: '[[close-stdout:2000]]' } }, 30000);
  const closed = await h.waitUntil(() => logSoFar(log).some((l) => l.event === 'stdout-closed'));
  ok(closed, 'the app-server closed its stdout');
  // Give the proxy a moment to read the EOF, well inside the 300 ms it waits for the exit status.
  await h.waitUntil(() => /app-server closed its stdout/.test(p.stderr), 200);
  const next = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'are you there?' } }, 30000);
  const first = await dying;

  ok(first.result && first.result.isError === true, 'the call whose turn was running fails');
  like(h.textOf(first.result), /app-server stopped: it closed its stdout/, 'saying how the app-server ended');
  ok(next.result && !next.result.isError, 'the call made right after the stdout closed succeeds');
  is(h.textOf(next.result), 'You said: are you there?', 'with its answer');

  const lines = h.readJsonl(log);
  const at = lines.findIndex((l) => l.event === 'stdout-closed');
  const restart = lines.findIndex((l, i) => i > at && l.event === 'start');
  const after = lines.slice(at + 1, restart < 0 ? undefined : restart).filter((l) => l.method !== undefined);
  is(after.map((l) => l.method), [], 'nothing was sent to the app-server after its stdout closed');
  is(lines.filter((l) => l.event === 'start').length, 2, 'the call ran on a second app-server');
});
