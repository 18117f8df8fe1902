// Proves: with --share-upstream, a codex-reply on a conversation while another proxy's call is running a turn on it is never sent into that turn (codex would merge the prompt into it and both calls would get one answer): it waits for the turn to end, up to --resume-retry, and then runs as a turn of its own; with a turn longer than that (here --resume-retry 1 against a 3 s turn) it is refused with an isError that says why; the running call gets its own answer each time.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const l = require('./lib/listening.js');

main(async () => {
  const mock = await h.mockModel();
  const { runtime, env, args } = l.sharing(mock, '0.169');
  const a = await h.sdkProxy({ args, env, name: 'host-a' });
  const b = await h.sdkProxy({ args: [...args, '--resume-retry', '1'], env, name: 'host-b' });
  const first = await b.client.callTool({ name: 'codex', arguments: { prompt: 'alpha' } });
  const threadId = first.structuredContent.threadId;
  await b.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt: 'b knows it' } });

  // Start a slow turn through host a; resolves, once its first tick is out,
  // to {slow}, the call (a promise of its own, so not awaited with this one).
  const slowTurn = async (prompt) => {
    let started;
    const progressed = new Promise((resolve) => { started = resolve; });
    const slow = a.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt } },
      undefined, { onprogress: (n) => { if (/tick 1/.test(n.message || '')) started(); }, timeout: 60000 });
    await progressed;
    await h.sleep(100);
    return { slow };
  };

  let { slow } = await slowTurn('[[slow:4:150]]');
  const waited = await b.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt: '[[history]]' } });
  like(h.textOf(await slow), /^tick 1 tick 2 .*tick 4/, 'the running call gets its own answer');
  ok(!waited.isError, 'a reply while the other proxy runs a turn waits for it');
  is(h.textOf(waited), 'History: alpha | b knows it | [[slow:4:150]] | [[history]]',
    'and then runs as a turn of its own, after the other one');

  ({ slow } = await slowTurn('[[slow:10:300]]'));
  const refused = await b.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt: 'beta' } });
  ok(refused.isError, 'with a turn longer than --resume-retry, the reply is an error');
  like(h.textOf(refused), /is busy: another client of the shared codex app-server is running a turn on it; wait for that turn to finish, then reply again/, 'it says why and what to do');
  like(h.textOf(await slow), /^tick 1 tick 2 .*tick 10/, 'the running call gets its own answer');
  const after = await b.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt: '[[history]]' } });
  like(h.textOf(after), /\| \[\[slow:10:300\]\] \| \[\[history\]\]$/, 'a reply after it works, and beta was never sent');
  ok(!/beta/.test(h.textOf(after)), 'beta is in no turn');
  await a.client.close();
  await b.client.close();
  ok(await h.waitUntil(() => l.appServerGroups(runtime).length === 0, 30000), 'the shared app-server is gone after both');
});
