// Proves: the MCP SDK v2 client pinned to 2026-07-28 gets codex's log messages (notifications/message) for a tools/call only when that call's _meta asks with io.modelcontextprotocol/logLevel, over stdio and over HTTP on real codex 0.169 and 0.171; a call without it gets none.
'use strict';
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const LEVEL = 'io.modelcontextprotocol/logLevel';

// Two calls on c, one asking for debug and one not: the messages each got.
async function twoCalls(c) {
  const got = [];
  c.setNotificationHandler('notifications/message', (n) => { got.push(n.params); });
  const a = await c.callTool({ name: 'codex', arguments: { prompt: '[[fail]]' }, _meta: { [LEVEL]: 'debug' } });
  await c.listTools();
  const asked = got.splice(0);
  const b = await c.callTool({ name: 'codex', arguments: { prompt: '[[fail]]' } });
  await c.listTools();
  return { a, b, asked, unasked: got.splice(0) };
}

main(async () => {
  for (const version of ['0.169', '0.171']) {
    const mock = await h.mockModel();
    const home = h.codexHome(mock);
    const cmd = h.codexCommand(version);

    const s = await h.sdk2Client(null, { args: ['--upstream-cmd', cmd], env: { CODEX_HOME: home } });
    const r = await twoCalls(s.client);
    ok(r.a.isError && r.b.isError, `stdio ${version}: both failing turns were answered`);
    ok(r.asked.some((m) => m.level === 'error' && /mock failure/.test(m.data)), `stdio ${version}: the call with logLevel got codex's error as a log message`);
    is(r.unasked, [], `stdio ${version}: the call without it got none`);
    await s.client.close();

    const p = await h.httpProxy(`sdk2-log-${version}`, { upstream: cmd, env: { CODEX_HOME: home } });
    const c = await h.sdk2Client(p.url);
    const q = await twoCalls(c.client);
    ok(q.a.isError && q.b.isError, `HTTP ${version}: both failing turns were answered`);
    ok(q.asked.some((m) => m.level === 'error' && /mock failure/.test(m.data)), `HTTP ${version}: the call with logLevel got codex's error as a log message`);
    is(q.unasked, [], `HTTP ${version}: the call without it got none`);
    await c.client.close();
    await p.stop();
  }
});
