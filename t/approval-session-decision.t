// Proves: on real codex 0.169, answering an approval with decision acceptForSession reaches codex as acceptForSession: the same command in a later codex-reply on that thread runs without a second elicitation (while plain accept is asked again, and another command is still asked); the asked and approved log messages go out at level notice (logger codex).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const { ElicitRequestSchema } = require('@modelcontextprotocol/sdk/types.js');

const CMD = 'echo run >> runs.txt && echo hi';

// Lines in dir/runs.txt: how often CMD ran there.
function runs(dir) {
  const f = path.join(dir, 'runs.txt');
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).length : 0;
}

main(async () => {
  const mock = await h.mockModel();
  for (const decision of ['acceptForSession', 'accept']) {
    const { client } = await h.codexClientSession({ version: '0.169', mock, capabilities: { elicitation: {} } });
    let asked = 0;
    client.setRequestHandler(ElicitRequestSchema, async () => {
      asked++;
      return { action: 'accept', content: { decision } };
    });
    const logs = [];
    client.fallbackNotificationHandler = async (n) => {
      if (n.method === 'notifications/message') logs.push(n.params);
    };
    const work = h.scratch('work');

    const r1 = await client.callTool({
      name: 'codex', arguments: { prompt: `[[shell:${CMD}]]`, cwd: work, 'approval-policy': 'untrusted' },
    });
    is(asked, 1, `${decision}: the first command was asked`);
    is(runs(work), 1, `${decision}: the first command ran`);
    const tid = r1.structuredContent && r1.structuredContent.threadId;

    asked = 0;
    const r2 = await client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: `again [[shell:${CMD}]]` } });
    ok(!r2.isError, `${decision}: the codex-reply with the same command completed`);
    is(runs(work), 2, `${decision}: the same command ran again`);
    if (decision === 'acceptForSession') {
      is(asked, 0, 'acceptForSession: the same command in a later turn was not asked again (codex got acceptForSession)');
    } else {
      is(asked, 1, 'accept: the same command in a later turn was asked again (codex got accept, not acceptForSession)');
    }

    if (decision === 'acceptForSession') {
      asked = 0;
      await client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: '[[shell:touch other.txt]]' } });
      is(asked, 1, 'acceptForSession: a different command is still asked');
      ok(fs.existsSync(path.join(work, 'other.txt')), 'acceptForSession: the different command ran once approved');

      const mine = logs.filter((l) => l.logger === 'codex' && /runs\.txt/.test(String(l.data)));
      const askedLog = mine.find((l) => /^asked the user to approve: run a command: .*echo run >> runs\.txt/.test(l.data));
      const approvedLog = mine.find((l) => /^approved: run a command: .*echo run >> runs\.txt/.test(l.data));
      ok(askedLog, 'an "asked the user to approve" log message names the command');
      is(askedLog && askedLog.level, 'notice', 'the asked message is at level notice');
      ok(approvedLog, 'an "approved" log message names the command');
      is(approvedLog && approvedLog.level, 'notice', 'the approved message is at level notice');
      ok(askedLog && approvedLog && logs.indexOf(askedLog) < logs.indexOf(approvedLog), 'asked comes before approved');
      is(mine.filter((l) => /^asked/.test(l.data)).length, 1, 'the command was logged as asked only once over both turns');
    }
  }
});
