// Proves: a client that cannot be asked in form mode (no elicitation capability, on real codex 0.169 and 0.77 --api v1; or, at 2025-11-25, elicitation for url mode only) is never sent elicitation/create; the proxy declines codex's approval request itself, the command does not run, and the result text says the proxy declined because the client cannot be asked.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const CASES = [
  { name: '0.169, no capabilities', version: '0.169', args: [], protocol: '2025-06-18', caps: {} },
  { name: '0.77 --api v1, roots and sampling only', version: '0.77', args: ['--api', 'v1'], protocol: '2025-06-18', caps: { roots: {}, sampling: {} } },
  { name: '0.169, 2025-11-25 elicitation url mode only', version: '0.169', args: [], protocol: '2025-11-25', caps: { elicitation: { url: {} } } },
];

main(async () => {
  const mock = await h.mockModel();
  for (const c of CASES) {
    // A short --approval-timeout, so that a wrongly sent elicitation cannot hang the call.
    const p = await h.codexRawProxy({ version: c.version, args: ['--approval-timeout', '5', ...c.args], mock });
    const init = await p.initialize(c.protocol, c.caps);
    ok(init.result, `${c.name}: initialize succeeded`);
    const work = h.scratch('work');
    const r = await p.request('tools/call', {
      name: 'codex',
      arguments: { prompt: '[[shell:touch made.txt && echo hi]]', cwd: work, 'approval-policy': 'untrusted' },
    }, 30000);
    // A ping round trip, so that anything the proxy still had to say about the call is in.
    const pong = await p.request('ping', {}, 10000);
    ok(pong.result, `${c.name}: the proxy answered a ping after the call`);
    const elicits = p.messages.filter((m) => m.method === 'elicitation/create');
    is(elicits.length, 0, `${c.name}: no elicitation/create was sent`);
    ok(p.messages.some((m) => m.method === 'notifications/message' && /declined/.test(JSON.stringify(m.params && m.params.data))),
      `${c.name}: codex did ask (a "declined" log message was sent)`);
    ok(r.result && !r.result.isError, `${c.name}: the call completed without an error`);
    ok(!fs.existsSync(path.join(work, 'made.txt')), `${c.name}: the command did not run (no file)`);
    const text = h.textOf(r.result) || '';
    like(text, /codex-mcp-proxy declined codex's request to run a command \(`[^`]*touch made\.txt[^`]*`\)/,
      `${c.name}: the result says the proxy declined the command`);
    like(text, /cannot be asked/, `${c.name}: the result says why: this client cannot be asked`);
    like(text, /rejected/, `${c.name}: codex was told decline (its tool output says rejected)`);
    await p.close();
  }
});
