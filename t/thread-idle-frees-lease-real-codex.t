// Proves: on real codex 0.171, a proxy started with --thread-idle gives an idle conversation back without exiting: until codex has unloaded it (thread/closed, 60 s after thread/unsubscribe) another proxy with its own app-server on the same CODEX_HOME is refused with the writer-lease error, and after that it continues the conversation with its history, while the first proxy keeps running. This test takes over a minute: codex's delay is fixed.
'use strict';
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// Has the proxy's trace seen the app-server send method?
const traced = (file, method) => h.readJsonl(file).some((e) => e.dir === 's2p' && e.msg && e.msg.method === method);

main(async () => {
  const mock = await h.mockModel();
  const home = h.codexHome(mock);
  const cmd = h.codexCommand('0.171');
  const trace = `${home}/a.jsonl`;
  const a = await h.sdkProxy({ args: ['--upstream-cmd', cmd, '--thread-idle', '1', '--trace', trace], env: { CODEX_HOME: home }, name: 'host-a' });
  const first = await a.client.callTool({ name: 'codex', arguments: { prompt: 'alpha' } });
  ok(!first.isError, 'the first proxy starts a conversation');
  const threadId = first.structuredContent.threadId;
  ok(await h.waitUntil(() => /idle for 1 s: giving it back/.test(a.stderr()), 20000), 'and gives it back once idle');

  const b = await h.sdkProxy({ args: ['--upstream-cmd', cmd, '--resume-retry', '0'], env: { CODEX_HOME: home }, name: 'host-b' });
  if (!traced(trace, 'thread/closed')) {
    const early = await b.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt: 'too early' } });
    like(h.textOf(early), /open in another codex app-server/, 'before codex has unloaded it, another app-server is refused (the lease)');
  } else {
    diag('codex unloaded it before another app-server could ask (a slow machine): the lease refusal is not checked');
  }
  ok(await h.waitUntil(() => traced(trace, 'thread/closed'), 90000), 'codex unloads the thread (thread/closed) after its delay');
  const r = await b.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt: '[[history]]' } });
  ok(!r.isError, 'then the other proxy continues the conversation');
  like(h.textOf(r), /^History: alpha \| (too early \| )?\[\[history\]\]$/, 'with its history');
  ok(h.alive(a.pid), 'while the first proxy still runs');
});
