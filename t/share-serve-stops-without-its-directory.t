// Proves: the server process of a --share-upstream app-server stops the app-server and exits when its directory is removed while it runs (it can no longer count its users), instead of running on for ever.
'use strict';
const fs = require('node:fs');
const { ok, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const l = require('./lib/listening.js');

// The pids of the share-serve processes for directories under dir.
function servers(dir) {
  return fs.readdirSync('/proc').filter((f) => /^\d+$/.test(f)).filter((pid) => {
    try {
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return argv.includes('--share-serve') && argv.some((a) => a.startsWith(dir));
    } catch { return false; }
  });
}

main(async () => {
  const mock = await h.mockModel();
  const runtime = h.scratch('runtime');
  const p = await h.sdkProxy({
    args: ['--share-upstream', '--share-idle', '3600', '--upstream-cmd', h.codexCommand('0.169')],
    env: { CODEX_HOME: h.codexHome(mock), XDG_RUNTIME_DIR: runtime },
  });
  const r = await p.client.callTool({ name: 'codex', arguments: { prompt: 'alpha' } });
  ok(!r.isError, 'the shared app-server serves');
  ok(servers(runtime).length === 1 && l.appServerGroups(runtime).length === 1, 'its server process and app-server run');
  await p.client.close();
  fs.rmSync(`${runtime}/codex-mcp-proxy-${process.getuid()}`, { recursive: true, force: true });
  ok(await h.waitUntil(() => servers(runtime).length === 0 && l.appServerGroups(runtime).length === 0, 30000),
    'with its directory gone, both are gone (the idle time is an hour)');
});
