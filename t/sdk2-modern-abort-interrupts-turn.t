// Proves: when the MCP SDK v2 client pinned to 2026-07-28 aborts a running tools/call (over stdio it sends notifications/cancelled, over HTTP it closes the response stream), the proxy interrupts the turn upstream on real codex 0.169 and 0.171 (turn/interrupt, and codex ends the turn as interrupted), sends nothing more for the call, and the conversation takes the next codex-reply.
'use strict';
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// Abort a slow codex-reply on c once codex is writing, and check trace (the --trace file) for the interrupt.
async function abortOne(c, tid, trace, what) {
  const ac = new AbortController();
  let writing = false;
  const call = c.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: '[[slow:100:100]]' } }, {
    signal: ac.signal, onprogress: (pr) => { if (/tick 1 /.test(pr.message || '')) writing = true; },
  }).then(() => 'answered', (e) => `${e.name}: ${e.message}`);
  ok(await h.waitUntil(() => writing, 20000), `${what}: the long turn is writing`);
  ac.abort();
  like(await call, /abort/i, `${what}: the client's call was aborted`);
  const lines = () => h.readJsonl(trace);
  const interrupt = await h.waitUntil(() => lines().some((l) => l.dir === 'p2s' && l.msg.method === 'turn/interrupt' && l.msg.params.threadId === tid), 10000);
  ok(interrupt, `${what}: the proxy sent turn/interrupt for the thread`);
  const ended = await h.waitUntil(() => lines().some((l) => l.dir === 's2p' && l.msg.method === 'turn/completed' &&
    l.msg.params.threadId === tid && l.msg.params.turn && l.msg.params.turn.status === 'interrupted'), 10000);
  ok(ended, `${what}: codex ended the turn as interrupted`);
  let next;
  for (let i = 0; i < 50; i++) {
    next = await c.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: 'after' } });
    if (!(next.isError && /is busy/.test(h.textOf(next)))) break;
    await h.sleep(100);
  }
  is(h.textOf(next), 'You said: after', `${what}: the conversation takes the next reply`);
}

main(async () => {
  for (const version of ['0.169', '0.171']) {
    const mock = await h.mockModel();
    const home = h.codexHome(mock);
    const cmd = h.codexCommand(version);
    const dir = h.scratch('sdk2-abort');

    const t1 = path.join(dir, 'stdio.jsonl');
    const a = await h.sdk2Client(null, { args: ['--trace', t1, '--upstream-cmd', cmd], env: { CODEX_HOME: home } });
    const first = await a.client.callTool({ name: 'codex', arguments: { prompt: 'hello' } });
    await abortOne(a.client, first.structuredContent.threadId, t1, `stdio ${version}`);
    ok(h.readJsonl(t1).some((l) => l.dir === 'c2p' && l.msg.method === 'notifications/cancelled'), `stdio ${version}: by notifications/cancelled`);
    await a.client.close();

    const t2 = path.join(dir, 'http.jsonl');
    const p = await h.httpProxy(`sdk2-abort-${version}`, { args: ['--trace', t2], upstream: cmd, env: { CODEX_HOME: home } });
    const c = await h.sdk2Client(p.url);
    const second = await c.client.callTool({ name: 'codex', arguments: { prompt: 'hello' } });
    await abortOne(c.client, second.structuredContent.threadId, t2, `HTTP ${version}`);
    ok(/closed the stream of call/.test(p.stderr()), `HTTP ${version}: by closing the stream`);
    await c.client.close();
    await p.stop();
  }
});
