// Proves: the 2026-07-28 tasks extension on the fake app-server: a codex call from a request that declared io.modelcontextprotocol/tasks and still runs after --task-after is answered with a flat CreateTaskResult (resultType task, an unguessable taskId, ttlMs, pollIntervalMs); tasks/get shows working with the latest progress as statusMessage, or input_required with the approval in inputRequests; tasks/update answers it (codex gets the decision) and tasks/get then gives completed with the result; tasks/cancel interrupts a running turn (cancelled) and acks a finished one; unknown ids are -32602, tasks/result and tasks/list -32601, tasks/* without the extension -32021; a request without the extension, or a call that ends before --task-after, gets its plain result.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const TASKS = { extensions: { 'io.modelcontextprotocol/tasks': {} } };
const meta = (caps) => ({
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': caps,
});

// An empty acknowledgement: resultType complete and nothing but _meta.
const ack = (r) => r && r.resultType === 'complete' && Object.keys(r).every((k) => k === 'resultType' || k === '_meta');

// One request; its whole response.
async function call(p, id, method, params, caps = TASKS) {
  p.send({ jsonrpc: '2.0', id, method, params: { ...params, _meta: meta(caps) } });
  return p.response(id);
}

// Poll tasks/get until the status is one of want.
async function until(p, tid, want) {
  let r;
  for (let i = 0; i < 100; i++) {
    r = (await call(p, `get-${tid}-${Date.now()}-${i}`, 'tasks/get', { taskId: tid })).result || {};
    if (want.includes(r.status)) return r;
    await h.sleep(50);
  }
  return r;
}

main(async () => {
  const p = await h.fakeRawProxy('tasks-ext', { initialize: false, args: ['--task-after', '0'] });
  const work = h.scratch('work');
  const created = (await call(p, 1, 'tools/call', { name: 'codex',
    arguments: { prompt: '[[slow:3:300]] [[approval]]', cwd: work, 'approval-policy': 'untrusted' } },
    { ...TASKS, elicitation: {} })).result || {};
  is(created.resultType, 'task', 'a declaring request gets resultType task');
  like(created.taskId, /^[0-9a-f]{32}$/, 'with a 128-bit random task id');
  is(created.status, 'working', 'working');
  ok(Number.isInteger(created.ttlMs) && Number.isInteger(created.pollIntervalMs), 'ttlMs and pollIntervalMs are integers');
  ok(!('task' in created) && !('ttl' in created) && !('requestState' in created), 'flat: no task wrapper, no legacy ttl, no requestState');
  ok(!Number.isNaN(Date.parse(created.createdAt)) && !Number.isNaN(Date.parse(created.lastUpdatedAt)), 'ISO 8601 times');
  const tid = created.taskId;

  const asking = await until(p, tid, ['input_required', 'completed']);
  is(asking.resultType, 'complete', 'tasks/get is a complete result');
  is(asking.status, 'input_required', 'the task waits for the approval');
  const ask = (asking.inputRequests || {})['approval-1'] || {};
  is(ask.method, 'elicitation/create', 'its inputRequests hold the approval form');
  like(ask.params && ask.params.message, /touch x/, 'naming the command');
  like(asking.statusMessage, /waiting for approval/, 'the status message says so');
  is((await call(p, 2, 'tasks/update', { taskId: tid, inputResponses: { 'approval-1': { action: 'bogus' } } })).error?.code, -32602,
    'a malformed answer in tasks/update: -32602');
  const update = await call(p, 3, 'tasks/update', { taskId: tid, inputResponses: { 'approval-1': { action: 'accept', content: { decision: 'accept' } }, other: {} } });
  ok(ack(update.result), 'tasks/update is acknowledged with an empty complete result');
  const done = await until(p, tid, ['completed', 'cancelled']);
  is(done.status, 'completed', 'the task completed');
  like(h.textOf(done.result), /^tick 1 tick 2 tick 3/, 'its result is the turn\'s answer');
  const answers = h.readJsonl(p.log).filter((l) => l.method === undefined && l.event === undefined);
  is(answers.map((a) => a.result), [{ decision: 'accept' }], 'codex was told accept, once (the unknown key was ignored)');
  ok(!('inputRequests' in done), 'no input requests once done');
  ok(ack((await call(p, 4, 'tasks/cancel', { taskId: tid })).result), 'cancelling a finished task is acknowledged');
  is((await until(p, tid, ['completed'])).status, 'completed', 'and it stays completed');

  const slow = (await call(p, 5, 'tools/call', { name: 'codex', arguments: { prompt: '[[slow:50:100]]' } })).result || {};
  is(slow.resultType, 'task', 'a slow turn becomes a task');
  let running = {};
  for (let i = 0; i < 100 && !/tick/.test(running.statusMessage || ''); i++) {
    await h.sleep(50);
    running = (await call(p, `slow-get-${i}`, 'tasks/get', { taskId: slow.taskId })).result || {};
  }
  like(running.statusMessage, /tick/, 'while it runs, tasks/get shows its latest progress as the status message');
  ok(ack((await call(p, 6, 'tasks/cancel', { taskId: slow.taskId })).result), 'tasks/cancel is acknowledged');
  is((await until(p, slow.taskId, ['cancelled', 'completed'])).status, 'cancelled', 'the task ends cancelled');
  ok(await h.waitUntil(() => h.readJsonl(p.log).some((l) => l.method === 'turn/interrupt'), 5000), 'its turn was interrupted upstream');

  let e = (await call(p, 7, 'tasks/get', { taskId: 'f'.repeat(32) })).error || {};
  is(e.code, -32602, 'an unknown task id: -32602');
  like(e.message, /unknown taskId/, 'saying so');
  is((await call(p, 8, 'tasks/result', { taskId: tid })).error?.code, -32601, 'tasks/result (removed): -32601');
  is((await call(p, 9, 'tasks/list', {})).error?.code, -32601, 'tasks/list (does not exist): -32601');
  e = (await call(p, 10, 'tasks/get', { taskId: tid }, {})).error || {};
  is(e.code, -32021, 'tasks/get from a request without the extension: -32021');
  is(e.data && e.data.requiredCapabilities, { extensions: { 'io.modelcontextprotocol/tasks': {} } }, 'naming the extension as required');

  const plain = (await call(p, 11, 'tools/call', { name: 'codex', arguments: { prompt: 'hello' } }, {})).result || {};
  is(plain.resultType, 'complete', 'a request without the extension gets its plain result, even with --task-after 0');
  is(h.textOf(plain), 'You said: hello', 'with the answer');

  const q = await h.fakeRawProxy('tasks-ext-late', { initialize: false, args: ['--task-after', '30'] });
  const quick = (await call(q, 1, 'tools/call', { name: 'codex', arguments: { prompt: 'quick' } })).result || {};
  is(quick.resultType, 'complete', 'a call that ends before --task-after is answered directly, not as a task');
});
