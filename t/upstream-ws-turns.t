// Proves: with --upstream ws://127.0.0.1:PORT the proxy runs turns and replies on a real codex app-server (0.169 and 0.171) started with --listen ws://, the app-server's notifications reach it (the trace shows them), and the reply sees the history.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const l = require('./lib/listening.js');

main(async () => {
  const mock = await h.mockModel();
  for (const version of ['0.169', '0.171']) {
    const home = h.codexHome(mock);
    const url = `ws://127.0.0.1:${await l.freePort()}`;
    await l.listeningCodex({ version, home, url });
    const p = await h.sdkProxy({ args: ['--upstream', url, '--trace', `${home}/trace.jsonl`], env: { CODEX_HOME: home } });
    const first = await p.client.callTool({ name: 'codex', arguments: { prompt: 'alpha' } });
    ok(!first.isError, `${version}: a turn over ws:// works`);
    const tid = first.structuredContent && first.structuredContent.threadId;
    like(tid, /^[0-9a-f-]{36}$/, `${version}: it names the thread`);
    const r = await p.client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: '[[history]]' } });
    is(h.textOf(r), 'History: alpha | [[history]]', `${version}: the reply saw the earlier turn`);
    like(p.stderr(), new RegExp(`connecting to the codex app-server at ${url}`), `${version}: the proxy connected, not spawned`);
    // The trace is written in batches, 50 ms after a batch's first line, and
    // a quick turn can end inside one: wait for the batch.
    const completed = () => h.readJsonl(`${home}/trace.jsonl`).some((e) => e.dir === 's2p' && e.msg && e.msg.method === 'turn/completed');
    ok(await h.waitUntil(completed, 5000), `${version}: the app-server's notifications reached the proxy (the trace has turn/completed)`);
    await p.client.close();
  }
});
