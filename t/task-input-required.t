// Proves: a task whose turn waits for an approval is input_required (tasks/get and notifications/tasks/status) while the elicitation/create, which names the task in its _meta, is pending; once the user accepts, the task goes back to working and completes with the approved result (fake app-server and real codex 0.169).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const RELATED = 'io.modelcontextprotocol/related-task';
const CAPS = { elicitation: { form: {} }, tasks: {} };

// One approval inside a task on proxy p (initialized as 2025-11-25 with CAPS).
async function approvalInTask(who, p, args, checkResult) {
  const start = p.messages.length;
  const callId = `${who}-call`;
  p.send({ jsonrpc: '2.0', id: callId, method: 'tools/call', params: { name: 'codex', arguments: args, task: {}, _meta: { progressToken: `${who}-pt` } } });
  const created = await p.response(callId, 30000);
  const task = created.result && created.result.task;
  is(task && task.status, 'working', `${who}: the call is answered at once with a working task`);
  const taskId = task && task.taskId;

  const elicit = await p.waitFor((m) => m.method === 'elicitation/create' && p.messages.indexOf(m) >= start, 60000);
  ok(elicit.id !== undefined, `${who}: the proxy asks the client with elicitation/create`);
  is(elicit.params._meta && elicit.params._meta[RELATED], { taskId }, `${who}: which names the task in _meta`);
  const get1 = await p.request('tasks/get', { taskId });
  is(get1.result && get1.result.status, 'input_required', `${who}: while it is pending, tasks/get says input_required`);
  diag(`${who}: statusMessage ${JSON.stringify(get1.result && get1.result.statusMessage)}`);

  // tasks/result now: it must wait for the answer.
  const resultId = `${who}-result`;
  p.send({ jsonrpc: '2.0', id: resultId, method: 'tasks/result', params: { taskId } });
  await h.sleep(300);
  ok(!p.messages.some((m) => m.id === resultId), `${who}: a tasks/result sent meanwhile waits`);

  const answeredAt = p.messages.length;
  p.send({ jsonrpc: '2.0', id: elicit.id, result: { action: 'accept', content: { decision: 'accept' } } });
  const res = await p.response(resultId, 60000);
  ok(p.messages.indexOf(res) > answeredAt, `${who}: tasks/result is answered after the approval`);
  ok(res.result && !res.result.isError, `${who}: the task's result is a success`);
  checkResult(h.textOf(res.result));
  is(res.result && res.result._meta && res.result._meta[RELATED], { taskId }, `${who}: the result names the task`);
  const get2 = await p.request('tasks/get', { taskId });
  is(get2.result && get2.result.status, 'completed', `${who}: tasks/get then says completed`);

  const mine = p.messages.slice(start).filter((m) => m.method === 'notifications/tasks/status' && m.params.taskId === taskId);
  is(mine.map((m) => m.params.status), ['input_required', 'working', 'completed'],
    `${who}: notifications/tasks/status go input_required, working (after the answer), completed`);
  const workingAt = p.messages.indexOf(mine[1]);
  ok(mine.length === 3 && workingAt > answeredAt, `${who}: back to working only after the answer`);

  const related = p.messages.slice(start).filter((m) => m.method === 'notifications/message' || m.method === 'notifications/progress');
  ok(related.length > 0 && related.every((m) => m.params._meta && m.params._meta[RELATED] && m.params._meta[RELATED].taskId === taskId),
    `${who}: its ${related.length} log and progress notifications name the task in _meta`);
}

main(async () => {
  // The fake app-server's [[approval]] asks to run "touch x".
  const f = await h.fakeRawProxy('task-input', { initialize: false });
  const fi = await f.initialize('2025-11-25', CAPS);
  ok(fi.result && fi.result.capabilities && fi.result.capabilities.tasks, 'fake: the session has tasks');
  await approvalInTask('fake', f, { prompt: '[[approval]]' }, (text) => is(text, 'decision: "accept"', 'fake: codex got "accept"'));

  // Real codex 0.169: approval-policy untrusted asks before a command that changes things.
  const mock = await h.mockModel();
  const home = h.codexHome(mock);
  const cwd = h.scratch('task-input-cwd');
  const p = new h.RawProxy({ args: ['--upstream-cmd', h.codexCommand('0.169')], env: { CODEX_HOME: home } });
  const pi = await p.initialize('2025-11-25', CAPS);
  ok(pi.result && pi.result.capabilities && pi.result.capabilities.tasks, 'codex 0.169: the session has tasks');
  await approvalInTask('codex 0.169', p, { prompt: '[[shell:touch x && echo hi]]', 'approval-policy': 'untrusted', cwd },
    (text) => like(text, /^Tool said: .*hi/s, 'codex 0.169: the approved command ran'));
  ok(fs.existsSync(path.join(cwd, 'x')), 'codex 0.169: and made its file');
});
