// Proves: a --trace recorded live (real codex 0.169 on v2, and 0.77 with --api v1: a codex call, a codex-reply, a failing turn, a codex-list), replayed with --upstream replay:TRACE with no codex and no model running, gives the same client script the same MCP results (text, isError, structuredContent).
'use strict';
const path = require('node:path');
const { ok, is, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const tt = require('./lib/trace-tools.js');

main(async () => {
  const dir = h.scratch('replay');
  for (const [version, api] of [['0.169', []], ['0.77', ['--api', 'v1']]]) {
    const name = `${version}${api.length ? ` ${api.join(' ')}` : ''}`;
    const file = path.join(dir, `trace-${version}.jsonl`);

    // Live, recorded.
    const mock = await h.mockModel();
    const live = await h.codexSession({ version, args: [...api, '--trace', file], mock });
    const want = await tt.replayScript(live.client);
    await live.client.close();
    ok(await tt.gone(live.pid), `${name}: the live proxy exited`);
    await mock.close();
    is(want.codex.text, ['You said: hello from the replay script'], `${name} live: the codex call answered`);
    is(want['codex-reply'].structuredContent && want['codex-reply'].structuredContent.threadId,
      want.codex.structuredContent && want.codex.structuredContent.threadId, `${name} live: the codex-reply continued its thread`);
    ok(want['codex-fail'].isError, `${name} live: the [[fail]] turn was an error`);
    is(want['codex-list'].structuredContent && want['codex-list'].structuredContent.threads.length, 2,
      `${name} live: codex-list listed both threads`);
    const t = tt.readTrace(file);
    ok(t.records.some((r) => r.dir === 'p2s') && t.records.some((r) => r.dir === 's2p'),
      `${name}: the trace holds the app-server side`);

    // Replayed: the mock is stopped and no codex runs.
    const r = await h.sdkProxy({ args: [...api, '--upstream', `replay:${file}`] });
    const got = await tt.replayScript(r.client);
    const kids = tt.childrenOf(r.pid).filter((k) => !k.cmdline.includes('--keeper'));
    diag(`${name} replay upstream: ${kids.map((k) => `${k.exe} ${k.cmdline.slice(1).join(' ')}`).join('; ')}`);
    ok(kids.length === 1 && kids[0].exe === h.PROXY && kids[0].cmdline.includes('--serve-replay'),
      `${name} replay: the app-server is the proxy itself serving the trace (no codex)`);
    await r.client.close();
    for (const k of Object.keys(want)) is(got[k], want[k], `${name} replay: the ${k} result is the live one`);
  }
});
