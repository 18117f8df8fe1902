// Proves: on the fake's v1 mode a conversation survives a restart of the proxy and its app-server: the new proxy's codex-reply resumes it with resumeConversation {conversationId}, adds a listener, and restores the recorded settings with sendUserTurn (cwd, approval policy, sandbox from the rollout's turn_context); the answer comes on the same threadId, and an unknown threadId is an isError result.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const dir = h.scratch('v1-resume');
  const work = h.scratch('v1-resume-work');
  const a = await h.fakeRawProxy('v1-resume-a', { dir, fake: ['--api', 'v1'] });
  const first = await a.request('tools/call', {
    name: 'codex', arguments: { prompt: 'remember me', cwd: work, 'approval-policy': 'untrusted', sandbox: 'workspace-write' },
  });
  const tid = first.result.structuredContent.threadId;
  is(h.textOf(first.result), 'You said: remember me', 'the first proxy answered');
  await a.close();
  const before = h.readJsonl(a.log).length;

  const b = await h.fakeRawProxy('v1-resume-b', { dir, fake: ['--api', 'v1'] });
  const r = await b.request('tools/call', { name: 'codex-reply', arguments: { threadId: tid, prompt: 'still there?' } });
  ok(r.result && !r.result.isError, 'codex-reply on the new proxy succeeded');
  is(h.textOf(r.result), 'You said: still there?', 'with the answer');
  is(r.result && r.result.structuredContent && r.result.structuredContent.threadId, tid, 'on the same threadId');

  const log = h.readJsonl(b.log).slice(before);
  is(log.filter((l) => l.event === 'start').length, 1, 'a new app-server was started');
  const asked = log.filter((l) => l.method !== undefined && !['initialize', 'initialized', 'thread/list'].includes(l.method));
  is(asked.map((l) => l.method), ['resumeConversation', 'addConversationListener', 'sendUserTurn'],
    'it was asked: resumeConversation, addConversationListener, sendUserTurn');
  is(asked[0] && asked[0].params, { conversationId: tid }, 'the resume named the conversation by id');
  is(asked[1] && asked[1].params, { conversationId: tid }, 'the listener is for it');
  const turn = asked[2] ? asked[2].params : {};
  is([turn.cwd, turn.approvalPolicy, turn.sandboxPolicy, turn.model], [work, 'untrusted', {
    type: 'workspace-write', writable_roots: [], network_access: false, exclude_tmpdir_env_var: false, exclude_slash_tmp: false,
  }, 'mock-model'], 'sendUserTurn restored the recorded cwd, approval policy, sandbox and model');

  const again = await b.request('tools/call', { name: 'codex-reply', arguments: { threadId: tid, prompt: 'and again' } });
  is(h.textOf(again.result), 'You said: and again', 'a second reply answers');
  is(h.readJsonl(b.log).filter((l) => l.method === 'resumeConversation').length, 1, 'without a second resume');

  const unknown = await b.request('tools/call', { name: 'codex-reply', arguments: { threadId: '00000000-0000-7000-8000-000000000000', prompt: 'hi' } });
  ok(unknown.result && unknown.result.isError === true, 'an unknown threadId is an isError result');
  like(h.textOf(unknown.result), /unknown threadId 00000000-0000-7000-8000-000000000000/, 'which says the threadId is unknown');
});
