// Proves: tools/call with bad arguments gets a result with isError:true whose text names the offending argument (missing, wrong type, empty, not in the enum, unknown, no or conflicting thread ids), arguments that are not an object get -32602, and none of it reaches the app-server.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const p = await h.fakeRawProxy('args');
  const tid = '01a2137d-962b-7651-bc96-ad62dd2843c0';

  // [tool, arguments, what, regexp the text must match]
  const cases = [
    ['codex', {}, 'missing prompt', /`prompt`/],
    ['codex', { sandbox: 'read-only' }, 'missing prompt with other arguments', /`prompt`/],
    ['codex', { prompt: 5 }, 'prompt a number', /`prompt`.*string/],
    ['codex', { prompt: null }, 'prompt null', /`prompt`.*string/],
    ['codex', { prompt: ['a'] }, 'prompt an array', /`prompt`.*string/],
    ['codex', { prompt: '' }, 'empty prompt', /`prompt`.*empty/],
    ['codex', { prompt: 'x', sandbox: 'yolo' }, 'sandbox not in the enum', /`sandbox`.*yolo/],
    ['codex', { prompt: 'x', sandbox: 'READ-ONLY' }, 'sandbox in the wrong case', /`sandbox`/],
    ['codex', { prompt: 'x', sandbox: 1 }, 'sandbox a number', /`sandbox`/],
    ['codex', { prompt: 'x', 'approval-policy': 'always' }, 'approval-policy not in the enum', /`approval-policy`.*always/],
    ['codex', { prompt: 'x', 'reasoning-effort': 'max' }, 'reasoning-effort not in the enum', /`reasoning-effort`.*max/],
    ['codex', { prompt: 'x', bogus: 1 }, 'an unknown argument', /`bogus`/],
    ['codex', { prompt: 'x', approvalPolicy: 'never' }, 'a camelCase spelling of an argument', /`approvalPolicy`/],
    ['codex', { prompt: 'x', threadId: tid }, 'threadId given to codex', /`threadId`/],
    ['codex', { prompt: 'x', config: 'model=o3' }, 'config a string', /`config`.*object/],
    ['codex', { prompt: 'x', config: ['a'] }, 'config an array', /`config`.*object/],
    ['codex', { prompt: 'x', config: null }, 'config null', /`config`.*object/],
    ['codex', { prompt: 'x', cwd: '' }, 'empty cwd', /`cwd`/],
    ['codex', { prompt: 'x', cwd: 7 }, 'cwd a number', /`cwd`/],
    ['codex', { prompt: 'x', model: '' }, 'empty model', /`model`/],
    ['codex', { prompt: 'x', profile: false }, 'profile a boolean', /`profile`/],
    ['codex', { prompt: 'x', 'base-instructions': {} }, 'base-instructions an object', /`base-instructions`/],
    ['codex-reply', { prompt: 'x' }, 'codex-reply without any thread id', /threadId/],
    ['codex-reply', { threadId: tid }, 'codex-reply without a prompt', /`prompt`/],
    ['codex-reply', { threadId: tid, prompt: '' }, 'codex-reply with an empty prompt', /`prompt`.*empty/],
    ['codex-reply', { threadId: '', prompt: 'x' }, 'codex-reply with an empty threadId', /`threadId`/],
    ['codex-reply', { threadId: 5, prompt: 'x' }, 'codex-reply with threadId a number', /`threadId`.*string/],
    ['codex-reply', { threadId: tid, conversationId: '01a2137d-962b-7651-bc96-ad62dd2843c1', prompt: 'x' },
      'codex-reply with threadId and conversationId that differ', /threadId[\s\S]*conversationId|conversationId[\s\S]*threadId/],
    ['codex-reply', { conversationId: tid, sessionId: '01a2137d-962b-7651-bc96-ad62dd2843c1', prompt: 'x' },
      'codex-reply with conversationId and sessionId that differ', /conversationId[\s\S]*sessionId|sessionId[\s\S]*conversationId/],
    ['codex-reply', { threadId: tid, prompt: 'x', config: {} }, 'codex-reply with config (codex only)', /`config`/],
    ['codex-reply', { threadId: tid, prompt: 'x', sandbox: 'none' }, 'codex-reply with a bad sandbox', /`sandbox`.*none/],
  ];
  for (const [tool, args, what, re] of cases) {
    const r = await p.request('tools/call', { name: tool, arguments: args });
    ok(!('error' in r), `${what}: not a JSON-RPC error`);
    const res = r.result || {};
    is(res.isError, true, `${what}: isError is true`);
    ok(Array.isArray(res.content) && res.content.length >= 1 && res.content[0].type === 'text',
      `${what}: a text content block`);
    like(h.textOf(res), re, `${what}: the text names the argument`);
  }

  // arguments that are not an object: a malformed request.
  for (const [what, args] of [['a string', 'prompt'], ['an array', [{ prompt: 'x' }]], ['a number', 1], ['true', true]]) {
    for (const tool of ['codex', 'codex-reply']) {
      const r = await p.request('tools/call', { name: tool, arguments: args });
      is(r.error && r.error.code, -32602, `${tool} with arguments ${what}: -32602`);
      ok(!('result' in r), `${tool} with arguments ${what}: no result`);
    }
  }

  // Nothing reached the app-server.
  // The app-server starts at launch; on a busy machine that may take a while.
  ok(await h.waitUntil(() => h.readJsonl(p.log).some((m) => m.method === 'initialize'), 15000),
    'the app-server was running (its log has the handshake)');
  await h.sleep(200);
  const seen = h.readJsonl(p.log);
  const work = seen.filter((m) => ['thread/start', 'thread/resume', 'turn/start'].includes(m.method));
  is(work.map((m) => m.method), [], 'no thread/start, thread/resume or turn/start reached the app-server');

  // The control: a good call does reach it.
  const good = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'fine', sandbox: 'read-only' } });
  is(good.result && h.textOf(good.result), 'You said: fine', 'a valid call still works');
  ok(good.result && good.result.isError === undefined, 'and is not an error');
  await h.sleep(100);
  ok(h.readJsonl(p.log).some((m) => m.method === 'turn/start'), 'the valid call did reach the app-server (the log works)');
  is((await p.close()).code, 0, 'the proxy exits 0 on EOF');
});
