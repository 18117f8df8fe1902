// Proves: on the fake app-server a 2025-11-25 task-augmented codex call is answered at once with a working task; tasks/get polls it, tasks/result waits for its CallToolResult (tied to the task by _meta), and tasks/cancel of a running task answers cancelled at once and sends turn/interrupt with the thread's and turn's ids; unknown tasks are -32602.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const RELATED = 'io.modelcontextprotocol/related-task';

main(async () => {
  const p = await h.fakeRawProxy('tasks', { initialize: false });
  const init = await p.initialize('2025-11-25', { tasks: {} });
  ok(init.result && init.result.capabilities && init.result.capabilities.tasks, 'the session offers tasks');

  const created = await p.request('tools/call', { name: 'codex', arguments: { prompt: '[[slow:10:100]]' }, task: { ttl: 60000 } });
  const task = created.result && created.result.task;
  is(task && [task.status, task.ttl], ['working', 60000], 'the call is answered at once with a working task');
  const got = await p.request('tasks/get', { taskId: task.taskId });
  is(got.result && got.result.status, 'working', 'tasks/get: working');
  const res = await p.request('tasks/result', { taskId: task.taskId }, 30000);
  is(h.textOf(res.result), Array.from({ length: 10 }, (_, i) => `tick ${i + 1} `).join(''), 'tasks/result gives the whole answer');
  is(res.result && res.result._meta && res.result._meta[RELATED], { taskId: task.taskId }, 'tied to the task');
  const tid = res.result && res.result.structuredContent && res.result.structuredContent.threadId;
  is((await p.request('tasks/get', { taskId: task.taskId })).result.status, 'completed', 'tasks/get: completed');

  const slow = await p.request('tools/call', { name: 'codex-reply', arguments: { threadId: tid, prompt: '[[slow:100:100]]' }, task: {} });
  const sid = slow.result && slow.result.task && slow.result.task.taskId;
  ok(await h.waitUntil(() => h.readJsonl(p.log).filter((l) => l.method === 'turn/start').length === 2, 5000), 'the slow turn started');
  await h.sleep(300);
  const cancel = await p.request('tasks/cancel', { taskId: sid });
  is(cancel.result && [cancel.result.taskId, cancel.result.status], [sid, 'cancelled'], 'tasks/cancel answers cancelled');
  ok(await h.waitUntil(() => h.readJsonl(p.log).some((l) => l.method === 'turn/interrupt'), 5000), 'and interrupts the turn');
  const turn = await h.lastStoredTurn(p.dir, tid);
  is(turn && turn.status, 'interrupted', 'the turn ended as interrupted');
  is(h.readJsonl(p.log).filter((l) => l.method === 'turn/interrupt').map((l) => l.params), [{ threadId: tid, turnId: turn && turn.id }],
    'turn/interrupt named the thread and its turn, once');
  is((await p.request('tasks/get', { taskId: sid })).result.status, 'cancelled', 'tasks/get: cancelled');
  const unknown = await p.request('tasks/get', { taskId: 'no-such-task' });
  is(unknown.error && unknown.error.code, -32602, 'an unknown task is -32602');
  like(JSON.stringify(unknown.error), /no-such-task|task/i, 'with a message');
});
