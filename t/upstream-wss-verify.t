// Proves: --upstream wss:// reaches a real codex 0.169 through a TLS front when the certificate is signed by --upstream-ca and valid for the host name; without the CA, or with a host name the certificate is not for, the call is an isError naming the TLS failure and nothing reaches codex; --upstream-insecure (for tests) connects anyway.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const l = require('./lib/listening.js');

// The first call of a proxy on this upstream with these options.
async function firstCall(url, args, home) {
  const p = await h.sdkProxy({ args: ['--upstream', url, ...args], env: { CODEX_HOME: home } });
  const r = await p.client.callTool({ name: 'codex', arguments: { prompt: 'alpha' } });
  await p.client.close();
  return r;
}

main(async () => {
  const mock = await h.mockModel();
  const home = h.codexHome(mock);
  const port = await l.freePort();
  await l.listeningCodex({ home, url: `ws://127.0.0.1:${port}` });
  const { key, cert } = l.selfSigned(h.scratch('certs'), ['localhost']);
  const front = await l.tlsFront({ key, cert, target: port });

  const good = await firstCall(`wss://localhost:${front.port}`, ['--upstream-ca', cert], home);
  ok(!good.isError, 'the CA and the host name match: the turn works');
  is(h.textOf(good), 'You said: alpha', 'with codex\'s answer');

  const served = mock.requests ? mock.requests.length : null;
  const noCa = await firstCall(`wss://localhost:${front.port}`, [], home);
  ok(noCa.isError, 'without --upstream-ca: an error');
  like(h.textOf(noCa), /cannot be reached: TLS: certificate verify failed \(self-signed certificate\)/, 'it names the certificate');

  const wrongName = await firstCall(`wss://127.0.0.1:${front.port}`, ['--upstream-ca', cert], home);
  ok(wrongName.isError, 'a host name the certificate is not for: an error');
  like(h.textOf(wrongName), /TLS: certificate verify failed \(IP address mismatch\)/, 'it names the mismatch');
  if (served !== null) is(mock.requests.length, served, 'nothing reached codex through the failed connections');

  const insecure = await firstCall(`wss://127.0.0.1:${front.port}`, ['--upstream-insecure'], home);
  ok(!insecure.isError, '--upstream-insecure connects anyway');
  ok(front.connections >= 2, `the front saw the TLS connections (${front.connections})`);
});
