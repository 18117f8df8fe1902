// Proves: codex-reply's per-turn model reaches the model on every codex release and API (v1 included), without losing the conversation's cwd, sandbox and approval policy, also after a proxy restart, and plain replies keep working afterwards.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// envTags: this release tells the model sandbox_mode and approval_policy in
// its <environment_context> message (0.169 describes permissions differently).
const CONFIGS = [
  { label: '0.50 auto', version: '0.50', args: [], envTags: true },
  { label: '0.77 auto', version: '0.77', args: [], envTags: true },
  { label: '0.77 --api v1', version: '0.77', args: ['--api', 'v1'], envTags: true },
  { label: '0.169 auto', version: '0.169', args: [], envTags: false },
];

// The request the model got for this prompt (the latest one).
function requestFor(mock, prompt) {
  return mock.requests.filter((q) => q.last_user === prompt).pop();
}

// Every value of <tag>...</tag> in the request's input.
function tagValues(q, tag) {
  const all = JSON.stringify((q && q.input) || []);
  return [...all.matchAll(new RegExp(`<${tag}>(.*?)</${tag}>`, 'g'))].map((m) => m[1]);
}

// The settings codex recorded for the thread's latest turn: the payload of
// the last turn_context record in its rollout ($CODEX_HOME/sessions/.../rollout-...-<id>.jsonl).
function lastTurnContext(home, tid) {
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
  const sessions = path.join(home, 'sessions');
  const file = fs.existsSync(sessions) ? walk(sessions).find((f) => f.endsWith(`-${tid}.jsonl`)) : undefined;
  if (!file) return undefined;
  return h.readJsonl(file).filter((r) => r.type === 'turn_context').map((r) => r.payload).pop();
}

// The turn ran with the conversation's own cwd, sandbox and approval policy:
// codex recorded them for it, and the model was told no others.
function settingsKept(label, what, q, home, tid, work, envTags) {
  ok(q !== undefined, `${label}: ${what} reached the model`);
  const ctx = lastTurnContext(home, tid) || {};
  const sandbox = ctx.sandbox_policy && (ctx.sandbox_policy.type || ctx.sandbox_policy.mode);
  is({ cwd: ctx.cwd, approval: ctx.approval_policy, sandbox },
    { cwd: work, approval: 'on-request', sandbox: 'read-only' },
    `${label}: ${what} ran with the conversation's cwd, approval policy and sandbox`);
  const cwds = tagValues(q, 'cwd');
  ok(cwds.length > 0 && cwds.every((c) => c === work), `${label}: ${what}: every cwd the model was told is the conversation's (${JSON.stringify(cwds)})`);
  if (envTags) {
    const told = [...tagValues(q, 'sandbox_mode'), ...tagValues(q, 'approval_policy')];
    ok(told.length >= 2 && told.every((v) => v === 'read-only' || v === 'on-request'),
      `${label}: ${what}: every sandbox and approval policy the model was told is the conversation's (${JSON.stringify(told)})`);
  }
}

async function overrides({ label, version, args, envTags }) {
  const work = h.scratch('work');
  const one = await h.codexSession({ version, args });
  const { mock } = one;
  const start = await one.client.callTool({
    name: 'codex',
    arguments: { prompt: 'first prompt', cwd: work, sandbox: 'read-only', 'approval-policy': 'on-request' },
  });
  ok(!start.isError, `${label}: codex succeeded`);
  const tid = start.structuredContent && start.structuredContent.threadId;
  const first = requestFor(mock, 'first prompt');
  is(first && first.body.model, 'mock-model', `${label}: the first turn used the configured model`);

  const sw = await one.client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: 'switch model', model: 'mock-model-b' } });
  ok(!sw.isError, `${label}: codex-reply with model succeeded`);
  is(h.textOf(sw), 'You said: switch model', `${label}: codex-reply with model answered`);
  is(sw.structuredContent && sw.structuredContent.threadId, tid, `${label}: codex-reply with model kept the thread`);
  const q = requestFor(mock, 'switch model');
  is(q && q.body.model, 'mock-model-b', `${label}: the per-turn model reached the model request`);
  settingsKept(label, 'the turn with a model', q, one.home, tid, work, envTags);

  const plain = await one.client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: 'after switch' } });
  ok(!plain.isError, `${label}: a plain codex-reply afterwards succeeded`);
  is(h.textOf(plain), 'You said: after switch', `${label}: a plain codex-reply afterwards answered`);
  settingsKept(label, 'the plain turn afterwards', requestFor(mock, 'after switch'), one.home, tid, work, envTags);

  await one.client.close();
  ok(await h.waitUntil(() => !h.alive(one.pid)), `${label}: the first proxy is gone`);

  const two = await h.codexSession({ version, args, mock, home: one.home });
  const hist = await two.client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: '[[history]]', model: 'mock-model-c' } });
  ok(!hist.isError, `${label}: after a restart, codex-reply with model succeeded`);
  is(hist.structuredContent && hist.structuredContent.threadId, tid, `${label}: after a restart, it is the same thread`);
  is(h.textOf(hist), 'History: first prompt | switch model | after switch | [[history]]', `${label}: after a restart, the model saw the whole history`);
  const q2 = requestFor(mock, '[[history]]');
  is(q2 && q2.body.model, 'mock-model-c', `${label}: after a restart, the per-turn model reached the model request`);
  settingsKept(label, 'the turn with a model after a restart', q2, one.home, tid, work, envTags);
  like(two.stderr(), /resumed conversation/, `${label}: the new proxy resumed the thread first`);

  const last = await two.client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: 'after restart' } });
  is(h.textOf(last), 'You said: after restart', `${label}: after a restart, a plain codex-reply works`);
  settingsKept(label, 'the plain turn after a restart', requestFor(mock, 'after restart'), one.home, tid, work, envTags);
  await two.client.close();
}

main(async () => {
  for (const c of CONFIGS) await overrides(c);
});
