// Proves: with --share-upstream, codex sends a turn's approval request to every proxy subscribed to the thread (0.169 and 0.171), and only the proxy whose tool call runs the turn answers it: the other proxy (here with --approvals decline) leaves it alone, so the user's accept, given after a pause, makes codex run the command.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const l = require('./lib/listening.js');
const { ElicitRequestSchema } = require('@modelcontextprotocol/sdk/types.js');

main(async () => {
  const mock = await h.mockModel();
  for (const version of ['0.169', '0.171']) {
    const { runtime, env, args } = l.sharing(mock, version, 1);
    const a = await h.sdkProxy({ args: [...args, '--approvals', 'decline'], env, name: 'host-a' });
    const b = await h.sdkProxy({ args, env, name: 'host-b', capabilities: { elicitation: {} } });
    let asked = 0;
    b.client.setRequestHandler(ElicitRequestSchema, async () => {
      asked++;
      await h.sleep(500);
      return { action: 'accept', content: { decision: 'accept' } };
    });
    const work = h.scratch('work');
    const first = await a.client.callTool({ name: 'codex', arguments: { prompt: 'alpha', cwd: work } });
    const threadId = first.structuredContent.threadId;
    const r = await b.client.callTool({
      name: 'codex-reply',
      arguments: { threadId, prompt: '[[shell:touch made.txt && echo hi]]', 'approval-policy': 'untrusted' },
    });
    is(asked, 1, `${version}: the proxy running the call asked its user`);
    ok(!r.isError, `${version}: the call worked`);
    ok(fs.existsSync(path.join(work, 'made.txt')), `${version}: codex ran the command the user accepted`);
    like(a.stderr(), /left \S*requestApproval for \S+ to the client whose call runs it/, `${version}: the other proxy left the request alone`);
    await a.client.close();
    await b.client.close();
    ok(await h.waitUntil(() => l.appServerGroups(runtime).length === 0, 30000), `${version}: the shared app-server is gone after both`);
  }
});
