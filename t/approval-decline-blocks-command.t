// Proves: on real codex 0.169, 0.77 (auto) and 0.77 (--api v1), an approval elicitation answered with action decline, with accept + decision decline, or with action cancel keeps the command from running; the call still completes, and codex was told decline (its tool output says the command was rejected, the turn was not interrupted).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const { ElicitRequestSchema } = require('@modelcontextprotocol/sdk/types.js');

const CONFIGS = [
  { version: '0.169', args: [], name: '0.169' },
  { version: '0.77', args: [], name: '0.77 (auto)' },
  { version: '0.77', args: ['--api', 'v1'], name: '0.77 --api v1' },
];
const ANSWERS = [
  { name: 'action decline', answer: { action: 'decline' } },
  { name: 'accept with decision decline', answer: { action: 'accept', content: { decision: 'decline' } } },
  { name: 'action cancel', answer: { action: 'cancel' } },
];

// The promise's value, or 'timeout' if it takes longer than ms.
function within(promise, ms) {
  let timer;
  const t = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), ms); });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

main(async () => {
  const mock = await h.mockModel();
  for (const cfg of CONFIGS) {
    const { client } = await h.codexClientSession({ version: cfg.version, args: cfg.args, mock, capabilities: { elicitation: {} } });
    let answer;
    let asked = 0;
    client.setRequestHandler(ElicitRequestSchema, async () => {
      asked++;
      return answer;
    });
    for (const a of ANSWERS) {
      const what = `${cfg.name}, ${a.name}`;
      answer = a.answer;
      asked = 0;
      const work = h.scratch('work');
      const r = await within(client.callTool({
        name: 'codex',
        arguments: { prompt: '[[shell:touch made.txt && echo hi]]', cwd: work, 'approval-policy': 'untrusted' },
      }, undefined, { timeout: 45000 }), 30000);
      is(asked, 1, `${what}: the client was asked once`);
      ok(r !== 'timeout', `${what}: the call completed`);
      ok(!fs.existsSync(path.join(work, 'made.txt')), `${what}: the command did not run (no file)`);
      const text = r === 'timeout' ? '' : h.textOf(r);
      like(text, /rejected/, `${what}: codex was told the command was declined (its output says rejected)`);
      ok(!/interrupted/.test(text), `${what}: the turn was not interrupted (codex got decline, not cancel)`);
      ok(!/codex-mcp-proxy declined/.test(text), `${what}: no note of a proxy decision (the user decided)`);
    }
  }
});
