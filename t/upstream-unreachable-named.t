// Proves: when the listening app-server named by --upstream cannot be reached (nothing on the port, no such unix socket, a host name that does not resolve), a tool call is an isError at once that names the address and the reason, and the proxy keeps serving: a later call gets the same clear answer.
'use strict';
const path = require('node:path');
const { ok, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const l = require('./lib/listening.js');

main(async () => {
  const cases = [
    [`ws://127.0.0.1:${await l.freePort()}`, /cannot be reached: cannot connect: Connection refused/],
    [`unix://${path.join(h.scratch('nosock'), 'none.sock')}`, /cannot be reached: cannot connect: No such file or directory/],
    ['ws://no-such-host.invalid:4500', /cannot be reached: cannot resolve the host name: /],
  ];
  for (const [url, why] of cases) {
    const p = await h.sdkProxy({ args: ['--upstream', url] });
    for (const attempt of ['first', 'second']) {
      const r = await p.client.callTool({ name: 'codex', arguments: { prompt: 'alpha' } });
      ok(r.isError, `${url}: the ${attempt} call is an error`);
      like(h.textOf(r), new RegExp(`the codex app-server at ${url.replace(/[.]/g, '\\.')} ${why.source}`), `${url}: it names the address and why`);
    }
    await p.client.close();
  }
});
