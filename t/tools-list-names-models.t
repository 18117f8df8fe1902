// Proves: once the app-server has told its models (model/list), codex's and codex-reply's model argument lists them (the default marked, hidden ones left out) and reasoning-effort takes every effort they advertise besides its usual values, which then goes through; on the fake without model/list and on v1 the tools stay as schemas/ has them; on real codex 0.169 and 0.171 the list names the release's own models.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const FILE = (name) => JSON.parse(fs.readFileSync(path.join(h.TOP, 'schemas', `${name}.json`), 'utf8'));

// The tool of this name in a tools/list result.
async function tool(p, name) {
  const r = await p.request('tools/list', {});
  return r.result.tools.find((t) => t.name === name);
}

main(async () => {
  const p = await h.fakeRawProxy('models', { fake: ['--models'] });
  await p.request('tools/call', { name: 'codex', arguments: { prompt: 'ready?' } });
  for (const name of ['codex', 'codex-reply']) {
    const t = await tool(p, name);
    like(t.inputSchema.properties.model.description, /Models this Codex offers: `mock-model` \(the default\), `mock-mini`\.$/,
      `${name}: the model argument names the app-server's models`);
    ok(!t.inputSchema.properties.model.description.includes('mock-secret'), `${name}: but not a hidden one`);
    is(t.inputSchema.properties['reasoning-effort'].enum, [...FILE(name).inputSchema.properties['reasoning-effort'].enum, 'max'],
      `${name}: reasoning-effort takes the models' efforts too`);
    like(t.inputSchema.properties['reasoning-effort'].description, /This Codex's models take: `low`, `medium`, `high`, `max`\.$/,
      `${name}: and says which they take`);
  }
  const max = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'think hard', 'reasoning-effort': 'max' } });
  ok(!max.result.isError, 'an effort only the models advertise is taken');
  is(h.readJsonl(p.log).filter((m) => m.method === 'thread/start').pop().params.config.model_reasoning_effort, 'max', 'and reaches codex');

  for (const [label, fake] of [['without model/list', []], ['v1', ['--api', 'v1']]]) {
    const q = await h.fakeRawProxy(`models-${fake.length}`, { fake });
    await q.request('tools/call', { name: 'codex', arguments: { prompt: 'ready?' } });
    is(await tool(q, 'codex'), FILE('codex'), `${label}: codex is as schemas/codex.json has it`);
  }

  for (const version of ['0.169', '0.171']) {
    const s = await h.codexRawProxy({ version });
    await s.initialize();
    await s.request('tools/call', { name: 'codex', arguments: { prompt: 'ready?' } });
    const t = await tool(s, 'codex');
    like(t.inputSchema.properties.model.description, /Models this Codex offers: `[^`]+`.* \(the default\)/, `${version}: the model argument names the release's models`);
    ok(t.inputSchema.properties['reasoning-effort'].enum.length >= FILE('codex').inputSchema.properties['reasoning-effort'].enum.length,
      `${version}: reasoning-effort keeps its values (${t.inputSchema.properties['reasoning-effort'].enum.join(', ')})`);
  }
});
