// Proves: malformed upstream replies fail only their call: a thread/read whose turns, items or content is not an array, a thread/list whose data is not an array or whose createdAt is not an integer, a thread/start result that is not an object, and a v1 listConversations whose items is not an array (for codex-list and for finding a rollout) each give that call an isError naming the method and what is wrong, the proxy stays up, and the same call succeeds once the reply is well-formed.
'use strict';
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// Call a tool on p; its result (null if the proxy answered none).
async function call(p, name, args) {
  const r = await p.request('tools/call', { name, arguments: args }).catch(() => null);
  return r && r.result ? r.result : null;
}

// Check that a result is an isError with exactly this message.
function refused(r, text, what) {
  ok(r && r.isError === true, `${what}: the call is an isError result`);
  is(r && h.textOf(r), text, `${what}: saying what was malformed`);
}

main(async () => {
  // --api v2: no thread/list to detect the API, so each spoiled reply goes to a call.
  const p = await h.fakeRawProxy('malformed-v2', {
    args: ['--api', 'v2'],
    fake: [
      '--malformed', 'thread/read:thread.turns={"not":"an array"}',
      '--malformed', 'thread/read:thread.turns.0.items="items"',
      '--malformed', 'thread/read:thread.turns.0.items.0.content=7',
      '--malformed', 'thread/list:data={}',
      '--malformed', 'thread/list:data.0.createdAt="yesterday"',
      '--malformed', 'thread/start:=[1,2]',
    ],
  });
  const first = await call(p, 'codex', { prompt: '[[say:hello]]' });
  refused(first, "codex could not start a conversation: the app-server's reply has no id", 'thread/start result an array');
  const made = await call(p, 'codex', { prompt: '[[say:hello]]' });
  ok(made && !made.isError, 'the next codex call succeeds');
  const tid = made && made.structuredContent.threadId;

  const reads = [
    'turns is not an array',
    'items is not an array',
    'content is not an array',
  ];
  for (const why of reads) {
    refused(await call(p, 'codex-read', { threadId: tid }), `the codex app-server sent a malformed thread/read result: ${why}`, `thread/read, ${why}`);
  }
  const read = await call(p, 'codex-read', { threadId: tid });
  ok(read && !read.isError, 'a well-formed thread/read then succeeds');
  is(read && read.structuredContent.turns, [{ prompt: '[[say:hello]]', answer: 'hello' }], 'with the turn');

  refused(await call(p, 'codex-list', {}), 'the codex app-server sent a malformed thread/list result: data is not an array', 'thread/list, data an object');
  refused(await call(p, 'codex-list', {}), 'the codex app-server sent a malformed thread/list result: createdAt is not an integer', 'thread/list, createdAt a string');
  const list = await call(p, 'codex-list', {});
  ok(list && !list.isError, 'a well-formed thread/list then succeeds');
  ok(list && list.structuredContent.threads.some((t) => t.threadId === tid), 'listing the thread');
  const reply = await call(p, 'codex-reply', { threadId: tid, prompt: 'still there?' });
  is(reply && h.textOf(reply), 'You said: still there?', 'the conversation goes on');
  is(h.readJsonl(p.log).filter((l) => l.event === 'start').length, 1, 'all on the first app-server');
  ok(p.child.exitCode === null && p.child.signalCode === null, 'the proxy is still running');

  // v1: listConversations, for codex-list and, from a new proxy, to find a rollout.
  const v1 = await h.fakeRawProxy('malformed-v1', { fake: ['--api', 'v1'] });
  const conv = await call(v1, 'codex', { prompt: 'a v1 conversation' });
  const cid = conv && conv.structuredContent.threadId;
  await v1.close();
  const q = await h.fakeRawProxy('malformed-v1b', {
    dir: v1.dir,
    fake: ['--api', 'v1', '--malformed', 'listConversations:items={"a":1}', '--malformed', 'listConversations:items="x"'],
  });
  refused(await call(q, 'codex-list', {}), 'the codex app-server sent a malformed listConversations result: items is not an array', 'v1 codex-list, items an object');
  refused(await call(q, 'codex-read', { threadId: cid }), 'the codex app-server sent a malformed listConversations result: items is not an array', 'v1 codex-read, items a string');
  const v1read = await call(q, 'codex-read', { threadId: cid });
  is(v1read && v1read.structuredContent && v1read.structuredContent.turns, [{ prompt: 'a v1 conversation', answer: 'You said: a v1 conversation' }], 'v1: the read then succeeds');
  const v1list = await call(q, 'codex-list', {});
  is(v1list && v1list.structuredContent && v1list.structuredContent.threads.map((t) => t.threadId), [cid], 'v1: so does the list');
  ok(q.child.exitCode === null && q.child.signalCode === null, 'the v1 proxy is still running');
});
