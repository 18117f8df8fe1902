// Proves: the proxy offers the logging capability; codex's warnings reach the client as notifications/message level "warning" and the commands it runs as level "info" (logger "codex", real codex 0.169); logging/setLevel raises the threshold so that they stop; a bad level is -32602.
'use strict';
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const isLog = (m) => m.method === 'notifications/message';

main(async () => {
  const mock = await h.mockModel();
  const home = h.codexHome(mock);
  const p = new h.RawProxy({ args: ['--upstream-cmd', h.codexCommand('0.169')], env: { CODEX_HOME: home } });
  const init = await p.initialize();
  ok(init.result && init.result.capabilities && typeof init.result.capabilities.logging === 'object',
    'initialize advertises capabilities.logging');

  // A turn that runs a command; codex 0.169 also warns about the unknown model's metadata.
  const call = () => p.request('tools/call', {
    name: 'codex', arguments: { prompt: '[[shell:echo hi]]', 'approval-policy': 'never', sandbox: 'danger-full-access' },
  }, 60000);
  let before = p.messages.length;
  const r1 = await call();
  ok(r1.result && !r1.result.isError, 'the turn with a command succeeded');
  like(h.textOf(r1.result), /^Tool said: .*hi/s, 'the command ran');
  let logs = p.messages.slice(before).filter(isLog);
  diag(JSON.stringify(logs.map((m) => m.params)));
  const warning = logs.find((m) => m.params.level === 'warning');
  ok(warning, 'codex\'s warning arrived as a notifications/message of level warning');
  is(warning && warning.params.logger, 'codex', 'from logger codex');
  like(warning && warning.params.data, /mock-model/, 'saying what codex said (about mock-model)');
  const info = logs.find((m) => m.params.level === 'info');
  ok(info, 'the command arrived as a notifications/message of level info');
  is(info && info.params.logger, 'codex', 'from logger codex');
  like(info && info.params.data, /echo hi/, 'naming the command');
  const resultAt = p.messages.indexOf(r1);
  ok(logs.every((m) => p.messages.indexOf(m) < resultAt), 'all of them came before the result');

  // Level warning: the info goes, the warning stays.
  const w = await p.request('logging/setLevel', { level: 'warning' });
  is(w.result, {}, 'logging/setLevel warning is accepted');
  before = p.messages.length;
  const r2 = await call();
  ok(r2.result && !r2.result.isError, 'the same turn again succeeded');
  await h.sleep(300);
  logs = p.messages.slice(before).filter(isLog);
  ok(logs.some((m) => m.params.level === 'warning'), 'at level warning the warning still arrives');
  ok(!logs.some((m) => m.params.level === 'info'), 'but the command\'s info message does not');

  // Level error: neither.
  const e = await p.request('logging/setLevel', { level: 'error' });
  is(e.result, {}, 'logging/setLevel error is accepted');
  before = p.messages.length;
  const r3 = await call();
  ok(r3.result && !r3.result.isError, 'the same turn a third time succeeded');
  like(h.textOf(r3.result), /^Tool said: .*hi/s, 'and ran the command');
  await h.sleep(300);
  logs = p.messages.slice(before).filter(isLog);
  is(logs.map((m) => m.params.level), [], 'at level error neither the warning nor the info arrives');
  before = p.messages.length;
  const r4 = await p.request('tools/call', { name: 'codex', arguments: { prompt: '[[fail]]' } }, 60000);
  ok(r4.result && r4.result.isError, 'a failing turn fails');
  logs = p.messages.slice(before).filter(isLog);
  is(logs.map((m) => m.params.level), ['error'], 'and its error still arrives at level error, alone');
  like(logs[0] && logs[0].params.data, /mock failure/, 'saying what failed');

  // Bad levels.
  for (const level of ['loud', 'WARNING', '', 3]) {
    const bad = await p.request('logging/setLevel', { level });
    is(bad.error && bad.error.code, -32602, `level ${JSON.stringify(level)} is refused with -32602`);
  }
  const none = await p.request('logging/setLevel', {});
  is(none.error && none.error.code, -32602, 'a missing level is refused with -32602');
});
