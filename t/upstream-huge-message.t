// Proves: a 20 MB message from the app-server arrives whole (with --max-answer raised to hold it), and one over --max-message-size fails that call and restarts the app-server instead of wedging.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  // A raw client: the SDK's own stdio reader stops at 10 MB per message.
  const big = await h.fakeRawProxy('huge', { args: ['--max-answer', '20000000'] });
  const r = await big.request('tools/call', { name: 'codex', arguments: { prompt: '[[huge:20000000]]' } }, 60000);
  ok(r.result && !r.result.isError, 'the 20 MB answer succeeded');
  const text = (r.result && r.result.content[0].text) || '';
  is(text.length, 20000000, 'all of it arrived');
  ok(/^[0-9]+$/.test(text.slice(0, 1000)) && /^[0-9]+$/.test(text.slice(-1000)), 'intact at both ends');
  is(r.result && r.result.structuredContent.content.length, 20000000, 'structuredContent has all of it too');

  const small = await h.fakeSdkProxy('huge', { dir: big.dir, args: ['--max-message-size', '1048576'] });
  const over = await small.client.callTool({ name: 'codex', arguments: { prompt: '[[huge:2000000]]' } });
  ok(over.isError === true, 'a message over the limit fails the call');
  like(h.textOf(over), /max-message-size/, 'and says which limit');
  const next = await small.client.callTool({ name: 'codex', arguments: { prompt: 'after' } });
  is(h.textOf(next), 'You said: after', 'the next call works on a new app-server');
});
