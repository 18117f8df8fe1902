// Proves: on real codex 0.169 and 0.171 codex-list finds a conversation started by `codex exec` in the same CODEX_HOME beside one started through the proxy, each with the source it came from, although codex lists only interactive sources unless asked; sources narrows the list, and threadIds looks conversations up by id.
'use strict';
const { spawn } = require('node:child_process');
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// Run `codex exec PROMPT` of this release in home, against the mock; its exit code.
function codexExec(version, home, cwd, prompt) {
  const [, launcher] = h.codexCommand(version).split(' ');
  const child = spawn('node', [launcher, 'exec', '--skip-git-repo-check', prompt], {
    cwd, env: h.childEnv({ CODEX_HOME: home }), stdio: ['ignore', 'ignore', 'ignore'],
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

main(async () => {
  for (const version of ['0.169', '0.171']) {
    const mock = await h.mockModel();
    const home = h.codexHome(mock);
    is(await codexExec(version, home, h.scratch('exec'), 'hello from exec'), 0, `${version}: codex exec ran a turn`);
    const s = await h.codexSession({ version, mock, home });
    const mine = await s.client.callTool({ name: 'codex', arguments: { prompt: 'hello from the proxy' } });
    const tid = mine.structuredContent.threadId;

    const all = (await s.client.callTool({ name: 'codex-list', arguments: {} })).structuredContent.threads;
    const exec = all.find((t) => t.preview === 'hello from exec');
    const proxied = all.find((t) => t.threadId === tid);
    ok(exec !== undefined, `${version}: the codex exec conversation is listed`);
    ok(proxied !== undefined, `${version}: so is the proxy's`);
    is(exec && exec.source, 'exec', `${version}: it says it came from codex exec`);
    is(proxied && proxied.source, 'vscode', `${version}: the proxy's says it came from an app-server client (vscode)`);

    const narrowed = (await s.client.callTool({ name: 'codex-list', arguments: { sources: ['exec'] } })).structuredContent.threads;
    is(narrowed.map((t) => t.preview), ['hello from exec'], `${version}: sources [exec] lists only that one`);
    const looked = (await s.client.callTool({ name: 'codex-list', arguments: { threadIds: [tid] } })).structuredContent.threads;
    is(looked.map((t) => t.threadId), [tid], `${version}: threadIds finds the one asked for`);
    const both = (await s.client.callTool({ name: 'codex-list', arguments: { threadIds: [tid, exec && exec.threadId] } })).structuredContent.threads;
    is(both.map((t) => t.threadId).sort(), [tid, exec && exec.threadId].sort(), `${version}: and both when asked for both`);
  }
});
