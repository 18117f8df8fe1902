// Proves: a stdio process picks its era from its opening: a leading server/discover is a probe answered as 2026-07-28 (supportedVersions, capabilities, instructions, resultType, ttlMs, cacheScope and serverInfo in _meta) after which an initialize still opens a 2025 session exactly as before (no resultType, no _meta, the 2025 tools/list), and that session keeps ignoring the envelope; an initialize opening is never modern.
'use strict';
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const E = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };

main(async () => {
  const p = await h.fakeRawProxy('pins-era', { initialize: false });
  const d = await p.request('server/discover', { _meta: E });
  const r = d.result || {};
  is(r.supportedVersions, ['2026-07-28'], 'server/discover lists 2026-07-28');
  is(r.resultType, 'complete', 'with resultType complete');
  ok(r.capabilities && r.capabilities.tools && r.capabilities.logging, 'it offers tools and logging');
  ok(!(r.capabilities && r.capabilities.tasks), 'not the 2025 tasks capability');
  ok(typeof r.instructions === 'string' && /codex-reply/.test(r.instructions), 'and the instructions');
  ok(Number.isInteger(r.ttlMs) && r.ttlMs >= 0, 'ttlMs is a whole number of milliseconds');
  ok(['public', 'private'].includes(r.cacheScope), 'cacheScope is public or private');
  is(r._meta && r._meta['io.modelcontextprotocol/serverInfo'] && r._meta['io.modelcontextprotocol/serverInfo'].name, 'codex-mcp-proxy',
    'serverInfo is in the result _meta');

  const init = await p.initialize('2025-11-25');
  is(init.result && init.result.protocolVersion, '2025-11-25', 'an initialize after the probe opens a 2025 session');
  ok(init.result && !('resultType' in init.result) && !('_meta' in init.result), 'its answer has no 2026 fields');
  const list = await p.request('tools/list', {});
  ok(list.result && !('resultType' in list.result) && !('ttlMs' in list.result), 'tools/list is the 2025 one');
  ok(!JSON.stringify(list.result).includes('x-mcp-header'), 'without x-mcp-header annotations');
  const enveloped = await p.request('tools/list', { _meta: E });
  is(enveloped.result, list.result, 'the 2025 session serves an enveloped request as 2025 too');

  const q = await h.fakeRawProxy('pins-era-legacy', { initialize: true });
  const after = await q.request('server/discover', { _meta: E });
  is(after.error && after.error.code, -32601, 'after an initialize opening server/discover is an unknown method, as before');
});
