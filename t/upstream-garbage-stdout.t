// Proves: lines on the app-server's stdout that are not JSON-RPC messages are skipped and logged, and the turn completes normally.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const p = await h.fakeSdkProxy('garbage');
  const r = await p.client.callTool({ name: 'codex', arguments: { prompt: '[[garbage]] still fine' } });
  ok(!r.isError, 'the call succeeded');
  is(h.textOf(r), 'You said: still fine', 'with the right answer');
  like(p.stderr(), /not a JSON-RPC message/, 'the garbage was logged on stderr');
  const again = await p.client.callTool({ name: 'codex', arguments: { prompt: 'next' } });
  is(h.textOf(again), 'You said: next', 'the same app-server keeps working');
});
