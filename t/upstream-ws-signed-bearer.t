// Proves: --upstream-secret-file makes the proxy sign a short-lived HS256 JWT that a real codex (0.169 and 0.171) listening with --ws-auth signed-bearer-token accepts (the secret file's trailing newline is not part of the secret); a token signed with another secret makes the call an isError naming the refusal.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const l = require('./lib/listening.js');

main(async () => {
  const mock = await h.mockModel();
  for (const version of ['0.169', '0.171']) {
    const home = h.codexHome(mock);
    const dir = h.scratch('secret');
    const secret = path.join(dir, 'secret');
    const other = path.join(dir, 'other');
    fs.writeFileSync(secret, `${crypto.randomBytes(32).toString('hex')}\n`);
    fs.writeFileSync(other, `${crypto.randomBytes(32).toString('hex')}\n`);
    const url = `ws://127.0.0.1:${await l.freePort()}`;
    await l.listeningCodex({ version, home, url, args: ['--ws-auth', 'signed-bearer-token', '--ws-shared-secret-file', secret] });

    const bad = await h.sdkProxy({ args: ['--upstream', url, '--upstream-secret-file', other], env: { CODEX_HOME: home } });
    const refused = await bad.client.callTool({ name: 'codex', arguments: { prompt: 'alpha' } });
    ok(refused.isError, `${version}: another secret: the call is an error`);
    like(h.textOf(refused), /handshake was refused: HTTP\/1.1 401 Unauthorized: invalid websocket jwt/, `${version}: it names codex's refusal`);
    await bad.client.close();

    const good = await h.sdkProxy({ args: ['--upstream', url, '--upstream-secret-file', secret], env: { CODEX_HOME: home } });
    const first = await good.client.callTool({ name: 'codex', arguments: { prompt: 'alpha' } });
    ok(!first.isError, `${version}: the shared secret: the turn works`);
    const r = await good.client.callTool({ name: 'codex-reply', arguments: { threadId: first.structuredContent.threadId, prompt: '[[history]]' } });
    is(h.textOf(r), 'History: alpha | [[history]]', `${version}: and so does the reply`);
    await good.client.close();
  }
});
