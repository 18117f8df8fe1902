// Proves: app-servers that answered calls and then died soon after do not build up the restart backoff: after seven such crashes in a row (each under 10 s) the next call gets a new app-server at once, not after the 16 s that seven failed starts would earn.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const CRASHES = 7;

main(async () => {
  const p = await h.fakeRawProxy('crashes');
  const texts = [];
  for (let i = 0; i < CRASHES; i++) {
    const r = await p.request('tools/call', { name: 'codex', arguments: { prompt: `[[die]] crash ${i}` } }, 60000);
    texts.push(r.result && r.result.isError === true ? h.textOf(r.result) : 'not an isError result');
  }
  const died = texts.filter((t) => /app-server stopped: it exited with status 3/.test(t)).length;
  is(died, CRASHES, `each of the ${CRASHES} calls saw its app-server die after answering`);

  const t0 = Date.now();
  const r = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'after the crashes' } }, 60000);
  const ms = Date.now() - t0;
  is(h.textOf(r.result), 'You said: after the crashes', 'the next call is answered');
  ok(ms < 8000, `without a backoff first (${ms} ms)`);
  is(p.stderr.match(/restarting in \d+ ms/g), null, 'the proxy never put off a restart');
  is(h.readJsonl(p.log).filter((l) => l.event === 'start').length, CRASHES + 1, 'one app-server per call');
  like((await p.request('ping', {})).jsonrpc, /^2\.0$/, 'the proxy is still up');
});
