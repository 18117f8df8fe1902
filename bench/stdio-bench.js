// The stdio benchmark: the proxy against the same upstream sequence driven
// directly, in one run, both on the C fake app-server (bench/fake-appserver:
// instant answers, N streamed deltas of S bytes then turn/completed). Rows:
// start-up (spawn to the initialize answer), tools/list and a `codex` call
// round trip (p50/p99), and for each NxS a turn of N deltas: deltas
// consumed per second, the proxy's CPU per delta and its peak RSS. The
// ratio is proxy over direct, in time (so 2.0 is twice as slow).
'use strict';

const http = require('node:http');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');
const lib = require('./lib.js');

const TOP = process.env.TOP_SRCDIR || path.resolve(__dirname, '..');
const BUILD = process.env.BUILDDIR || TOP;
const MIB = 1024 * 1024;

const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

// Start a proxy on the fake; resolves once initialize is answered, with
// the ms from spawn to that answer.
async function startProxy(proxy, fake, extra = []) {
  const t0 = now();
  const child = spawn(proxy, [...extra, '--upstream-cmd', fake], { stdio: ['pipe', 'pipe', 'ignore'] });
  const rpc = lib.stdioRpc(child);
  const init = await rpc.request('initialize', lib.initializeParams('stdio-bench'));
  const startup = now() - t0;
  if (init.error) throw new Error(`initialize: ${init.error.message}`);
  rpc.notify('notifications/initialized');
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { child, rpc, startup, close: () => { child.stdin.end(); return exited; } };
}

// Start the fake alone and initialize it as the proxy would.
async function startFake(fake) {
  const t0 = now();
  const child = spawn(fake, [], { stdio: ['pipe', 'pipe', 'ignore'] });
  const rpc = lib.stdioRpc(child, { jsonrpc: false });
  await rpc.request('initialize', { clientInfo: { name: 'stdio-bench', version: '0' } });
  const startup = now() - t0;
  rpc.notify('initialized');
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { child, rpc, startup, close: () => { child.stdin.end(); return exited; } };
}

// Time fn() rounds times (after rounds/10 untimed); sorted ms.
async function timed(rounds, fn) {
  for (let i = 0; i < Math.ceil(rounds / 10); i++) await fn();
  const ms = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = now();
    await fn();
    ms.push(now() - t0);
  }
  return ms.sort((a, b) => a - b);
}

// One codex call through the proxy; throws unless it succeeded.
async function codexCall(p, prompt, progressToken) {
  const params = { name: 'codex', arguments: { prompt } };
  if (progressToken !== undefined) params._meta = { progressToken };
  const res = await p.rpc.request('tools/call', params);
  if (res.error || res.result.isError) throw new Error(`codex call: ${JSON.stringify(res).slice(0, 300)}`);
  return res.result.content[0].text;
}

// The direct sequence of one call: thread/start, turn/start, then read to
// turn/completed (counting nothing: the pipe's floor).
function directTurn(f, prompt) {
  return new Promise((resolve, reject) => {
    let tail = '';
    const onData = (d) => {
      const s = tail + d.toString('latin1', Math.max(0, d.length - 200));
      if (s.includes('"turn/completed"')) {
        f.child.stdout.off('data', onData);
        resolve();
      }
      tail = s.slice(-100);
    };
    f.rpc.request('thread/start', {}).then((r) => {
      if (r.error) { reject(new Error(r.error.message)); return; }
      f.child.stdout.on('data', onData);
      f.rpc.request('turn/start', { threadId: r.result.thread.id, input: [{ type: 'text', text: prompt }] });
    });
  });
}

// The proxy over HTTP with n sessions initialized and left idle: its RSS
// and peak RSS in MiB, before and after.
async function idleSessions(proxy, fake, n) {
  const port = await lib.freePort();
  const child = spawn(proxy, ['--listen', `127.0.0.1:${port}`, '--insecure-no-auth', '--upstream-cmd', fake],
    { stdio: ['ignore', 'ignore', 'ignore'] });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const post = (body) => new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', agent, headers: {
      'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res));
    });
    req.on('error', reject);
    req.end(body);
  });
  const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'stdio-bench', version: '0' } } });
  for (let i = 0; ; i++) {
    try { await post(init); break; } catch (err) { if (i > 100) throw err; await new Promise((r) => setTimeout(r, 20)); }
  }
  const before = lib.statusKiB(child.pid, 'VmRSS') / 1024;
  let opened = 1;
  while (opened < n) {
    const batch = [];
    for (let i = 0; i < 8 && opened < n; i++, opened++) batch.push(post(init));
    const res = await Promise.all(batch);
    if (res.some((r) => r.statusCode !== 200)) throw new Error(`initialize: ${res.map((r) => r.statusCode)}`);
  }
  await new Promise((r) => setTimeout(r, 200));
  const after = lib.statusKiB(child.pid, 'VmRSS') / 1024;
  const peak = lib.statusKiB(child.pid, 'VmHWM') / 1024;
  agent.destroy();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('exit', resolve));
  return { before, after, peak };
}

const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');

