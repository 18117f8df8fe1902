// Proves: two stdio proxies with --share-upstream and one CODEX_HOME share one real codex app-server (0.169 and 0.171) (started by the first in a private 0700 directory, attached to by the second over its unix socket), so they can alternate replies on one thread with no writer-lease error and the whole history; it outlives the first proxy while the second uses it, and is gone once both have exited and --share-idle has passed.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const l = require('./lib/listening.js');

main(async () => {
  const mock = await h.mockModel();
  for (const version of ['0.169', '0.171']) {
    const { runtime, env, args } = l.sharing(mock, version, 2);
    const a = await h.sdkProxy({ args, env, name: 'host-a' });
    const b = await h.sdkProxy({ args, env, name: 'host-b' });

    const first = await a.client.callTool({ name: 'codex', arguments: { prompt: 'alpha' } });
    const threadId = first.structuredContent.threadId;
    const answers = [first];
    for (const [who, prompt] of [[b, 'beta'], [a, 'gamma'], [b, 'delta']]) {
      answers.push(await who.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt } }));
    }
    const last = await a.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt: '[[history]]' } });
    ok(answers.every((r) => !r.isError), `${version}: every turn, from either host, worked`);
    ok(!answers.concat(last).some((r) => /active writer|lease/.test(h.textOf(r))), `${version}: no writer-lease error`);
    is(h.textOf(last), 'History: alpha | beta | gamma | delta | [[history]]', `${version}: the thread has the whole history`);

    const groups = l.appServerGroups(runtime);
    is(groups.length, 1, `${version}: one app-server serves both proxies`);
    const top = path.join(runtime, `codex-mcp-proxy-${process.getuid()}`);
    const dir = fs.readdirSync(top).find((f) => f.startsWith('share-'));
    is(fs.statSync(top).mode & 0o777, 0o700, `${version}: the runtime directory is private`);
    is(fs.statSync(path.join(top, dir)).mode & 0o777, 0o700, `${version}: so is the directory of the shared app-server`);

    await a.client.close();
    const still = await b.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt: 'after a left' } });
    ok(!still.isError, `${version}: the second proxy goes on after the first has exited`);
    is(l.appServerGroups(runtime).join(), groups.join(), `${version}: on the same app-server`);
    await b.client.close();
    ok(await h.waitUntil(() => l.appServerGroups(runtime).length === 0, 30000), `${version}: the app-server is gone once both have exited and the idle time has passed`);
    ok(!fs.existsSync(path.join(top, dir, 'app-server.sock')), `${version}: its socket is removed`);
    const served = path.join(top, dir, 'server.log');
    const log = fs.existsSync(served) ? fs.readFileSync(served, 'utf8') : '';
    h.checkSanitizers(log, `${version}: the server process`);
    ok(/unused for 2 s; stopping it/.test(log), `${version}: its server process logged why it stopped it`);
  }
});
