// Proves: tool calls on different threads run at the same time through one real codex 0.169 app-server.
'use strict';
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const { mock, client } = await h.codexSession();

  const finished = [];
  const call = (prompt) => client.callTool({ name: 'codex', arguments: { prompt } }).then((r) => {
    finished.push(Date.now());
    return r;
  });
  const [a, b] = await Promise.all([call('[[slow:8:150]] alpha'), call('[[slow:8:150]] beta')]);
  ok(!a.isError && !b.isError, 'both calls succeeded');
  ok(a.structuredContent.threadId !== b.structuredContent.threadId, 'on two different threads');
  is(h.textOf(a), Array.from({ length: 8 }, (_, i) => `tick ${i + 1} `).join(''), 'the first has its whole answer');
  const starts = mock.requests.filter((q) => /slow/.test(q.last_user)).map((q) => q.t);
  is(starts.length, 2, 'the model got both turns');
  ok(Math.max(...starts) < Math.min(...finished), 'the second turn reached the model before either call finished');
});
