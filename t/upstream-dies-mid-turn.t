// Proves: when the app-server dies mid-turn, every call in flight gets an isError result at once, and the next call starts a new app-server that can resume the conversations.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const { client, log } = await h.fakeSdkProxy('dies');

  const slow = await client.callTool({ name: 'codex', arguments: { prompt: 'start a thread' } });
  const slowThread = slow.structuredContent.threadId;
  const started = Date.now();
  const long = client.callTool({ name: 'codex-reply', arguments: { threadId: slowThread, prompt: '[[slow:100:100]]' } });
  await h.sleep(300);
  const dying = await client.callTool({ name: 'codex', arguments: { prompt: '[[die]]' } });
  const longResult = await long;
  const elapsed = Date.now() - started;

  ok(dying.isError === true, 'the call whose turn killed the app-server is an error');
  like(h.textOf(dying), /app-server stopped: it exited with status 3/, 'it says how the app-server ended');
  like(h.textOf(dying), /codex-reply/, 'it says how to continue');
  ok(dying.structuredContent && dying.structuredContent.threadId, 'it names its thread');
  ok(longResult.isError === true, 'the other call in flight is an error too');
  is(longResult.structuredContent && longResult.structuredContent.threadId, slowThread, 'it names its own thread');
  ok(elapsed < 8000, `it did not wait for its 10 s turn to end (${elapsed} ms)`);

  const after = await client.callTool({ name: 'codex-reply', arguments: { threadId: slowThread, prompt: 'are you back?' } });
  ok(!after.isError, 'the next call works');
  is(h.textOf(after), 'You said: are you back?', 'on the resumed thread');
  const starts = h.readJsonl(log).filter((l) => l.event === 'start');
  is(starts.length, 2, 'a second app-server was started');
  ok(starts.length === 2 && starts[0].pid !== starts[1].pid, 'it is a new process');
  const resumes = h.readJsonl(log).filter((l) => l.method === 'thread/resume');
  is(resumes.map((l) => l.params.threadId), [slowThread], 'the new one resumed the thread before the turn');
});
