// Proves: client notifications (initialized, cancelled for unknown, finished or garbage ids, unknown methods, bad params), before and after initialize, get no answer at all: the ping sent after each is the only new stdout line.
'use strict';
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const n = (method, params) => (params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params });

const NOTIFICATIONS = [
  ['initialized', n('notifications/initialized')],
  ['initialized with params {}', n('notifications/initialized', {})],
  ['initialized with params 5', n('notifications/initialized', 5)],
  ['initialized with params "x"', n('notifications/initialized', 'x')],
  ['cancelled for an unknown integer id', n('notifications/cancelled', { requestId: 424242, reason: 'test' })],
  ['cancelled for an unknown string id', n('notifications/cancelled', { requestId: 'nobody' })],
  ['cancelled with requestId null', n('notifications/cancelled', { requestId: null })],
  ['cancelled with requestId 1.5', n('notifications/cancelled', { requestId: 1.5 })],
  ['cancelled with requestId an object', n('notifications/cancelled', { requestId: { id: 1 } })],
  ['cancelled without requestId', n('notifications/cancelled', { reason: 'no id' })],
  ['cancelled without params', n('notifications/cancelled')],
  ['cancelled with params a string', n('notifications/cancelled', 'garbage')],
  ['cancelled with params an array', n('notifications/cancelled', [1, 2, 3])],
  ['cancelled with params null', n('notifications/cancelled', null)],
  ['progress', n('notifications/progress', { progressToken: 'x', progress: 1 })],
  ['roots/list_changed', n('notifications/roots/list_changed')],
  ['an unknown notification', n('notifications/no-such-thing', { a: 1 })],
  ['an unknown method without a notifications/ prefix', n('foo/bar')],
  ['an unknown notification with array params', n('foo/bar', [1, 2])],
  ['an unknown notification with params a number', n('foo/bar', 7)],
  ['a notification named like a request (ping)', n('ping')],
  ['a notification named tools/list', n('tools/list')],
  ['a notification named tools/call', n('tools/call', { name: 'codex', arguments: { prompt: 'must not run' } })],
  ['a notification named initialize', n('initialize', { protocolVersion: '2025-06-18' })],
];

main(async () => {
  const p = await h.fakeRawProxy('notify', { initialize: false });
  // Send one notification, then a ping; all stdout lines that came before the pong.
  const silent = async (msg) => {
    const { raws, pong } = await p.probeLine(JSON.stringify(msg));
    return { extra: raws, pong };
  };

  // Before initialize.
  for (const [what, msg] of NOTIFICATIONS) {
    const { extra, pong } = await silent(msg);
    is(extra, [], `before initialize, ${what}: no output`);
    ok(pong !== null, `before initialize, ${what}: the ping afterwards is answered`);
  }
  const init = await p.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'tap', version: '0' } });
  is(init.result && init.result.protocolVersion, '2025-06-18', 'initialize still works (the notification named initialize did nothing)');

  // After initialize.
  for (const [what, msg] of NOTIFICATIONS) {
    const { extra, pong } = await silent(msg);
    is(extra, [], `after initialize, ${what}: no output`);
    ok(pong !== null, `after initialize, ${what}: the ping afterwards is answered`);
  }

  // Cancelling a call that has already finished.
  const done = await p.request('tools/call', { name: 'codex', arguments: { prompt: '[[say:done]]' } });
  is(done.result && done.result.content[0].text, 'done', 'a tool call finished');
  const { extra } = await silent(n('notifications/cancelled', { requestId: done.id, reason: 'too late' }));
  is(extra, [], 'cancelled for a finished call: no output');
  is(p.messages.filter((m) => m.id === done.id).length, 1, 'the finished call still has exactly one response');

  // A server-to-client notification sent the wrong way.
  const resp = await silent({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'hi' } });
  is(resp.extra, [], 'notifications/message from the client: no output');

  // The notification named tools/call did not start a turn.
  await h.sleep(200);
  const turns = h.readJsonl(p.log).filter((m) => m.method === 'turn/start');
  is(turns.length, 1, 'only the one real tool call reached the app-server as a turn');
  is((await p.close()).code, 0, 'the proxy exits 0 on EOF');
});
