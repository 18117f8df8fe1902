// Proves: the app-server inherits none of the proxy's own descriptors (the -l log file, also after a SIGHUP reopened it, the --trace file, the listening socket, an accepted client connection), and the log file is created mode 0600 like the trace, although -vv writes every prompt and answer into it; an existing log file keeps its mode, and with -vv the log warns when others can read it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const V = '2025-06-18';

// What a process's descriptors above 2 link to (sockets as socket:[inode]).
function targetsOf(pid) {
  const dir = `/proc/${pid}/fd`;
  const targets = new Set();
  for (const fd of fs.readdirSync(dir).map(Number).filter((n) => n > 2)) {
    try { targets.add(fs.readlinkSync(`${dir}/${fd}`)); } catch { /* closed meanwhile */ }
  }
  return targets;
}

// What the proxy opened itself: not what it inherited from us (make's pipes...),
// nor anon_inode:[eventpoll]-like names that every process has its own of.
function ownTargetsOf(pid) {
  const ours = targetsOf('self');
  return new Set([...targetsOf(pid)].filter((t) => !ours.has(t) && !t.startsWith('anon_inode:')));
}

// The file's permission bits, in octal.
const modeOf = (file) => (fs.statSync(file).mode & 0o777).toString(8);

main(async () => {
  const dir = h.scratch('fds');
  const log = path.join(dir, 'proxy.log');
  const trace = path.join(dir, 'trace.jsonl');
  process.umask(0o022);
  const p = await h.httpProxy('fds', { dir, args: ['-l', log, '-vv', '--trace', trace] });
  const { sid } = await p.initialize(V);
  const call = async (prompt, id) => {
    const res = await p.post({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'codex', arguments: { prompt } } }, { sid, version: V });
    return res.json && res.json.result;
  };
  // The app-server's descriptors above 2 that the proxy holds too, by kind.
  const shared = async (id) => {
    const r = await call('[[fds]]', id);
    let child = null;
    try { child = JSON.parse(h.textOf(r)); } catch { /* reported below */ }
    if (!ok(Array.isArray(child), `call ${id}: the app-server listed its descriptors`)) return null;
    const proxy = ownTargetsOf(p.pid);
    diag(`app-server: ${JSON.stringify(child)}; proxy: ${JSON.stringify([...proxy])}`);
    const leaked = child.filter((d) => proxy.has(d.target)).map((d) => d.target);
    return {
      files: leaked.filter((t) => t.startsWith('/')),
      sockets: leaked.filter((t) => t.startsWith('socket:')),
      other: leaked.filter((t) => !t.startsWith('/') && !t.startsWith('socket:')),
      proxySockets: [...proxy].filter((t) => t.startsWith('socket:')).length,
    };
  };

  is(modeOf(log), '600', 'the log file is created mode 0600 (umask 022)');
  is(modeOf(trace), '600', 'so is the trace');
  const first = await shared(10);
  if (first) {
    ok(first.proxySockets >= 1, 'the proxy holds its listening socket');
    is(first.files, [], 'the app-server holds neither the log file nor the trace');
    is(first.sockets, [], 'nor the listening socket');
    is(first.other, [], 'nor any other descriptor of the proxy (pipes, ...)');
  }

  fs.renameSync(log, `${log}.1`);
  p.child.kill('SIGHUP');
  ok(await h.waitUntil(() => fs.existsSync(log), 5000), 'after SIGHUP the log file is created again');
  is(fs.existsSync(log) && modeOf(log), '600', 'mode 0600 again');

  // A client connection open while the app-server restarts.
  const get = await p.stream('GET', '/mcp', { headers: { Accept: 'text/event-stream', 'Mcp-Session-Id': sid, 'MCP-Protocol-Version': V } });
  is(get.status, 200, 'a GET stream stays open');
  const died = await call('[[die]]', 11);
  ok(died && died.isError, 'the app-server died mid-turn');
  const second = await shared(12);
  const starts = [log, `${log}.1`].map((f) => fs.readFileSync(f, 'utf8').match(/started codex app-server/g) || []);
  is(starts.map((m) => m.length), [1, 1], 'the call started a second app-server (logged in the reopened log)');
  if (second) {
    ok(second.proxySockets >= 2, 'the proxy holds the listening socket and the accepted connection');
    is(second.files, [], 'the restarted app-server holds neither the reopened log file nor the trace');
    is(second.sockets, [], 'nor the listening socket or the accepted connection');
    is(second.other, [], 'nor any other descriptor of the proxy');
  }
  get.close();

  const old = path.join(dir, 'old.log');
  fs.writeFileSync(old, '');
  fs.chmodSync(old, 0o644);
  const q = await h.fakeRawProxy('fds-old', { args: ['-l', old, '-vv'] });
  await q.close();
  is(modeOf(old), '644', 'an existing log file keeps its mode');
  like(fs.readFileSync(old, 'utf8'), /warning: \S+old\.log is readable by others \(mode 644\), and with -vv it holds every prompt and answer\n/,
    'and the log warns that others can read it');
});
