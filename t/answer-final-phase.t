// Proves: on real codex 0.169 and 0.171, whose agent messages carry the model's phase, a turn that says commentary, then its final answer, then more commentary answers with the final answer alone (the last message is not the answer here), for codex and codex-reply alike; a turn without phases still answers with its last message.
'use strict';
const { is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  for (const version of ['0.169', '0.171']) {
    const s = await h.codexSession({ version });
    const first = await s.client.callTool({
      name: 'codex', arguments: { prompt: '[[phases:commentary=Let me look at the files.|final_answer=The answer is 42.|commentary=Done looking.]]' },
    });
    is(h.textOf(first), 'The answer is 42.', `${version}: codex answered with the final_answer message`);
    is(first.structuredContent.content, 'The answer is 42.', `${version}: structuredContent.content too`);
    const tid = first.structuredContent.threadId;
    const second = await s.client.callTool({
      name: 'codex-reply', arguments: { threadId: tid, prompt: '[[phases:final_answer=Still 42.|commentary=I checked twice.]]' },
    });
    is(h.textOf(second), 'Still 42.', `${version}: codex-reply answered with the final_answer message`);
    const plain = await s.client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: 'no phases here' } });
    is(h.textOf(plain), 'You said: no phases here', `${version}: a turn without phases answers with its message`);
  }
});
