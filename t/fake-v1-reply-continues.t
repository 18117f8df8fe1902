// Proves: on the fake's v1 mode codex-reply on a loaded conversation sends sendUserMessage (no resume) when nothing changes, and sendUserTurn with the new cwd plus the model, approval policy and sandbox codex recorded in the rollout's turn_context when a setting changes; both answer on the same threadId.
'use strict';
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const p = await h.fakeRawProxy('v1-reply', { fake: ['--api', 'v1'] });
  const work = h.scratch('v1-work');
  const first = await p.request('tools/call', {
    name: 'codex', arguments: { prompt: 'one', 'approval-policy': 'on-request', sandbox: 'read-only' },
  });
  const tid = first.result.structuredContent.threadId;
  const plain = await p.request('tools/call', { name: 'codex-reply', arguments: { threadId: tid, prompt: 'two' } });
  is(h.textOf(plain.result), 'You said: two', 'a plain reply answers');
  is(plain.result.structuredContent.threadId, tid, 'on the same thread');
  const moved = await p.request('tools/call', { name: 'codex-reply', arguments: { threadId: tid, prompt: 'three', cwd: work } });
  is(h.textOf(moved.result), 'You said: three', 'a reply with a new cwd answers');
  is(moved.result.structuredContent.threadId, tid, 'on the same thread');

  const log = h.readJsonl(p.log).filter((l) => l.method !== undefined);
  is(log.filter((l) => l.method === 'resumeConversation').length, 0, 'no resumeConversation: the conversation was loaded');
  is(log.filter((l) => l.method === 'newConversation').length, 1, 'and no second newConversation');
  const created = log.find((l) => l.method === 'newConversation');
  is([created.params.approvalPolicy, created.params.sandbox], ['on-request', 'read-only'], 'newConversation carried the codex tool\'s settings');
  const turns = log.filter((l) => l.method === 'sendUserMessage' || l.method === 'sendUserTurn');
  is(turns.map((l) => l.method), ['sendUserMessage', 'sendUserMessage', 'sendUserTurn'], 'the turns went out as sendUserMessage, sendUserMessage, sendUserTurn');
  const turn = turns[2] || { params: {} };
  is(turn.params, {
    conversationId: tid, items: [{ type: 'text', data: { text: 'three' } }], cwd: work, model: 'mock-model',
    approvalPolicy: 'on-request', summary: 'auto', sandboxPolicy: { type: 'read-only' },
  }, 'sendUserTurn: the new cwd, the rest as the rollout recorded it');
  ok(h.readJsonl(p.log).filter((l) => l.event === 'start').length === 1, 'all on one app-server');
});
