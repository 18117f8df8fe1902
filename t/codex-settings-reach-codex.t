// Proves: the codex tool's settings (model, config, base and developer instructions, cwd) reach real codex 0.169 and, through it, the model.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const { mock, client } = await h.codexSession();
  const work = h.scratch('work');

  const r = await client.callTool({
    name: 'codex',
    arguments: {
      prompt: 'first settings',
      cwd: work,
      model: 'mock-model-b',
      'base-instructions': 'BASE-INSTRUCTIONS-MARK',
      'developer-instructions': 'DEVELOPER-INSTRUCTIONS-MARK',
      'approval-policy': 'never',
      sandbox: 'danger-full-access',
    },
  });
  ok(!r.isError, 'the call with every setting succeeded');
  const q = mock.requests.find((x) => x.last_user === 'first settings');
  is(q && q.body.model, 'mock-model-b', 'model reached the model request');
  const all = JSON.stringify(q && q.body);
  ok(all.includes('BASE-INSTRUCTIONS-MARK'), 'base-instructions reached the model');
  ok(all.includes('DEVELOPER-INSTRUCTIONS-MARK'), 'developer-instructions reached the model');
  ok(all.includes(work), 'cwd reached the model');

  const r2 = await client.callTool({ name: 'codex', arguments: { prompt: 'second settings', config: { model: 'model-from-config' } } });
  ok(!r2.isError, 'the call with config overrides succeeded');
  const q2 = mock.requests.find((x) => x.last_user === 'second settings');
  is(q2 && q2.body.model, 'model-from-config', 'a config override reached codex');

  const tid = r.structuredContent.threadId;
  const r3 = await client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: 'third settings', model: 'mock-model-c' } });
  ok(!r3.isError, 'codex-reply with a per-turn model succeeded');
  const q3 = mock.requests.find((x) => x.last_user === 'third settings');
  is(q3 && q3.body.model, 'mock-model-c', 'codex-reply switched the model for its turn');

  const bad = await client.callTool({ name: 'codex', arguments: { prompt: 'with a profile', profile: 'nope' } });
  ok(bad.isError === true, 'a profile codex 0.169 refuses gives an isError result');
  like(h.textOf(bad), /profile/, "the result carries codex's own message about the profile");
});
