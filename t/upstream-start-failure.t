// Proves: an app-server that cannot start fails each call with its own last stderr line, the proxy stays up, and restarts back off when it keeps dying.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const dir = h.scratch('nostart');
  const spawns = path.join(dir, 'spawns');
  const cmd = `node -e 'require("fs").appendFileSync(process.argv[1], Date.now() + "\\n")' ${spawns}; exec ${h.fakeCommand('--die-on-start')}`;
  const p = new h.RawProxy({ args: ['--upstream-cmd', cmd] });
  await p.initialize();
  const results = [];
  for (let i = 0; i < 4; i++) {
    const r = await p.request('tools/call', { name: 'codex', arguments: { prompt: `try ${i}` } });
    results.push(r.result);
  }
  ok(results.every((r) => r && r.isError === true), 'every call is an isError result');
  like(results[0].content[0].text, /failed to start/, 'saying the app-server failed to start');
  like(results[0].content[0].text, /fake startup failure/, "with the app-server's last stderr line");
  const times = fs.readFileSync(spawns, 'utf8').trim().split('\n').map(Number);
  // The first call joins the start made at launch; each later one starts again.
  is(times.length, 4, 'one start at launch and one per later call');
  const gaps = times.slice(1).map((t, i) => t - times[i]);
  ok(gaps[1] >= 400 && gaps[2] > gaps[1], `the gaps between starts grow (${gaps.join(', ')} ms)`);
  is((await p.request('ping', {})).result, {}, 'the proxy is still up');
});
