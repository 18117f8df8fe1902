// Proves: the committed traces of real codex 0.169 (v2) and 0.77 (--api v1), t/data/trace-*.jsonl, replayed with --upstream replay: (no codex, no model), give the client script the MCP results recorded with them in t/data/trace-*.expected.json (made by t/record/record-traces.js).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const tt = require('./lib/trace-tools.js');

const FIXTURES = ['trace-0.169-v2', 'trace-0.77-v1'];

main(async () => {
  for (const name of FIXTURES) {
    const trace = path.join(h.TOP, 't', 'data', `${name}.jsonl`);
    const expected = JSON.parse(fs.readFileSync(path.join(h.TOP, 't', 'data', `${name}.expected.json`), 'utf8'));
    const want = expected.results;

    // The fixture holds what it should: the app-server side, and the results it claims.
    const t = tt.readTrace(trace);
    is(t.bad, [], `${name}: every line of the committed trace parses`);
    ok(t.records.some((r) => r.dir === 'p2s') && t.records.some((r) => r.dir === 's2p'), `${name}: it holds the app-server side`);
    const traced = t.records.filter((r) => r.dir === 'p2c' && tt.isResponse(r.msg) && r.msg.result && r.msg.result.content)
      .map((r) => tt.resultOf(r.msg.result));
    is(traced, Object.values(want), `${name}: the expected results are the ones in the trace (p2c)`);

    const p = await h.sdkProxy({ args: [...expected.args, '--upstream', `replay:${trace}`] });
    const got = await tt.replayScript(p.client);
    const kids = tt.childrenOf(p.pid).filter((k) => !k.cmdline.includes('--keeper'));
    ok(kids.length === 1 && kids[0].exe === h.PROXY && kids[0].cmdline.includes('--serve-replay'),
      `${name}: the app-server is the proxy itself serving the trace`);
    await p.client.close();
    for (const k of Object.keys(want)) is(got[k], want[k], `${name}: the replayed ${k} result is the recorded one`);
    is(Object.keys(got), Object.keys(want), `${name}: and there are no others`);
  }
});
