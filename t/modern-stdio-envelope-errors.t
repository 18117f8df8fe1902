// Proves: on stdio a 2026-07-28 request with a bad _meta envelope gets a clear error and starts nothing: no clientCapabilities or a version that is not a string is -32602, an unknown version is -32022 with the supported list and the requested version, an unknown logLevel is -32602; enveloped initialize, ping and logging/setLevel are -32601; once the process is pinned to 2026-07-28 a request without the envelope is -32602 and a plain initialize -32022; a good request still works after all of them.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const V = 'io.modelcontextprotocol/protocolVersion';
const C = 'io.modelcontextprotocol/clientCapabilities';
const E = { [V]: '2026-07-28', [C]: {} };

main(async () => {
  const p = await h.fakeRawProxy('modern-envelope', { initialize: false });

  const list = await p.request('tools/list', { _meta: E });
  is(list.result && list.result.resultType, 'complete', 'an enveloped tools/list as the first message is served as 2026-07-28');

  const noCaps = await p.request('tools/list', { _meta: { [V]: '2026-07-28' } });
  is(noCaps.error && noCaps.error.code, -32602, 'no clientCapabilities: -32602');
  like(noCaps.error && noCaps.error.message, /clientCapabilities/, 'naming what is missing');

  const numVersion = await p.request('tools/list', { _meta: { [V]: 20260728, [C]: {} } });
  is(numVersion.error && numVersion.error.code, -32602, 'a version that is not a string: -32602');

  const capsArray = await p.request('tools/list', { _meta: { [V]: '2026-07-28', [C]: [] } });
  is(capsArray.error && capsArray.error.code, -32602, 'clientCapabilities that are not an object: -32602');

  const old = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'x' }, _meta: { [V]: '1999-01-01', [C]: {} } });
  is(old.error && old.error.code, -32022, 'an unknown version: -32022');
  is(old.error && old.error.data, { supported: ['2026-07-28'], requested: '1999-01-01' },
    'with the supported versions and the requested one');
  const legacyVersion = await p.request('tools/list', { _meta: { [V]: '2025-11-25', [C]: {} } });
  is(legacyVersion.error && legacyVersion.error.code, -32022, 'a 2025 version in _meta: -32022 too (it is asked for with initialize)');

  const level = await p.request('tools/list', { _meta: { ...E, 'io.modelcontextprotocol/logLevel': 'loud' } });
  is(level.error && level.error.code, -32602, 'an unknown logLevel: -32602');

  for (const method of ['initialize', 'ping', 'logging/setLevel', 'resources/subscribe', 'tasks/list', 'no/such']) {
    const r = await p.request(method, { _meta: E, protocolVersion: '2025-06-18', level: 'info' });
    is(r.error && r.error.code, -32601, `enveloped ${method}: -32601`);
  }

  const bare = await p.request('tools/list', {});
  is(bare.error && bare.error.code, -32602, 'the process is pinned to 2026-07-28: a request without the envelope is -32602');
  like(bare.error && bare.error.message, /_meta/, 'saying that the envelope is needed');
  const init = await p.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '0' } });
  is(init.error && init.error.code, -32022, 'and a plain initialize is -32022');
  is(init.error && init.error.data && init.error.data.supported, ['2026-07-28'], 'naming the versions it serves');

  ok(!h.readJsonl(p.log).some((l) => l.method === 'thread/start'), 'none of the refused calls started a thread');
  const call = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'after the errors' }, _meta: E });
  is(h.textOf(call.result), 'You said: after the errors', 'a good tools/call still works');
  is(call.result && call.result.resultType, 'complete', 'as a 2026-07-28 result');
});
