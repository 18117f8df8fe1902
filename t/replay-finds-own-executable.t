// Proves: --upstream replay: runs the proxy's own executable however the proxy was started: by its absolute path, by a relative path from another directory, and by a bare name found in PATH (where there is no /proc link, as in a build configured with proxy_cv_proc_self_exe=no, that is all it has).
'use strict';
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const { is, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const TRACE = path.join(h.TOP, 't', 'data', 'trace-0.169-v2.jsonl');

// Start the proxy as command from cwd, make the replay script's first call, close: [answer, exit].
async function replayOnce(command, cwd, env) {
  const child = spawn(command, ['--upstream', `replay:${TRACE}`], { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const replies = new Map();
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const msg = h.parseLine(line);
    if (replies.has(msg.id)) replies.get(msg.id)(msg);
  });
  const ask = (id, method, params) => new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ timeout: true }), 20000);
    replies.set(id, (msg) => { clearTimeout(timer); resolve(msg); });
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
  });
  await ask(1, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'tap', version: '0' } });
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  const r = await ask(2, 'tools/call', { name: 'codex', arguments: { prompt: 'hello from the replay script' } });
  child.stdin.end();
  const exit = await exited;
  if (!r.result) diag(stderr);
  return [r.result ? h.textOf(r.result) : stderr.slice(-2000), exit];
}

main(async () => {
  const bindir = path.dirname(h.PROXY);
  const elsewhere = h.scratch('self-exe');
  const want = ['You said: hello from the replay script', { code: 0, signal: null }];
  is(await replayOnce(h.PROXY, elsewhere, {}), want, 'started by its absolute path, it replays');
  is(await replayOnce(path.relative(elsewhere, h.PROXY), elsewhere, {}), want, 'by a relative path, too');
  is(await replayOnce(path.basename(h.PROXY), elsewhere, { PATH: `${elsewhere}:${bindir}:${process.env.PATH}` }), want,
    'and by its name, looked up in PATH');
});
