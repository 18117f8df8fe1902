// Proves: an agent message that codex's moderation marks hide or block is left out of the answer, with a note naming the mark, in 0.169's display shape ({action}) and 0.171's ({mode}); one marked show is the answer as usual. (Real codex takes moderation from its backend, not from the model stream, so this runs on the fake.)
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  for (const release of ['0.169', '0.171']) {
    const p = await h.fakeRawProxy(`moderated-${release}`, { fake: release === '0.171' ? ['--release', '0.171'] : [] });
    for (const mode of ['hide', 'block']) {
      const r = await p.request('tools/call', { name: 'codex', arguments: { prompt: `[[moderated:${mode}:the secret words]]` } });
      ok(!r.result.isError, `${release} ${mode}: the call succeeded`);
      ok(!h.textOf(r.result).includes('secret'), `${release} ${mode}: the text leaves the message out`);
      ok(!r.result.structuredContent.content.includes('secret'), `${release} ${mode}: so does structuredContent`);
      like(h.textOf(r.result), new RegExp(`left out a message that codex's moderation marked "${mode}"`), `${release} ${mode}: and says why`);
    }
    const shown = await p.request('tools/call', { name: 'codex', arguments: { prompt: '[[moderated:show:all is well]]' } });
    is(h.textOf(shown.result), 'all is well', `${release}: a message marked show is the answer`);
    const mixed = await p.request('tools/call', {
      name: 'codex', arguments: { prompt: '[[phases:commentary=Looking.|final_answer=The visible answer.]]' },
    });
    is(h.textOf(mixed.result), 'The visible answer.', `${release}: phases on the fake pick the final answer too`);
  }
});
