// Proves: --upstream-token-file sends the token as Authorization: Bearer, so a real codex (0.169 and 0.171) listening with --ws-auth capability-token serves the proxy; a wrong token makes the tool call an isError that names codex's refusal, and nothing is lost: the right token then works.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const l = require('./lib/listening.js');

main(async () => {
  const mock = await h.mockModel();
  for (const version of ['0.169', '0.171']) {
    const home = h.codexHome(mock);
    const dir = h.scratch('token');
    const token = path.join(dir, 'token');
    const wrong = path.join(dir, 'wrong');
    fs.writeFileSync(token, 'capability-secret-1234\n');
    fs.writeFileSync(wrong, 'not-the-token\n');
    const url = `ws://127.0.0.1:${await l.freePort()}`;
    await l.listeningCodex({ version, home, url, args: ['--ws-auth', 'capability-token', '--ws-token-file', token] });

    const bad = await h.sdkProxy({ args: ['--upstream', url, '--upstream-token-file', wrong], env: { CODEX_HOME: home } });
    const refused = await bad.client.callTool({ name: 'codex', arguments: { prompt: 'alpha' } });
    ok(refused.isError, `${version}: a wrong token: the call is an error`);
    like(h.textOf(refused), /handshake was refused: HTTP\/1.1 401 Unauthorized: invalid websocket bearer token/, `${version}: it names codex's refusal`);
    ok(!/capability-secret|not-the-token/.test(bad.stderr()), `${version}: no token in the log`);
    await bad.client.close();

    const good = await h.sdkProxy({ args: ['--upstream', url, '--upstream-token-file', token], env: { CODEX_HOME: home } });
    const first = await good.client.callTool({ name: 'codex', arguments: { prompt: 'alpha' } });
    ok(!first.isError, `${version}: the right token: the turn works`);
    const r = await good.client.callTool({ name: 'codex-reply', arguments: { threadId: first.structuredContent.threadId, prompt: '[[history]]' } });
    is(h.textOf(r), 'History: alpha | [[history]]', `${version}: and so does the reply`);
    await good.client.close();
  }
});
