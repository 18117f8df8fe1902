// Proves: with --approval-timeout 2 (real codex 0.169 and 0.77 --api v1), an approval elicitation the client never answers is withdrawn with notifications/cancelled carrying its request id, codex is told decline (no file; the result says it was not answered in time), a late answer is ignored without output, and the proxy stays healthy (ping, and a second approval that is answered runs its command).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const CONFIGS = [
  { version: '0.169', args: [], name: '0.169' },
  { version: '0.77', args: ['--api', 'v1'], name: '0.77 --api v1' },
];

// Call the codex tool asking for `touch made.txt && echo hi` in a fresh cwd: its id, its cwd, the response promise.
function startCall(p) {
  const work = h.scratch('work');
  const id = p.nextId++;
  p.send({
    jsonrpc: '2.0', id, method: 'tools/call',
    params: { name: 'codex', arguments: { prompt: '[[shell:touch made.txt && echo hi]]', cwd: work, 'approval-policy': 'untrusted' } },
  });
  return { id, work, response: p.response(id, 30000) };
}

main(async () => {
  const mock = await h.mockModel();
  for (const cfg of CONFIGS) {
    const p = await h.codexRawProxy({ version: cfg.version, args: ['--approval-timeout', '2', ...cfg.args], mock });
    await p.initialize('2025-06-18', { elicitation: {} });

    // The first question is never answered.
    const call = startCall(p);
    const el = await p.waitFor((m) => m.method === 'elicitation/create', 20000);
    const askedAt = Date.now();
    ok(el.id !== undefined && el.id !== null, `${cfg.name}: an elicitation/create request came`);
    const cancelled = await p.waitFor((m) => m.method === 'notifications/cancelled', 20000).catch(() => null);
    const waited = Date.now() - askedAt;
    ok(cancelled, `${cfg.name}: the client received notifications/cancelled`);
    is(cancelled && cancelled.params && cancelled.params.requestId, el.id,
      `${cfg.name}: its requestId is the elicitation's id`);
    ok(waited >= 1500 && waited < 10000, `${cfg.name}: it came after about 2 s (${waited} ms)`);
    const r = await call.response;
    ok(r.result && !r.result.isError, `${cfg.name}: the call completed`);
    const text = h.textOf(r.result) || '';
    like(text, /codex-mcp-proxy declined codex's request to run a command[\s\S]*not answered within --approval-timeout/,
      `${cfg.name}: the result says the approval was not answered in time`);
    like(text, /rejected/, `${cfg.name}: codex was told decline (its tool output says rejected)`);
    ok(!fs.existsSync(path.join(call.work, 'made.txt')), `${cfg.name}: the command did not run (no file)`);

    // The late answer: nothing is said about it, and the proxy still answers a ping.
    const late = await p.probeLine(JSON.stringify({ jsonrpc: '2.0', id: el.id, result: { action: 'accept', content: { decision: 'accept' } } }));
    ok(late.pong && late.pong.result, `${cfg.name}: a ping after the late answer is answered`);
    is(late.raws, [], `${cfg.name}: the late answer produced no output`);
    await h.sleep(300);
    ok(!fs.existsSync(path.join(call.work, 'made.txt')), `${cfg.name}: the late accept did not run the command`);

    // A second call still works, and its question is answered in time.
    const second = startCall(p);
    const el2 = await p.waitFor((m) => m.method === 'elicitation/create' && m.id !== el.id, 20000).catch(() => null);
    ok(el2, `${cfg.name}: the second call's approval was asked`);
    ok(el2 && el2.id !== el.id, `${cfg.name}: with a new request id`);
    if (el2) p.send({ jsonrpc: '2.0', id: el2.id, result: { action: 'accept', content: { decision: 'accept' } } });
    const r2 = await second.response;
    ok(r2.result && !r2.result.isError, `${cfg.name}: the second call completed`);
    like(h.textOf(r2.result), /^Tool said: [\s\S]*\bhi\b/, `${cfg.name}: the second call's result carries the command's output`);
    ok(fs.existsSync(path.join(second.work, 'made.txt')), `${cfg.name}: the second, answered approval ran its command`);
    is(p.messages.filter((m) => m.method === 'notifications/cancelled').length, 1,
      `${cfg.name}: only the unanswered elicitation was cancelled`);
    await p.close();
  }
});
