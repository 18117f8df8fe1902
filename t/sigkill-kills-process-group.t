// Proves: when the proxy is killed with SIGKILL, no process of its app-server's group is left: not the launcher nor its child, which ignore stdin EOF (they get SIGTERM), nor a member that ignores SIGTERM too (it gets SIGKILL after a grace); the keeper that did it says so and is gone too; after a clean exit the keeper leaves at once and kills nothing.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// The live (not zombie) processes in process group pgid.
function groupMembers(pgid) {
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (f[0] !== 'Z' && Number(f[2]) === pgid) out.push(Number(d));
    } catch { /* gone meanwhile */ }
  }
  return out;
}

// The proxy's keeper: its child running codex-mcp-proxy --keeper (0 if none).
function keeperOf(pid) {
  for (const kid of fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) {
    try {
      if (fs.readFileSync(`/proc/${kid}/cmdline`, 'utf8').split('\0').includes('--keeper')) return Number(kid);
    } catch { /* gone meanwhile */ }
  }
  return 0;
}

main(async () => {
  const dir = h.scratch('sigkill');
  const pidfile = path.join(dir, 'launcher.pid');
  const childfile = path.join(dir, 'child.pid');
  // A group like codex's (sh, the npm launcher, the server it forks), none of
  // which exits at stdin EOF, and one more member that ignores SIGTERM.
  const fake = h.fakeCommand('--launcher', '--ignore-eof', '--pidfile', pidfile, '--child-pidfile', childfile, '--state', dir);
  const p = new h.RawProxy({ args: ['--upstream-cmd', `trap '' TERM; sleep 600 & ${fake}`] });
  await p.initialize();
  const r = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'hi' } });
  is(r.result && r.result.content[0].text, 'You said: hi', 'the app-server works');
  const pgid = Number((/started codex app-server \(pid (\d+)\)/.exec(p.stderr) || [])[1]);
  const launcher = Number(fs.readFileSync(pidfile, 'utf8'));
  const child = Number(fs.readFileSync(childfile, 'utf8'));
  const members = groupMembers(pgid);
  ok(members.length >= 4 && members.includes(launcher) && members.includes(child),
    `the group ${pgid} holds sh, the launcher, its child and sleep (${members.join(' ')})`);
  const keeper = keeperOf(p.pid);
  ok(keeper > 0 && h.alive(keeper), `the proxy has a keeper (pid ${keeper})`);

  p.child.kill('SIGKILL');
  is(await p.exited, { code: null, signal: 'SIGKILL' }, 'the proxy was killed');
  ok(await h.waitUntil(() => !h.alive(launcher) && !h.alive(child), 1500), 'the launcher and its child got SIGTERM at once');
  ok(await h.waitUntil(() => groupMembers(pgid).length === 0, 6000), 'no process of the group is left, the one ignoring SIGTERM included');
  ok(await h.waitUntil(() => !h.alive(keeper), 2000), 'the keeper is gone too');
  const said = /the proxy exited while 1 app-server group ran/;
  await h.waitUntil(() => said.test(p.stderr), 2000); // its line may still be in the pipe
  like(p.stderr, /the proxy exited while 1 app-server group ran \(first \d+\); the keeper sent SIGTERM, then SIGKILL/,
    'the keeper said what it did');

  // A clean exit: the keeper goes with the proxy and kills nothing.
  const q = await h.fakeRawProxy('sigkill-clean');
  await q.request('tools/call', { name: 'codex', arguments: { prompt: 'hi' } });
  const keeper2 = keeperOf(q.pid);
  ok(keeper2 > 0, 'the second proxy has a keeper too');
  is(await q.close(), { code: 0, signal: null }, 'the second proxy exited with status 0');
  ok(await h.waitUntil(() => !h.alive(keeper2), 1000), 'its keeper left with it');
  ok(!/keeper sent/.test(q.stderr), 'having killed nothing');
});
