// Proves: a conversation whose first turn never started has no rollout (codex saves one only once its first turn starts, since 0.151), and the proxy says so: on the fake, whose app-server dies right after thread/start, the codex call's isError names the threadId and says codex may not have saved it, and the codex-reply that follows gets an isError naming the id and why it cannot be continued; on real codex 0.169 and 0.171 a thread started and left without a turn (the app-server killed before any) gets that answer too, while one whose app-server is killed during its first turn was saved: the call's error says so and codex-reply continues it.
'use strict';
const fs = require('node:fs');
const { spawn } = require('node:child_process');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const NEVER_STARTED = /unknown threadId ([0-9a-f-]+): codex has no saved conversation with this id[\s\S]*whose first turn never started[\s\S]*start a new one with the codex tool/;

// The pids of the proxy's children, but for its keeper.
function children(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
      .filter((kid) => !fs.readFileSync(`/proc/${kid}/cmdline`, 'utf8').split('\0').includes('--keeper'));
  } catch {
    return [];
  }
}

// Start a thread on a real app-server of this release in home, kill it before any turn: the thread's id.
async function threadWithoutTurn(version, home) {
  const child = spawn('/bin/sh', ['-c', `exec ${h.codexCommand(version)}`], {
    env: h.childEnv({ CODEX_HOME: home }), stdio: ['pipe', 'pipe', 'ignore'], detached: true,
  });
  const waiting = new Map();
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    for (let i; (i = buf.indexOf('\n')) >= 0;) {
      const msg = JSON.parse(buf.slice(0, i));
      buf = buf.slice(i + 1);
      if (waiting.has(msg.id)) waiting.get(msg.id)(msg);
    }
  });
  const ask = (id, method, params) => new Promise((resolve) => {
    waiting.set(id, resolve);
    child.stdin.write(`${JSON.stringify({ id, method, params })}\n`);
  });
  await ask(1, 'initialize', { clientInfo: { name: 'tap', version: '0' } });
  const started = await ask(2, 'thread/start', {});
  const exited = new Promise((resolve) => child.on('exit', resolve));
  process.kill(-child.pid, 'SIGKILL');
  await exited;
  return started.result.thread.id;
}

main(async () => {
  const p = await h.fakeRawProxy('zero-turn', { fake: ['--exit-after-method', 'thread/start'] });
  const first = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'hello' } });
  const tid = first.result.structuredContent && first.result.structuredContent.threadId;
  ok(first.result.isError === true, 'fake: the codex call whose app-server died after thread/start is an error');
  ok(typeof tid === 'string', 'fake: it names the threadId');
  like(h.textOf(first.result), new RegExp(`codex never began this conversation's first turn, so it may not have saved the conversation: codex-reply with threadId ${tid} can continue it only if it did`),
    'fake: and says codex may not have saved it');
  const reply = await p.request('tools/call', { name: 'codex-reply', arguments: { threadId: tid, prompt: 'again' } });
  ok(reply.result.isError === true, 'fake: codex-reply on it is an error');
  like(h.textOf(reply.result), NEVER_STARTED, 'fake: which says why it cannot be continued');
  is(NEVER_STARTED.exec(h.textOf(reply.result))[1], tid, 'fake: naming the id');
  is(reply.result.structuredContent.threadId, tid, 'fake: also in structuredContent');

  for (const version of ['0.169', '0.171']) {
    const s = await h.codexSession({ version });
    const never = await threadWithoutTurn(version, s.home);
    const r = await s.client.callTool({ name: 'codex-reply', arguments: { threadId: never, prompt: 'hello?' } });
    ok(r.isError === true, `${version}: codex-reply on a thread whose first turn never started is an error`);
    like(h.textOf(r), NEVER_STARTED, `${version}: which says why`);
    is(NEVER_STARTED.exec(h.textOf(r) || '') && NEVER_STARTED.exec(h.textOf(r))[1], never, `${version}: naming the id`);

    const asked = s.mock.requests.length;
    const running = s.client.callTool({ name: 'codex', arguments: { prompt: '[[slow:50:200]]' } });
    ok(await h.waitUntil(() => s.mock.requests.length > asked), `${version}: the first turn reached the model`);
    const [leader] = children(s.pid);
    process.kill(-leader, 'SIGKILL');
    const died = await running;
    ok(died.isError === true, `${version}: the call whose app-server was killed during its first turn is an error`);
    const tid2 = died.structuredContent.threadId;
    like(h.textOf(died), new RegExp(`The conversation is saved: call codex-reply with threadId ${tid2}`), `${version}: which says the conversation is saved`);
    const next = await s.client.callTool({ name: 'codex-reply', arguments: { threadId: tid2, prompt: '[[history]]' } });
    is(h.textOf(next), 'History: [[slow:50:200]] | [[history]]', `${version}: and codex-reply continues it`);
  }
});
