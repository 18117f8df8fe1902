// Proves: behind HAProxy with contrib/haproxy.cfg, two HTTP proxies (each with its own real codex 0.171 app-server, one shared CODEX_HOME) serve 4 SDK v2 clients pinned to 2026-07-28 for 10 rounds of turns on shared threads (each client replies to threads the others started): every call sticks to the instance that holds its thread (no lease error), both instances hold threads, and every history is complete; a 2025-era SDK client's session sticks to its instance; after one proxy is killed (SIGKILL, its app-server with it) in the middle of four running turns, the calls it was answering are cut off, asked again they and every later turn run on the other instance, which resumes its threads with their histories.
'use strict';
const path = require('node:path');
const { spawn } = require('node:child_process');
const tap = require('./lib/tap.js');
const { ok, is, main } = tap;
const h = require('./lib/harness.js');
const l = require('./lib/listening.js');

const CLIENTS = 4;
const ROUNDS = 10;
const KILL_AFTER = 5;
const CUT_MS = 15000;

// HAProxy with the shipped configuration in front of the two proxies, once it listens.
async function haproxy(dir, backends) {
  const port = await l.freePort();
  const child = spawn('haproxy', ['-db', '-f', path.join(h.TOP, 'contrib', 'haproxy.cfg')], {
    cwd: dir, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/usr/local/sbin`, MCP_LISTEN: `127.0.0.1:${port}`, MCP_PROXY1: `127.0.0.1:${backends[0].port}`, MCP_PROXY2: `127.0.0.1:${backends[1].port}` },
  });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  tap.cleanup(async (failed) => {
    child.kill('SIGKILL');
    await exited;
    if (failed) tap.diag(`haproxy:\n${out.slice(-3000)}`);
  });
  if (!await h.waitUntil(() => l.connectable({ port }), 10000)) throw new Error(`haproxy did not listen: ${out}`);
  return { url: `http://127.0.0.1:${port}/mcp`, output: () => out };
}

// The threads an instance started or resumed, from its log.
function held(p) {
  return [...p.stderr().matchAll(/(?:new|resumed) conversation ([0-9a-f-]{36})/g)].map((m) => m[1]);
}

main(async () => {
  const dir = h.scratch('haproxy');
  const mock = await h.mockModel();
  const home = h.codexHome(mock);
  const proxies = [];
  for (const n of [1, 2]) {
    proxies.push(await h.httpProxy(`haproxy-${n}`, {
      upstream: h.codexCommand('0.171'), env: { CODEX_HOME: home }, args: ['-v'],
    }));
  }
  const lb = await haproxy(dir, proxies);
  const clients = [];
  for (let i = 0; i < CLIENTS; i++) clients.push((await h.sdk2Client(lb.url, { name: `client-${i}` })).client);

  // Each client starts a thread; prompts[t] is what was said on thread t, in order.
  const threads = [];
  const prompts = [];
  for (let i = 0; i < CLIENTS; i++) {
    const r = await clients[i].callTool({ name: 'codex', arguments: { prompt: `start ${i}` } });
    ok(!r.isError && r.structuredContent && r.structuredContent.threadId, `client ${i} started a conversation`);
    threads.push(r.structuredContent.threadId);
    prompts.push([`start ${i}`]);
  }
  ok(proxies.every((p) => held(p).length > 0), 'both instances hold threads');

  // A 2025-era session sticks to the instance that answered its initialize.
  const old = (await h.httpSdkClient(lb.url, 'client-2025')).client;
  const o1 = await old.callTool({ name: 'codex', arguments: { prompt: 'old one' } });
  const oid = o1.structuredContent && o1.structuredContent.threadId;
  const o2 = await old.callTool({ name: 'codex-reply', arguments: { threadId: oid, prompt: 'old two' } });
  const o3 = await old.callTool({ name: 'codex-reply', arguments: { threadId: oid, prompt: '[[history]]' } });
  is([o1, o2].map((r) => !!r.isError), [false, false], 'a 2025-era session\'s calls all reach its instance');
  is(h.textOf(o3), 'History: old one | old two | [[history]]', 'and its conversation has its history');
  await old.close();

  const failures = [];
  const lost = [];
  // Round n: client i replies on the thread client (i + n) % CLIENTS started, all at once; a call
  // whose instance dies under it is asked again (as a client would), once. SDK 2.4.0 does not see a
  // response stream end without the answer, so for the round of the kill it gives up after CUT_MS.
  const round = (n, slow = '') => Promise.all(clients.map(async (c, i) => {
    const t = (i + n) % CLIENTS;
    const prompt = `${slow}round ${n} from ${i}`;
    const ask = (opts) => c.callTool({ name: 'codex-reply', arguments: { threadId: threads[t], prompt } }, opts);
    let r;
    try {
      r = await ask(slow ? { timeout: CUT_MS } : undefined);
    } catch (e) {
      lost.push({ t, prompt, why: String(e) });
      r = await ask();
    }
    if (r.isError) failures.push(`round ${n} client ${i}: ${h.textOf(r)}`);
    else prompts[t].push(prompt);
  }));
  for (let n = 1; n <= KILL_AFTER; n++) await round(n);
  is(failures, [], `${KILL_AFTER} rounds of 4 replies on shared threads: no errors, no lease error`);
  failures.length = 0;
  ok(proxies.every((p) => !/resumed conversation|held elsewhere/.test(p.stderr())),
    'every call went to the instance that started its thread: none had to resume one');
  const before = proxies.map(held);

  // The next round's turns are slow; once all four are running, one instance is killed.
  const victim = proxies[0];
  const moved = threads.filter((t) => before[0].includes(t));
  ok(moved.length > 0, `the instance to be killed holds ${moved.length} thread(s)`);
  const slow = '[[slow:20:100]] ';
  const running = round(KILL_AFTER + 1, slow);
  const asked = () => clients.every((c, i) => mock.requests.some((q) => q.last_user === `${slow}round ${KILL_AFTER + 1} from ${i}`));
  ok(await h.waitUntil(asked, 60000), 'all four slow turns are running');
  process.kill(victim.pid, 'SIGKILL');
  await victim.exited;
  await running;
  is(lost.map((x) => x.t).sort(), moved.map((t) => threads.indexOf(t)).sort(),
    'the calls on the killed instance were cut off, and only those');
  for (let n = KILL_AFTER + 2; n <= ROUNDS; n++) await round(n);
  is(failures, [], `the calls asked again and rounds ${KILL_AFTER + 2} to ${ROUNDS}: no errors`);
  const resumed = [...proxies[1].stderr().matchAll(/resumed conversation ([0-9a-f-]{36})/g)].map((m) => m[1]);
  ok(moved.every((t) => resumed.includes(t)), 'the killed instance\'s threads were resumed on the other');

  for (let t = 0; t < CLIENTS; t++) {
    const r = await clients[(t + 1) % CLIENTS].callTool({ name: 'codex-reply', arguments: { threadId: threads[t], prompt: '[[history]]' } });
    const want = [...prompts[t], '[[history]]'];
    const cut = lost.find((x) => x.t === t);
    // The turn cut off may have left its message in the rollout, before the one asked again.
    const also = cut ? [want.slice(0, want.indexOf(cut.prompt)).concat(want.slice(want.indexOf(cut.prompt)))] : [];
    if (cut) also[0].splice(want.indexOf(cut.prompt), 0, cut.prompt);
    const text = h.textOf(r);
    ok([want, ...also].some((w) => text === `History: ${w.join(' | ')}`), `thread ${t}: the history has every turn, in order`);
    if (![want, ...also].some((w) => text === `History: ${w.join(' | ')}`)) tap.diag(`got ${text}\nwant ${want.join(' | ')}`);
  }
});
