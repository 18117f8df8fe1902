// Proves: with --max-connections 5, while 5 connections are open (none has sent a request yet) a sixth is not served, and it is as soon as some of them close.
'use strict';
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const raw = require('./lib/raw-http.js');

main(async () => {
  const p = await h.httpProxy('max-connections', { args: ['--max-connections', '5'] });

  const open = [];
  for (let i = 0; i < 5; i++) open.push(await raw.connect(p.port));
  await h.sleep(300);
  const sixth = await raw.connect(p.port);
  sixth.write(raw.get('/healthz'));
  is(await raw.status(sixth, 1500), null, 'with 5 connections open, a sixth gets no answer (it waits in the queue)');
  ok(open.every((c) => !c.isClosed()), 'the 5 stay open');

  open[0].end();
  open[1].end();
  is(await raw.status(sixth, 3000), 200, 'once 2 of them close, the sixth is served: 200');
  const seventh = await raw.connect(p.port);
  seventh.write(raw.get('/healthz'));
  is(await raw.status(seventh, 3000), 200, 'and so is a seventh (5 open again at most)');

  for (const c of [...open, sixth, seventh]) c.end();
  const r = await p.request('GET', '/healthz', { timeout: 5000 });
  is(r.status, 200, 'all closed: the proxy serves as before');
});
