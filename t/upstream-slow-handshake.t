// Proves: MCP initialize does not wait for a slow app-server handshake, calls wait for it, and a handshake over --start-timeout fails the call clearly.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const p = await h.fakeRawProxy('slow', { fake: ['--handshake-delay', '1500'], initialize: false });
  const init = await p.initialize();
  ok(init.result && init.result.protocolVersion, 'MCP initialize was answered');
  const handshake = h.readJsonl(p.log);
  ok(!handshake.some((l) => l.method === 'initialized'), 'before the app-server finished its handshake');
  const r = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'patience' } });
  is(r.result && r.result.structuredContent && r.result.structuredContent.content, 'You said: patience', 'a call made meanwhile waited and succeeded');

  const q = await h.fakeRawProxy('slower', { args: ['--start-timeout', '1'], fake: ['--handshake-delay', '4000'] });
  const t = await q.request('tools/call', { name: 'codex', arguments: { prompt: 'too slow' } });
  ok(t.result && t.result.isError === true, 'a handshake over --start-timeout fails the call');
  like(t.result && t.result.content[0].text, /did not answer initialize within 1 s/, 'and says why');
  const ping = await q.request('ping', {});
  is(ping.result, {}, 'the proxy is still up');
});
