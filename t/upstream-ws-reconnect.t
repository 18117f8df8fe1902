// Proves: when the real codex app-server (0.169 and 0.171) behind --upstream ws:// is killed in the middle of a turn, that call gets an isError result at once, /healthz says 503 "reconnecting" while it is down, the proxy reconnects by itself once codex is restarted on the same address, and the next codex-reply resumes the thread with its history.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const l = require('./lib/listening.js');

main(async () => {
  const mock = await h.mockModel();
  for (const version of ['0.169', '0.171']) {
    const home = h.codexHome(mock);
    const url = `ws://127.0.0.1:${await l.freePort()}`;
    const codex = await l.listeningCodex({ version, home, url });
    const p = await l.httpProxyOn(url, { env: { CODEX_HOME: home } });
    const { client } = await h.httpSdkClient(p.url, 'tap-reconnect');
    const first = await client.callTool({ name: 'codex', arguments: { prompt: 'alpha' } });
    const tid = first.structuredContent.threadId;
    is((await p.health()).body.upstream, 'ready', `${version}: /healthz: ready`);

    let started;
    const progressed = new Promise((resolve) => { started = resolve; });
    const inFlight = client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: '[[slow:200:100]]' } },
      undefined, { onprogress: (n) => { if (/tick 2/.test(n.message || '')) started(); }, timeout: 120000 });
    await progressed;
    await codex.stop();
    const cut = await inFlight;
    ok(cut.isError, `${version}: the call in flight is an error`);
    like(h.textOf(cut), new RegExp(`the codex app-server at ${url} was lost: the connection closed`), `${version}: it says the connection was lost`);
    like(h.textOf(cut), new RegExp(`call codex-reply with threadId ${tid}`), `${version}: and how to go on`);
    const down = await p.health();
    is(down.status, 503, `${version}: /healthz: 503 while codex is down`);
    like(down.body.upstream, /^(reconnecting|connecting)$/, `${version}: /healthz: ${down.body.upstream}`);

    await l.listeningCodex({ version, home, url });
    ok(await h.waitUntil(async () => (await p.health()).status === 200, 60000), `${version}: the proxy reconnected by itself`);
    const r = await client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: '[[history]]' } });
    ok(!r.isError, `${version}: codex-reply works after the restart`);
    like(h.textOf(r), /^History: alpha \| \[\[slow:200:100\]\] \| \[\[history\]\]$/, `${version}: it resumed the thread with its history`);
  }
});