async function main() {
  const o = lib.options('node bench/stdio-bench.js [--rounds 200] [--starts 20] ' +
    '[--cases 1000x200,...] [--sessions 1000] [--fake PATH] [--proxy PATH] [--json]', {
    rounds: { type: 'string', default: '200' },
    starts: { type: 'string', default: '20' },
    cases: { type: 'string', default: '1000000x200,100000x200,100000x100,10000x1024,10000x16384,2000x65536' },
    sessions: { type: 'string', default: '1000' },
    fake: { type: 'string' },
  });
  const proxy = lib.proxyPath(o.proxy);
  const fake = path.resolve(o.fake || path.join(BUILD, 'bench', 'fake-appserver'));
  const direct = path.join(path.dirname(fake), 'direct-turn');
  const rounds = Number(o.rounds);
  const rows = [];
  const row = (what, direct, viaProxy, ratio, extra = {}) => rows.push({ what, direct, proxy: viaProxy, ratio, ...extra });

  // Start-up: spawn to the initialize answer.
  const ps = [];
  const fs = [];
  for (let i = 0; i < Number(o.starts); i++) {
    const p = await startProxy(proxy, fake);
    ps.push(p.startup);
    await p.close();
    const f = await startFake(fake);
    fs.push(f.startup);
    await f.close();
  }
  ps.sort((a, b) => a - b);
  fs.sort((a, b) => a - b);
  row('initialize after spawn p50 ms', lib.quantile(fs, 0.5), lib.quantile(ps, 0.5));
  row('initialize after spawn p90 ms', lib.quantile(fs, 0.9), lib.quantile(ps, 0.9));
  row('initialize after spawn p99 ms', lib.quantile(fs, 0.99), lib.quantile(ps, 0.99));

  // Round trips, on one proxy and one fake.
  const p = await startProxy(proxy, fake);
  const f = await startFake(fake);
  const pl = await timed(rounds, () => p.rpc.request('tools/list', {}));
  const fl = await timed(rounds, () => f.rpc.request('thread/list', {}));
  row('tools/list round trip p50 ms', lib.quantile(fl, 0.5), lib.quantile(pl, 0.5));
  row('tools/list round trip p99 ms', lib.quantile(fl, 0.99), lib.quantile(pl, 0.99));
  const pc = await timed(rounds, () => codexCall(p, 'hello'));
  const fc = await timed(rounds, () => directTurn(f, 'hello'));
  row('codex call p50 ms', lib.quantile(fc, 0.5), lib.quantile(pc, 0.5));
  row('codex call p99 ms', lib.quantile(fc, 0.99), lib.quantile(pc, 0.99));
  await p.close();
  await f.close();

  // Turns of N deltas of S bytes, each on a fresh proxy and fake.
  for (const c of o.cases.split(',')) {
    const [n, s] = c.split('x').map(Number);
    const prompt = `deltas ${n} size ${s}`;
    const directMs = Number(execFileSync(direct, [fake, prompt], { encoding: 'utf8' }));

    const pd = await startProxy(proxy, fake);
    const cpu0 = lib.cpuSeconds(pd.child.pid);
    // The deltas are consumed once the result starts to come (the
    // client's reading of a long result is not the proxy's time).
    let resultAt;
    const onData = (d) => { if (resultAt === undefined && d.includes('"content":[')) resultAt = now(); };
    pd.child.stdout.on('data', onData);
    const t1 = now();
    const text = await codexCall(pd, prompt, 'bench');
    const callMs = now() - t1;
    const proxyMs = resultAt - t1;
    const cpu = lib.cpuSeconds(pd.child.pid) - cpu0;
    const peak = lib.statusKiB(pd.child.pid, 'VmHWM') / 1024;
    await pd.close();
    const answer = Buffer.byteLength(text) / MIB;
    const dr = n / (directMs / 1000);
    const pr = n / (proxyMs / 1000);
    row(`${n} deltas of ${s} B: deltas/s`, dr, pr, dr / pr, {
      callMs, cpuUsPerDelta: (cpu * 1e6) / n, peakMiB: peak, answerMiB: answer, rssLimitMiB: 8 + 2 * answer,
    });
  }

  // Idle HTTP sessions: what they cost the proxy in memory.
  if (Number(o.sessions) > 0) {
    const s = await idleSessions(proxy, fake, Number(o.sessions));
    row(`${o.sessions} idle HTTP sessions: RSS MiB`, NaN, s.after, NaN, { peakMiB: s.peak });
    row('  (RSS with one session, MiB)', NaN, s.before, NaN);
  }

  for (const r of rows) if (r.ratio === undefined) r.ratio = r.proxy / r.direct;
  if (o.json) {
    console.log(JSON.stringify(rows, null, 1));
    return;
  }
  console.log(`# ${new Date().toISOString()}; ${rounds} round trips; proxy ${proxy}`);
  lib.printTable(['measure', 'direct', 'proxy', 'ratio', 'call ms', 'proxy CPU us/delta', 'proxy peak RSS MiB', 'answer MiB', '8 MiB + 2x answer'],
    rows.map((r) => [r.what, fmt(r.direct, r.direct > 1000 ? 0 : 2), fmt(r.proxy, r.proxy > 1000 ? 0 : 2), fmt(r.ratio),
      fmt(r.callMs, 0), fmt(r.cpuUsPerDelta), fmt(r.peakMiB, 1), fmt(r.answerMiB, 2), fmt(r.rssLimitMiB, 1)]));
}

lib.run(main);
