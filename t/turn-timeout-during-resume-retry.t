// Proves: a codex-reply whose resume waits to retry on a writer lease held by another app-server (thread/resume: "already has an active writer", --resume-retry 30) gets, once --turn-timeout 1 fires, an isError result saying no turn had started within --turn-timeout, quickly and with the threadId; the retries stop, and over HTTP with --session-idle 1 the session is reaped afterwards, the proxy running clean under the sanitizers (an ASan build reports a leak there until the bridge frees the waiting call).
'use strict';
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const path = require('node:path');
const { ok, is, like, diag, cleanup, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const V = '2025-06-18';

// A fake app-server started by the test (not by the proxy) that starts and loads a thread in
// dir and runs one turn on it (a thread is stored once its first turn starts), holding its writer
// lease; it answers the thread id and stays until the test ends.
async function leaseHolder(dir) {
  const home = h.scratch('holder-home');
  // exec: the SIGTERM at cleanup must reach the fake itself, not a shell that would leave it running.
  const child = spawn('/bin/sh', ['-c', `exec ${h.fakeCommand('--state', dir, '--ignore-eof', '--log', path.join(dir, 'holder.log'))}`], {
    env: { ...process.env, HOME: home, CODEX_HOME: home }, stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  cleanup(async () => {
    child.kill('SIGTERM');
    await exited;
  });
  const lines = readline.createInterface({ input: child.stdout });
  const replies = new Map();
  let turnDone;
  const turnCompleted = new Promise((resolve) => { turnDone = resolve; });
  lines.on('line', (line) => {
    const msg = h.parseLine(line);
    if (msg.id !== undefined) replies.get(msg.id)?.(msg);
    if (msg.method === 'turn/completed') turnDone();
  });
  const ask = (id, method, params) => new Promise((resolve) => {
    replies.set(id, resolve);
    child.stdin.write(`${JSON.stringify({ id, method, params })}\n`);
  });
  await ask(1, 'initialize', { clientInfo: { name: 'holder', version: '0' } });
  const started = await ask(2, 'thread/start', {});
  const tid = started.result.thread.id;
  await ask(3, 'turn/start', { threadId: tid, input: [{ type: 'text', text: 'hold it' }] });
  await turnCompleted;
  return tid;
}

// The open HTTP sessions, from /metrics.
async function sessions(p) {
  const r = await p.request('GET', '/metrics');
  const m = /^codex_mcp_proxy_sessions (\d+)$/m.exec(r.body || '');
  return m ? Number(m[1]) : NaN;
}

main(async () => {
  const dir = h.scratch('lease');
  const tid = await leaseHolder(dir);
  like(tid, /^[0-9a-f-]{36}$/, 'another app-server holds the thread\'s writer lease');

  const home = h.scratch('proxy-home');
  const p = await h.httpProxy('lease-http', {
    dir, env: { HOME: home, CODEX_HOME: home },
    args: ['--turn-timeout', '1', '--resume-retry', '30', '--session-idle', '1', '-v'],
  });
  const { sid } = await p.initialize(V);
  ok(sid, 'an HTTP session opened');
  const t0 = Date.now();
  const r = await p.post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'codex-reply', arguments: { threadId: tid, prompt: 'hello' } } },
    { sid, version: V, timeout: 40000 });
  const elapsed = Date.now() - t0;
  const result = r.json && r.json.result;
  diag(`${elapsed} ms: ${JSON.stringify(result)}`);
  ok(result && result.isError === true, 'the call got an isError result');
  like(h.textOf(result), /no turn had started when --turn-timeout of 1 s ran out/, 'saying no turn had started within --turn-timeout');
  is(result && result.structuredContent && result.structuredContent.threadId, tid, 'naming the thread');
  ok(elapsed < 10000, `it came after about 1 s, not after the 30 s of --resume-retry (${elapsed} ms)`);

  const resumes = () => h.readJsonl(p.log).filter((l) => l.method === 'thread/resume').length;
  ok(resumes() >= 1, `the proxy's app-server was asked to resume (${resumes()} times)`);
  const n = resumes();
  await h.sleep(1500);
  is(resumes(), n, 'the retries stopped with the call');
  is(h.readJsonl(p.log).filter((l) => l.method === 'turn/start').length, 0, 'no turn was ever started');

  ok(await h.waitUntil(async () => (await sessions(p)) === 0, 15000), 'the idle session was reaped afterwards');
  const ping = await p.post({ jsonrpc: '2.0', id: 3, method: 'ping' }, { sid, version: V });
  is(ping.status, 404, 'its id now gets 404');
  const exit = await p.stop();
  is(exit, { code: 0, signal: null }, 'the proxy exits 0 on SIGTERM');
});
