// Proves: with --max-session-turns 1 (and separately --max-turns 1) a codex or codex-reply call while another turn runs is refused at once with JSON-RPC error -32001 naming the option (over HTTP in 2026-07-28 with status 503), not queued or turned into a tool result; calls that are not turns (codex-list, tools/list) go on; once the running turn has answered, the next call runs; --max-turns 0 is no limit; a value that is not a number is a usage error (exit 2).
'use strict';
const { spawnSync } = require('node:child_process');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const SLOW = '[[slow:4:150]]'; // four deltas 150 ms apart

// A codex call (not awaited): the id and the promise of its response.
function call(p, name, args) {
  const id = p.nextId++;
  p.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
  return p.response(id);
}

main(async () => {
  for (const option of ['--max-session-turns', '--max-turns']) {
    const p = await h.fakeRawProxy(`max-turns${option}`, { args: [option, '1'] });
    const first = call(p, 'codex', { prompt: `${SLOW} first` });
    const second = await call(p, 'codex', { prompt: 'second' });
    is(second.error && second.error.code, -32001, `${option} 1: a second codex call while one runs gets error -32001`);
    like(second.error && second.error.message, new RegExp(`${option}\\b`), `${option} 1: the message names ${option}`);
    const reply = await call(p, 'codex-reply', { threadId: '01a213e3-cd86-7d52-88d2-858b29563843', prompt: 'x' });
    is(reply.error && reply.error.code, -32001, `${option} 1: so does a codex-reply call`);
    const list = await call(p, 'codex-list', {});
    ok(list.result && !list.result.isError, `${option} 1: codex-list is not a turn and runs`);
    const tools = await p.request('tools/list', {});
    ok(tools.result && tools.result.tools.length === 6, `${option} 1: tools/list answers`);
    const r1 = await first;
    like(h.textOf(r1.result) || '', /^tick 1 tick 2 tick 3 tick 4/, `${option} 1: the running turn answers in full`);
    const third = await call(p, 'codex', { prompt: 'third' });
    is(h.textOf(third.result), 'You said: third', `${option} 1: once it has, the next call runs`);
  }

  const p = await h.fakeRawProxy('max-turns-0', { args: ['--max-turns', '0', '--max-session-turns', '0'] });
  const both = await Promise.all([call(p, 'codex', { prompt: `${SLOW} a` }), call(p, 'codex', { prompt: `${SLOW} b` })]);
  ok(both.every((r) => r.result && !r.result.isError), '--max-turns 0 --max-session-turns 0: two turns run at once');

  // Over HTTP a 2026-07-28 call refused so is status 503, as a 2025 one is.
  const w = await h.httpProxy('max-turns-http', { args: ['--max-turns', '1'] });
  const post = (id, prompt) => w.request('POST', '/mcp', {
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'tools/call', 'Mcp-Name': 'codex' },
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'codex', arguments: { prompt },
      _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } } }),
  });
  const running = post(1, `${SLOW} http`);
  await h.waitUntil(() => h.readJsonl(w.log).some((m) => m.method === 'turn/start'), 5000);
  const refused = await post(2, 'second');
  is(refused.status, 503, '--max-turns 1 over HTTP, 2026-07-28: a second call gets status 503');
  is(refused.json && refused.json.error && refused.json.error.code, -32001, '...with error -32001');
  is((await running).status, 200, '...and the running one its answer');

  const bad = spawnSync(h.PROXY, ['--max-turns', 'many'], { encoding: 'utf8', env: h.childEnv() });
  is(bad.status, 2, '--max-turns many exits 2');
  like(bad.stderr, /--max-turns must be a number/, 'and says what it takes');
});
