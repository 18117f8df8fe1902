// Proves: on every supported codex release and API (0.50 auto, 0.77 auto, 0.77 --api v1, 0.169 auto, 0.171 auto) a conversation starts, continues, survives a SIGKILL of the proxy with its full history, and unknown ids and model failures give isError results.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const CONFIGS = [
  { label: '0.50 auto', version: '0.50', args: [], api: 'v1' },
  { label: '0.77 auto', version: '0.77', args: [], api: 'v2' },
  { label: '0.77 --api v1', version: '0.77', args: ['--api', 'v1'], api: 'v1' },
  { label: '0.169 auto', version: '0.169', args: [], api: 'v2' },
  { label: '0.171 auto', version: '0.171', args: [], api: 'v2' },
];

// A well-formed UUIDv7 that no codex created.
const UNKNOWN = '01a2137d-962b-7651-bc96-ad62dd2843c0';

async function conversation({ label, version, args, api }) {
  const one = await h.codexSession({ version, args });
  const first = await one.client.callTool({ name: 'codex', arguments: { prompt: 'remember the word kumquat' } });
  ok(!first.isError, `${label}: codex succeeded`);
  like(one.stderr(), new RegExp(`; api ${api} \\(`), `${label}: the proxy speaks the ${api} API`);
  is(h.textOf(first), 'You said: remember the word kumquat', `${label}: codex answered with the model's text`);
  const tid = first.structuredContent && first.structuredContent.threadId;
  like(tid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, `${label}: codex returned a threadId`);
  is(first.structuredContent && first.structuredContent.content, 'You said: remember the word kumquat', `${label}: structuredContent.content is the text`);

  const second = await one.client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: 'and the number 42' } });
  ok(!second.isError, `${label}: codex-reply succeeded`);
  is(h.textOf(second), 'You said: and the number 42', `${label}: codex-reply answered`);
  is(second.structuredContent && second.structuredContent.threadId, tid, `${label}: codex-reply kept the threadId`);

  process.kill(one.pid, 'SIGKILL');
  ok(await h.waitUntil(() => !h.alive(one.pid)), `${label}: the first proxy is dead`);

  const two = await h.codexSession({ version, args, mock: one.mock, home: one.home });
  const hist = await two.client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: '[[history]]' } });
  ok(!hist.isError, `${label}: codex-reply through a new proxy succeeded`);
  is(hist.structuredContent && hist.structuredContent.threadId, tid, `${label}: the new proxy continued the same thread`);
  is(h.textOf(hist), 'History: remember the word kumquat | and the number 42 | [[history]]',
    `${label}: the model saw every earlier prompt, in order`);

  const before = one.mock.requests.length;
  const unknown = await two.client.callTool({ name: 'codex-reply', arguments: { threadId: UNKNOWN, prompt: 'hello?' } });
  ok(unknown.isError === true, `${label}: an unknown threadId gives isError`);
  like(h.textOf(unknown), new RegExp(UNKNOWN), `${label}: the error names the unknown id`);
  is(one.mock.requests.length, before, `${label}: nothing reached the model for the unknown id`);

  const fail = await two.client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: '[[fail]]' } });
  ok(fail.isError === true, `${label}: a failed turn gives isError`);
  like(h.textOf(fail), /mock failure/, `${label}: the error carries codex's message`);
  is(fail.structuredContent && fail.structuredContent.threadId, tid, `${label}: the error carries the threadId`);

  const after = await two.client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: 'still there' } });
  is(h.textOf(after), 'You said: still there', `${label}: the thread works after the failure`);
}

main(async () => {
  for (const c of CONFIGS) await conversation(c);
});
