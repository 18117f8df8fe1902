// Proves: with --upstream unix:///PATH the proxy runs turns and replies on a real codex app-server (0.169 and 0.171) started with --listen unix://PATH (a WebSocket over the unix socket), and the reply sees the history.
'use strict';
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const l = require('./lib/listening.js');

main(async () => {
  const mock = await h.mockModel();
  for (const version of ['0.169', '0.171']) {
    const home = h.codexHome(mock);
    const url = `unix://${path.join(h.scratch('sock'), 'app-server.sock')}`;
    await l.listeningCodex({ version, home, url });
    const p = await h.sdkProxy({ args: ['--upstream', url], env: { CODEX_HOME: home } });
    const first = await p.client.callTool({ name: 'codex', arguments: { prompt: 'alpha' } });
    ok(!first.isError, `${version}: a turn over unix:// works`);
    const tid = first.structuredContent && first.structuredContent.threadId;
    const r = await p.client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: '[[history]]' } });
    is(h.textOf(r), 'History: alpha | [[history]]', `${version}: the reply saw the earlier turn`);
    like(p.stderr(), /connecting to the codex app-server at unix:\/\//, `${version}: the proxy connected to the socket`);
    await p.client.close();
  }
});
