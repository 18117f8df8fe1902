// Proves: every real codex the harness starts (under a stdio proxy, an SDK client's proxy and an HTTP proxy) runs with a throwaway HOME of its own and its test's CODEX_HOME, never the user's HOME (codex runs approved commands with bash -lc, which reads ~/.bashrc).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// The pids of pid's descendants.
function descendants(pid) {
  const parent = new Map();
  for (const p of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      parent.set(Number(p), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* gone */ }
  }
  const found = [];
  for (let more = [pid]; more.length > 0;) {
    const p = more.pop();
    for (const [child, ppid] of parent) if (ppid === p) { found.push(child); more.push(child); }
  }
  return found;
}

// The environment of each codex process under pid, once there is a codex binary.
async function codexEnvs(pid) {
  const read = (p) => {
    try {
      const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8');
      const env = Object.fromEntries(fs.readFileSync(`/proc/${p}/environ`, 'utf8').split('\0')
        .filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
      return { cmd, env };
    } catch {
      return null;
    }
  };
  let found = [];
  await h.waitUntil(() => {
    found = descendants(pid).map(read).filter((p) => p && /codex/.test(p.cmd));
    return found.some((p) => /app-server/.test(p.cmd) && !/codex\.js/.test(p.cmd));
  }, 30000);
  return found;
}

// Every codex under pid has a HOME in the temporary directory, not the user's, and this CODEX_HOME.
async function check(label, pid, home) {
  const envs = await codexEnvs(pid);
  ok(envs.length >= 2, `${label}: the launcher and codex itself are running (${envs.length} processes)`);
  for (const { cmd, env } of envs) {
    const name = cmd.split('\0').slice(0, 2).join(' ');
    ok(env.HOME !== process.env.HOME && env.HOME.startsWith(os.tmpdir()), `${label}: ${name} has HOME ${env.HOME}, not the user's ${process.env.HOME}`);
    is(env.CODEX_HOME, home, `${label}: ${name} has the test's CODEX_HOME`);
  }
}

main(async () => {
  const mock = await h.mockModel();
  const raw = await h.codexRawProxy({ mock });
  await raw.initialize();
  await check('stdio', raw.pid, raw.home);
  const sdk = await h.codexSession({ mock });
  await check('SDK client', sdk.pid, sdk.home);
  const home = h.codexHome(mock);
  const http = await h.httpProxy('throwaway-home', { upstream: h.codexCommand('0.169'), env: { CODEX_HOME: home } });
  await check('HTTP', http.pid, home);
});
