// Proves: the MCP SDK v2 client pinned to 2026-07-28, over stdio and over Streamable HTTP, against real codex 0.169 and 0.171 with the mock model: when codex asks to run a command, the proxy answers the call input_required (never a server-to-client request, per the trace), the client's elicitation handler is asked once (form, naming the command), and its automatic retry carries the turn on: accept makes codex run the command (the file appears, the result has its output), decline does not.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// One call on a connected client whose handler answers decision; checks.
async function approve(c, asked, trace, decision, what) {
  const work = h.scratch('work');
  asked.length = 0;
  c.setRequestHandler('elicitation/create', async (req) => {
    asked.push(req.params);
    return { action: 'accept', content: { decision } };
  });
  const r = await c.callTool({ name: 'codex', arguments: {
    prompt: '[[shell:touch made.txt && echo hi]]', cwd: work, 'approval-policy': 'untrusted' } });
  is(asked.length, 1, `${what}: the client was asked once`);
  is(asked[0] && asked[0].mode, 'form', `${what}: a form`);
  like(asked[0] && asked[0].message, /touch made\.txt/, `${what}: naming the command`);
  ok(!r.isError, `${what}: the call completed`);
  const runs = decision === 'accept';
  is(fs.existsSync(path.join(work, 'made.txt')), runs, `${what}: the command ${runs ? 'ran' : 'did not run'}`);
  if (runs) like(h.textOf(r), /\bhi\b/, `${what}: the result carries its output`);
  else like(h.textOf(r), /declin|not|denied|reject/i, `${what}: the result says it was not run`);
  // The trace is written behind a short timer: wait for the lines.
  const isAsk = (m) => m.result && m.result.resultType === 'input_required' && typeof m.result.requestState === 'string';
  const out = () => h.readJsonl(trace).filter((l) => l.dir === 'p2c').map((l) => l.msg);
  ok(await h.waitUntil(() => out().some(isAsk), 5000), `${what}: the proxy answered input_required with a requestState`);
  ok(!out().some((m) => m.method === 'elicitation/create'), `${what}: and sent no elicitation/create request`);
}

main(async () => {
  const mock = await h.mockModel();
  for (const version of ['0.169', '0.171']) {
    const home = h.codexHome(mock);
    const cmd = h.codexCommand(version);
    for (const decision of ['accept', 'decline']) {
      const asked = [];
      const trace = path.join(h.scratch('trace'), 'trace.jsonl');
      const s = await h.sdk2Client(null, { capabilities: { elicitation: { form: {} } },
        args: ['--upstream-cmd', cmd, '--trace', trace], env: { CODEX_HOME: home } });
      await approve(s.client, asked, trace, decision, `stdio ${version} ${decision}`);
      await s.client.close();
    }
    const trace = path.join(h.scratch('trace'), 'trace.jsonl');
    const p = await h.httpProxy(`sdk2-approval-${version}`, { upstream: cmd, env: { CODEX_HOME: home }, args: ['--trace', trace] });
    const c = await h.sdk2Client(p.url, { capabilities: { elicitation: { form: {} } } });
    const asked = [];
    await approve(c.client, asked, trace, 'accept', `HTTP ${version} accept`);
    await approve(c.client, asked, trace, 'decline', `HTTP ${version} decline`);
    await c.client.close();
    await p.stop();
  }
});
