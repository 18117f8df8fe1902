// Proves: a real codex (0.169 and 0.171) listening with --ws-auth signed-bearer-token and --ws-issuer/--ws-audience refuses the proxy's token without the claims or with another audience (the call is an isError naming the refusal), and takes it with --upstream-issuer and --upstream-audience: the turn and its reply work.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const l = require('./lib/listening.js');

// A codex call through a proxy on url with these options: the result.
async function callWith(url, home, args) {
  const p = await h.sdkProxy({ args: ['--upstream', url, ...args], env: { CODEX_HOME: home } });
  const r = await p.client.callTool({ name: 'codex', arguments: { prompt: 'alpha' } });
  return { p, r };
}

main(async () => {
  const mock = await h.mockModel();
  for (const version of ['0.169', '0.171']) {
    const home = h.codexHome(mock);
    const secret = path.join(h.scratch('claims'), 'secret');
    fs.writeFileSync(secret, `${crypto.randomBytes(32).toString('hex')}\n`);
    const url = `ws://127.0.0.1:${await l.freePort()}`;
    await l.listeningCodex({ version, home, url,
      args: ['--ws-auth', 'signed-bearer-token', '--ws-shared-secret-file', secret, '--ws-issuer', 'proxy-fleet', '--ws-audience', 'codex-east'] });
    const signed = ['--upstream-secret-file', secret];

    const none = await callWith(url, home, signed);
    ok(none.r.isError, `${version}: no iss or aud: the call is an error`);
    like(h.textOf(none.r), /handshake was refused: HTTP\/1.1 401 Unauthorized/, `${version}: it names codex's refusal`);
    await none.p.client.close();

    const wrong = await callWith(url, home, [...signed, '--upstream-issuer', 'proxy-fleet', '--upstream-audience', 'codex-west']);
    ok(wrong.r.isError, `${version}: another audience: the call is an error`);
    await wrong.p.client.close();

    const right = await callWith(url, home, [...signed, '--upstream-issuer', 'proxy-fleet', '--upstream-audience', 'codex-east']);
    ok(!right.r.isError, `${version}: the issuer and audience codex expects: the turn works`);
    const tid = right.r.structuredContent && right.r.structuredContent.threadId;
    const reply = await right.p.client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: '[[history]]' } });
    is(h.textOf(reply), 'History: alpha | [[history]]', `${version}: and so does the reply`);
    await right.p.client.close();
  }
});
