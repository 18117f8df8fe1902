// Proves: with --thread-idle 1 the proxy gives a thread back once no call has used it for a second (v2 thread/unsubscribe, answered as 0.169 and 0.171 answer it) and forgets it, so the next codex-reply resumes it with its history.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// The methods the fake app-server received, in order.
const methods = (log) => h.readJsonl(log).map((l) => l.method).filter(Boolean);

main(async () => {
  const { client, log, stderr } = await h.fakeSdkProxy('idle', { args: ['--thread-idle', '1', '-v'] });
  const first = await client.callTool({ name: 'codex', arguments: { prompt: 'alpha' } });
  ok(!first.isError, 'a new conversation works');
  const tid = first.structuredContent.threadId;
  const given = await h.waitUntil(() => methods(log).includes('thread/unsubscribe'), 10000);
  ok(given, 'after a second without a call the thread is given back');
  const unsub = h.readJsonl(log).find((l) => l.method === 'thread/unsubscribe');
  is(unsub && unsub.params, { threadId: tid }, 'thread/unsubscribe names the thread');
  like(stderr(), new RegExp(`thread ${tid} idle for 1 s: giving it back`), 'the log says so');
  const r = await client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: 'beta' } });
  ok(!r.isError, 'the next reply works');
  const after = methods(log).slice(methods(log).indexOf('thread/unsubscribe') + 1);
  is(after.filter((m) => /^(thread|turn)\//.test(m)).slice(0, 2), ['thread/resume', 'turn/start'],
    'it resumes the thread first, then starts the turn');
  ok(await h.waitUntil(() => methods(log).filter((m) => m === 'thread/unsubscribe').length === 2, 10000),
    'and gives it back again once idle');
});
