// Proves: MCP initialize does not wait for a slow app-server handshake, calls wait for it, and a handshake over --start-timeout fails the call clearly; the fake's log shows initialize came first, the delay was applied before its answer, and only then did the rest of the handshake and the call's requests follow.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// The fake's log as a list of names: the method of each message, or the event of each event line.
const names = (log) => h.readJsonl(log).map((l) => l.method || `event:${l.event}`);

main(async () => {
  const p = await h.fakeRawProxy('slow', { fake: ['--handshake-delay', '1500'], initialize: false });
  const t0 = Date.now();
  const init = await p.initialize();
  const initMs = Date.now() - t0;
  ok(init.result && init.result.protocolVersion, 'MCP initialize was answered');
  ok(initMs < 1000, `at once, without waiting for the 1.5 s handshake (${initMs} ms)`);
  ok(await h.waitUntil(() => names(p.log).includes('initialize'), 5000), 'the app-server got initialize');
  const early = names(p.log);
  ok(!early.includes('event:handshake-delay'), 'and had not answered it yet when MCP initialize was answered');
  const r = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'patience' } });
  is(r.result && r.result.structuredContent && r.result.structuredContent.content, 'You said: patience', 'a call made meanwhile waited and succeeded');

  const log = h.readJsonl(p.log);
  is(names(p.log), ['event:start', 'initialize', 'event:handshake-delay', 'initialized', 'thread/list', 'model/list', 'thread/start', 'turn/start'],
    'the log: initialize first, the delay, then initialized, the API probe, the model list and the call\'s requests');
  const delay = log.find((l) => l.event === 'handshake-delay') || {};
  is(delay.delayMs, 1500, 'the fake was asked for a 1500 ms delay');
  ok(delay.waitedMs >= 1500, `and waited that long before answering initialize (${delay.waitedMs} ms)`);
  const start = log.find((l) => l.method === 'turn/start');
  is(start && start.params.input, [{ type: 'text', text: 'patience' }], 'the turn carried the prompt');

  const q = await h.fakeRawProxy('slower', { args: ['--start-timeout', '1'], fake: ['--handshake-delay', '4000'] });
  const t = await q.request('tools/call', { name: 'codex', arguments: { prompt: 'too slow' } });
  ok(t.result && t.result.isError === true, 'a handshake over --start-timeout fails the call');
  like(t.result && t.result.content[0].text, /did not answer initialize within 1 s/, 'and says why');
  const ping = await q.request('ping', {});
  is(ping.result, {}, 'the proxy is still up');
  const slower = names(q.log);
  is(slower.slice(0, 2), ['event:start', 'initialize'], 'the slower app-server got initialize first');
  ok(!slower.includes('thread/start') && !slower.includes('turn/start'), 'and was never asked to start a thread or a turn');
});
