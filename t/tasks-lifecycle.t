// Proves: for a 2025-11-25 client the proxy offers tasks (codex and codex-reply only): a task-augmented call is answered at once with a working task, tasks/get polls it, tasks/result waits for the CallToolResult tied to the task, tasks/list lists it, tasks/cancel cancels at once and interrupts codex's turn (real codex 0.169); unknown or finished tasks and other tools are refused, and a 2025-06-18 session has no tasks at all.
'use strict';
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const { CreateTaskResultSchema, CallToolResultSchema } = require('@modelcontextprotocol/sdk/types.js');

const RELATED = 'io.modelcontextprotocol/related-task';

// The JSON-RPC error code a rejected SDK request carries ('resolved' if none).
async function errorCode(promise) {
  try {
    await promise;
    return 'resolved';
  } catch (err) {
    return err.code;
  }
}

// Start a task-augmented tools/call; the CreateTaskResult.
function callAsTask(client, name, args, task = {}) {
  return client.request({ method: 'tools/call', params: { name, arguments: args } }, CreateTaskResultSchema, { task });
}

main(async () => {
  const mock = await h.mockModel();
  const home = h.codexHome(mock);
  const { client } = await h.sdkProxy({
    args: ['--upstream-cmd', h.codexCommand('0.169')], env: { CODEX_HOME: home }, capabilities: { tasks: {} },
  });
  const tasks = client.experimental.tasks;

  // What initialize and tools/list offer.
  const caps = client.getServerCapabilities() || {};
  ok(caps.tasks && caps.tasks.list && caps.tasks.cancel, 'initialize offers tasks with list and cancel');
  ok(caps.tasks && caps.tasks.requests && caps.tasks.requests.tools && caps.tasks.requests.tools.call,
    'and task-augmented tools/call');
  const { tools } = await client.listTools();
  const support = Object.fromEntries(tools.map((t) => [t.name, t.execution && t.execution.taskSupport]));
  is(support.codex, 'optional', 'codex may run as a task');
  is(support['codex-reply'], 'optional', 'codex-reply may run as a task');
  const others = tools.filter((t) => t.name !== 'codex' && t.name !== 'codex-reply');
  ok(others.length > 0 && others.every((t) => support[t.name] === undefined || support[t.name] === 'forbidden'),
    `no other tool may (${others.map((t) => `${t.name}:${support[t.name]}`).join(', ')})`);

  // A task that runs to the end: 20 deltas 100 ms apart.
  const created = await callAsTask(client, 'codex', { prompt: '[[slow:20:100]]' }, { ttl: 120000 });
  const task = created.task || {};
  is(task.status, 'working', 'the call is answered at once with a working task');
  like(task.taskId, /^\S+$/, 'with a taskId');
  ok(typeof task.createdAt === 'string' && !Number.isNaN(Date.parse(task.createdAt)), `and createdAt (${task.createdAt})`);
  is(task.ttl, 120000, 'and the ttl asked for');
  ok(Number.isInteger(task.pollInterval) && task.pollInterval > 0, `and a pollInterval (${task.pollInterval})`);
  const polled = await tasks.getTask(task.taskId);
  is([polled.taskId, polled.status], [task.taskId, 'working'], 'tasks/get says it is still working');
  const got = await tasks.getTaskResult(task.taskId, CallToolResultSchema);
  ok(!got.isError, 'tasks/result waits and gives the CallToolResult');
  is(h.textOf(got), Array.from({ length: 20 }, (_, i) => `tick ${i + 1} `).join(''), 'with the whole answer');
  const tid = got.structuredContent && got.structuredContent.threadId;
  ok(tid, 'and the threadId');
  is(got._meta && got._meta[RELATED], { taskId: task.taskId }, 'its _meta names the task');
  is((await tasks.getTask(task.taskId)).status, 'completed', 'tasks/get now says completed');
  const again = await tasks.getTaskResult(task.taskId, CallToolResultSchema);
  is(h.textOf(again), h.textOf(got), 'tasks/result once it is over gives the same result');
  const listed = await tasks.listTasks();
  const entry = (listed.tasks || []).find((t) => t.taskId === task.taskId);
  is(entry && entry.status, 'completed', 'tasks/list lists it, completed');

  // A task cancelled while its turn runs: 100 deltas 100 ms apart.
  const slow = await callAsTask(client, 'codex-reply', { threadId: tid, prompt: '[[slow:100:100]]' });
  const sid = slow.task && slow.task.taskId;
  is(slow.task && slow.task.ttl, 3600000, 'a task without a ttl gets one hour');
  const reached = await h.waitUntil(() => mock.requests.some((r) => r.last_user === '[[slow:100:100]]'), 20000);
  ok(reached, 'the slow turn reached the model');
  await h.sleep(500);
  is((await tasks.getTask(sid)).status, 'working', 'the slow task is working');
  const waiting = tasks.getTaskResult(sid, CallToolResultSchema).then(() => 'resolved', (e) => e);
  const cancelledAt = Date.now();
  const cancel = await tasks.cancelTask(sid);
  is([cancel.taskId, cancel.status], [sid, 'cancelled'], 'tasks/cancel answers with the task, cancelled');
  is((await tasks.getTask(sid)).status, 'cancelled', 'tasks/get says cancelled at once');
  const w = await waiting;
  ok(w instanceof Error, `the tasks/result already waiting gets an error (${w && w.message})`);
  const late = await tasks.getTaskResult(sid, CallToolResultSchema).then(() => 'resolved', (e) => e);
  ok(late instanceof Error, `a tasks/result after the cancel gets an error (${late && late.message})`);
  let reply;
  for (;;) {
    reply = await client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: '[[history]]' } });
    if (!(reply.isError && /is busy/.test(h.textOf(reply))) || Date.now() - cancelledAt > 6000) break;
    await h.sleep(100);
  }
  ok(!reply.isError, `the next reply on the thread works, well before the 10 s turn would end (${Date.now() - cancelledAt} ms)`);
  is(h.textOf(reply), 'History: [[slow:20:100]] | [[slow:100:100]] | [[history]]', 'the model saw the interrupted prompt');
  is(await errorCode(tasks.cancelTask(sid)), -32602, 'cancelling it again is -32602');
  is(await errorCode(tasks.cancelTask(task.taskId)), -32602, 'cancelling a completed task is -32602');
  is((await tasks.getTask(task.taskId)).status, 'completed', 'and leaves it completed');

  // Unknown tasks, and tools that cannot run as tasks.
  is(await errorCode(tasks.getTask('no-such-task')), -32602, 'tasks/get of an unknown taskId is -32602');
  is(await errorCode(tasks.getTaskResult('no-such-task', CallToolResultSchema)), -32602, 'tasks/result of an unknown taskId is -32602');
  is(await errorCode(tasks.cancelTask('no-such-task')), -32602, 'tasks/cancel of an unknown taskId is -32602');
  is(await errorCode(callAsTask(client, 'codex-list', {})), -32601, 'a task-augmented call of codex-list is -32601');
  const after = await tasks.listTasks();
  is((after.tasks || []).length, 2, 'tasks/list holds just the two tasks');

  // A 2025-06-18 session: no tasks.
  const old = await h.fakeRawProxy('tasks-old', { initialize: false });
  const init = await old.initialize('2025-06-18');
  is(init.result && init.result.protocolVersion, '2025-06-18', 'a client may negotiate 2025-06-18');
  ok(init.result && init.result.capabilities && !('tasks' in init.result.capabilities), 'that session is offered no tasks');
  const g = await old.request('tasks/get', { taskId: task.taskId });
  is(g.error && g.error.code, -32601, 'tasks/get there is -32601');
  const l = await old.request('tasks/list', {});
  is(l.error && l.error.code, -32601, 'and so is tasks/list');
  diag(`old session: ${JSON.stringify(g)}`);
});
