// Proves: against real codex 0.169 and 0.171 with the mock model, a 2026-07-28 codex call from a client that declared the tasks extension runs as a task (--task-after 0); tasks/get shows the approval codex asks for as input_required, tasks/update with accept makes codex run the command (the file appears, the completed task's result has its output), and with decline the command does not run.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const CAPS = { elicitation: {}, extensions: { 'io.modelcontextprotocol/tasks': {} } };
const meta = () => ({
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': CAPS,
});

// Poll tasks/get until the status is one of want (or give up after 60 s).
async function until(p, tid, want) {
  let r = {};
  for (let i = 0; i < 600 && !want.includes(r.status); i++) {
    if (i > 0) await h.sleep(100);
    r = (await p.request('tasks/get', { taskId: tid, _meta: meta() }, 10000)).result || {};
  }
  return r;
}

main(async () => {
  const mock = await h.mockModel();
  for (const version of ['0.169', '0.171']) {
    for (const [decision, runs] of [['accept', true], ['decline', false]]) {
      const what = `${version} ${decision}`;
      const p = await h.codexRawProxy({ version, mock, args: ['--task-after', '0'] });
      const work = h.scratch('work');
      const created = (await p.request('tools/call', { name: 'codex', _meta: meta(), arguments: {
        prompt: '[[shell:touch made.txt && echo hi]]', cwd: work, 'approval-policy': 'untrusted' } }, 30000)).result || {};
      is(created.resultType, 'task', `${what}: the call is answered with a task`);
      const asking = await until(p, created.taskId, ['input_required', 'completed', 'cancelled']);
      is(asking.status, 'input_required', `${what}: the task waits for the approval`);
      const key = Object.keys(asking.inputRequests || {})[0];
      like(key && asking.inputRequests[key].params.message, /touch made\.txt/, `${what}: its input request names the command`);
      const ack = (await p.request('tasks/update', { taskId: created.taskId, _meta: meta(),
        inputResponses: { [key]: { action: 'accept', content: { decision } } } })).result;
      is(ack && ack.resultType, 'complete', `${what}: tasks/update is acknowledged`);
      const done = await until(p, created.taskId, ['completed', 'cancelled']);
      is(done.status, 'completed', `${what}: the task completed`);
      is(fs.existsSync(path.join(work, 'made.txt')), runs, `${what}: the command ${runs ? 'ran' : 'did not run'}`);
      if (runs) like(h.textOf(done.result), /\bhi\b/, `${what}: the result carries the command's output`);
      else ok(done.result && !/\bhi\b/.test(h.textOf(done.result) || ''), `${what}: and its output is not in the result`);
      await p.close();
    }
  }
});
