// Proves: codex-reply with an id real codex 0.169 does not know gives an isError result that names the id, and the proxy carries on.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const { mock, client } = await h.codexSession();

  const unknown = '01a2137d-962b-7651-bc96-ad62dd2843c0';
  const r = await client.callTool({ name: 'codex-reply', arguments: { threadId: unknown, prompt: 'hello?' } });
  ok(r.isError === true, 'the result is an error');
  like(h.textOf(r), new RegExp(`unknown threadId ${unknown}`), 'it names the unknown id');
  is(mock.requests.length, 0, 'nothing reached the model');

  const bad = await client.callTool({ name: 'codex-reply', arguments: { threadId: 'not-a-uuid', prompt: 'hello?' } });
  ok(bad.isError === true, 'a malformed id is an error too');
  like(h.textOf(bad), /not-a-uuid/, 'it names the malformed id');

  const fine = await client.callTool({ name: 'codex', arguments: { prompt: 'still here' } });
  is(h.textOf(fine), 'You said: still here', 'the proxy still works');
});
