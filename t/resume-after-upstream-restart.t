// Proves: when the real codex 0.169 app-server is killed between turns, the next codex-reply starts a new one, resumes the thread and the model sees the full history.
'use strict';
const fs = require('node:fs');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// The pids of a process's children, but for the proxy's keeper (codex-mcp-proxy --keeper).
function children(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
      .filter((kid) => {
        try {
          return !fs.readFileSync(`/proc/${kid}/cmdline`, 'utf8').split('\0').includes('--keeper');
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}

main(async () => {
  const p = await h.codexSession();
  const first = await p.client.callTool({ name: 'codex', arguments: { prompt: 'alpha' } });
  const tid = first.structuredContent.threadId;

  const [leader] = children(p.pid);
  ok(leader > 0, 'the proxy has an app-server child');
  process.kill(-leader, 'SIGKILL');
  ok(await h.waitUntil(() => /stopped: it was killed by signal 9/.test(p.stderr())), 'the proxy noticed the app-server died');

  const r = await p.client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: '[[history]]' } });
  ok(!r.isError, 'codex-reply works after the restart');
  is(h.textOf(r), 'History: alpha | [[history]]', 'the model saw the earlier turn');
  like(p.stderr(), /resumed conversation/, 'the thread was resumed on the new app-server');
  const [next] = children(p.pid);
  ok(next && next !== leader, 'a new app-server runs');
});
