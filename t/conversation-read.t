// Proves: codex-read returns every turn of a conversation in order, prompt and answer, as text and structuredContent (codex 0.50 v1, 0.77 v2, 0.77 forced v1, 0.169 and 0.171 v2), also through a new proxy on the same CODEX_HOME without starting a turn, and an unknown id is an isError that fits codex-read's outputSchema.
'use strict';
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const CONFIGS = [
  { label: '0.50', version: '0.50', args: [] },
  { label: '0.77', version: '0.77', args: [] },
  { label: '0.77 --api v1', version: '0.77', args: ['--api', 'v1'] },
  { label: '0.169', version: '0.169', args: [] },
  { label: '0.171', version: '0.171', args: [] },
];
const UNKNOWN = '01a2137d-962b-7651-bc96-ad62dd2843c0';
const PROMPTS = ['the first question', 'a second question', 'and a third one'];

main(async () => {
  for (const { label, version, args } of CONFIGS) {
    const t0 = Date.now();
    const one = await h.codexSession({ version, args });

    const first = await one.client.callTool({ name: 'codex', arguments: { prompt: PROMPTS[0] } });
    const tid = first.structuredContent.threadId;
    for (const prompt of PROMPTS.slice(1)) {
      const r = await one.client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt } });
      if (r.isError) diag(`${label}: codex-reply: ${h.textOf(r)}`);
    }
    // Another conversation, to be sure the read picks the right one.
    await one.client.callTool({ name: 'codex', arguments: { prompt: 'an unrelated conversation' } });

    const turns = PROMPTS.map((p) => ({ prompt: p, answer: `You said: ${p}` }));
    const text = [`Conversation ${tid}, 3 turns.\n`, ...turns.map((t) => `\nUser: ${t.prompt}\n\nCodex: ${t.answer}\n`)].join('');

    let before = one.mock.requests.length;
    const r = await h.callToolChecked(one.client, 'codex-read', { threadId: tid });
    ok(!r.isError, `${label}: codex-read succeeded`);
    is(r.schemaError, null, `${label}: its result matches codex-read's outputSchema`);
    is(r.structuredContent, { threadId: tid, turns }, `${label}: the three turns, in order, with prompts and answers`);
    is(h.textOf(r), text, `${label}: and the same as a transcript`);
    is(one.mock.requests.length, before, `${label}: reading started no turn`);

    // A new proxy on the same CODEX_HOME.
    await one.client.close();
    ok(await h.waitUntil(() => !h.alive(one.pid)), `${label}: the first proxy is gone`);
    const two = await h.codexSession({ version, args, mock: one.mock, home: one.home });
    before = one.mock.requests.length;
    const again = await h.callToolChecked(two.client, 'codex-read', { threadId: tid });
    ok(!again.isError, `${label}: codex-read through a new proxy succeeded`);
    if (again.isError) diag(`${label}: ${h.textOf(again)}`);
    is(again.schemaError, null, `${label}: its result matches codex-read's outputSchema`);
    is(again.structuredContent, { threadId: tid, turns }, `${label}: the same three turns`);
    is(h.textOf(again), text, `${label}: and the same transcript`);
    is(one.mock.requests.length, before, `${label}: the new proxy started no turn to read it`);

    // An id codex never gave.
    const unknown = await h.callToolChecked(two.client, 'codex-read', { threadId: UNKNOWN });
    diag(`${label}: codex-read of an unknown id: ${h.textOf(unknown)}`);
    ok(unknown.isError === true, `${label}: reading an unknown id is an error`);
    like(h.textOf(unknown), /unknown threadId|not loaded|no rollout/, `${label}: which says the conversation is not there`);
    is(unknown.schemaError, null, `${label}: the error result does not break codex-read's outputSchema`);
    is(one.mock.requests.length, before, `${label}: still no turn started`);
    ok(h.alive(two.pid), `${label}: the proxy is still running`);

    await two.client.close();
    diag(`${label}: ${Date.now() - t0} ms`);
  }
});
