// Proves: --approvals accept approves codex's requests (real 0.169, 0.77 auto, 0.77 --api v1) without asking an elicitation-capable client, so the command runs; --approvals decline declines them without asking, the command does not run, and the result notes the proxy's decline; both are logged.
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

main(async () => {
  const mock = await h.mockModel();
  for (const policy of ['accept', 'decline']) {
    for (const cfg of CONFIGS) {
      const what = `--approvals ${policy}, ${cfg.name}`;
      const { client } = await h.codexClientSession({
        version: cfg.version, args: ['--approvals', policy, ...cfg.args], mock, capabilities: { elicitation: {} },
      });
      // Were the client asked, its answer would be the opposite of the policy.
      let asked = 0;
      client.setRequestHandler(ElicitRequestSchema, async () => {
        asked++;
        return { action: 'accept', content: { decision: policy === 'accept' ? 'decline' : 'accept' } };
      });
      const logs = [];
      client.fallbackNotificationHandler = async (n) => {
        if (n.method === 'notifications/message') logs.push(n.params);
      };
      const work = h.scratch('work');
      const r = await client.callTool({
        name: 'codex',
        arguments: { prompt: '[[shell:touch made.txt && echo hi]]', cwd: work, 'approval-policy': 'untrusted' },
      });
      const text = h.textOf(r) || '';
      is(asked, 0, `${what}: no elicitation/create was sent`);
      ok(!r.isError, `${what}: the call completed without an error`);
      const file = fs.existsSync(path.join(work, 'made.txt'));
      if (policy === 'accept') {
        ok(file, `${what}: the command ran (the file exists)`);
        like(text, /^Tool said: [\s\S]*\bhi\b/, `${what}: the result carries the command's output`);
        ok(logs.some((l) => l.logger === 'codex' && /approved automatically \(--approvals accept\)[\s\S]*touch made\.txt/.test(l.data)),
          `${what}: an "approved automatically" log message names the command`);
      } else {
        ok(!file, `${what}: the command did not run (no file)`);
        like(text, /rejected/, `${what}: codex was told decline (its tool output says rejected)`);
        like(text, /codex-mcp-proxy declined codex's request to run a command \(`[^`]*touch made\.txt[^`]*`\): approvals are declined \(--approvals decline\)/,
          `${what}: the result notes the proxy's decline and why`);
        ok(logs.some((l) => l.logger === 'codex' && /^declined: [\s\S]*touch made\.txt[\s\S]*--approvals decline/.test(l.data)),
          `${what}: a "declined" log message names the command and the option`);
      }
    }
  }
});
