// Proves: over Streamable HTTP in 2026-07-28 (the fake app-server): a call that needs approval is answered input_required on its POST and its retry is another POST that gets the turn's result; a call from a client that declared the tasks extension is answered with a task, and tasks/get (Mcp-Name: the task id) polls it from other POSTs until completed; an Mcp-Name that is not the task id is 400 -32020, tasks/get without the extension 400 -32021, an unknown task id -32602 on 200.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const V = 'io.modelcontextprotocol/protocolVersion';
const TASKS = { extensions: { 'io.modelcontextprotocol/tasks': {} } };
const meta = (caps) => ({ [V]: '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': caps });

main(async () => {
  const p = await h.httpProxy('modern-http-tasks', { args: ['--task-after', '0'] });
  let n = 0;
  // POST one request with the headers its body calls for (name: Mcp-Name).
  const post = async (method, params, name) => {
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': method, ...(name !== undefined ? { 'Mcp-Name': name } : {}) };
    const r = await p.request('POST', '/mcp', { headers, body: JSON.stringify({ jsonrpc: '2.0', id: ++n, method, params }) });
    const msgs = /text\/event-stream/.test(r.headers['content-type'] || '')
      ? h.parseSse(r.body).events.map((e) => JSON.parse(e.data)) : [r.json];
    return { status: r.status, answer: msgs.find((m) => m && m.id === n) };
  };

  const args = { prompt: '[[approval]]', 'approval-policy': 'untrusted' };
  const first = await post('tools/call', { name: 'codex', arguments: args, _meta: meta({ elicitation: {} }) }, 'codex');
  is(first.status, 200, 'a call that needs approval: 200');
  const asked = first.answer && first.answer.result;
  is(asked && asked.resultType, 'input_required', 'answered input_required on its POST');
  const retry = await post('tools/call', { name: 'codex', arguments: args, requestState: asked && asked.requestState,
    inputResponses: { 'approval-1': { action: 'accept', content: { decision: 'accept' } } }, _meta: meta({ elicitation: {} }) }, 'codex');
  is(retry.answer && retry.answer.result && retry.answer.result.resultType, 'complete', 'the retry, another POST, gets the result');
  is(h.textOf(retry.answer && retry.answer.result), 'decision: "accept"', 'with the decision codex got');

  const created = await post('tools/call', { name: 'codex', arguments: { prompt: '[[slow:4:100]]' }, _meta: meta(TASKS) }, 'codex');
  const task = created.answer && created.answer.result;
  is(task && task.resultType, 'task', 'a declaring client gets a task');
  let got = {};
  for (let i = 0; i < 100 && got.status !== 'completed'; i++) {
    if (i > 0) await h.sleep(50);
    const r = await post('tasks/get', { taskId: task.taskId, _meta: meta(TASKS) }, task.taskId);
    got = (r.answer && r.answer.result) || {};
  }
  is(got.status, 'completed', 'tasks/get with Mcp-Name: the task id polls it to completed');
  is(h.textOf(got.result), 'tick 1 tick 2 tick 3 tick 4 ', 'with the turn\'s result');

  const wrong = await post('tasks/get', { taskId: task.taskId, _meta: meta(TASKS) }, 'codex');
  is(wrong.status, 400, 'Mcp-Name other than the task id: 400');
  is(wrong.answer && wrong.answer.error && wrong.answer.error.code, -32020, 'with -32020');
  const undeclared = await post('tasks/get', { taskId: task.taskId, _meta: meta({}) }, task.taskId);
  is(undeclared.status, 400, 'tasks/get without the extension: 400');
  is(undeclared.answer && undeclared.answer.error && undeclared.answer.error.code, -32021, 'with -32021');
  const unknown = await post('tasks/get', { taskId: '0'.repeat(32), _meta: meta(TASKS) }, '0'.repeat(32));
  is(unknown.status, 200, 'an unknown task id: 200');
  like(unknown.answer && unknown.answer.error && unknown.answer.error.message, /unknown taskId/, 'with -32602, unknown taskId');
  ok(unknown.answer && unknown.answer.error && unknown.answer.error.code === -32602, 'code -32602');
});
