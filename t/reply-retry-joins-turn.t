// Proves: on real codex 0.169 and 0.171 a client that sends the same codex-reply again (same thread, same prompt) while its turn still runs, as one whose own time limit ran out does, is attached to the running turn: both requests get that turn's whole result, the model is asked only once and one turn/start went out; a different prompt meanwhile still gets the busy error, and once the turn is over the same prompt again is a new turn. Each turn/start carries a clientUserMessageId of its own, which codex keeps as the user message's clientId.
'use strict';
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const TICKS = Array.from({ length: 6 }, (_, i) => `tick ${i + 1} `).join('');

main(async () => {
  for (const version of ['0.169', '0.171']) {
    const trace = path.join(h.scratch('retry'), 'trace.jsonl');
    const p = await h.codexRawProxy({ version, args: ['--trace', trace] });
    const turnStarts = () => h.readJsonl(trace).filter((r) => r.dir === 'p2s' && r.msg.method === 'turn/start');
    await p.initialize();
    const start = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'start' } });
    const tid = start.result.structuredContent.threadId;
    const args = { name: 'codex-reply', arguments: { threadId: tid, prompt: '[[slow:6:150]]' } };

    const asked = p.mock.requests.length;
    p.send({ jsonrpc: '2.0', id: 'first', method: 'tools/call', params: args });
    ok(await h.waitUntil(() => p.mock.requests.length === asked + 1), `${version}: the first reply's turn reached the model`);
    p.send({ jsonrpc: '2.0', id: 'again', method: 'tools/call', params: args });
    const other = await p.request('tools/call', { name: 'codex-reply', arguments: { threadId: tid, prompt: 'something else' } });
    ok(other.result.isError === true, `${version}: a different prompt meanwhile is refused`);
    like(h.textOf(other.result), new RegExp(`thread ${tid} is busy`), `${version}: as busy`);
    const first = await p.response('first');
    const again = await p.response('again');
    ok(!first.result.isError, `${version}: the first request got its result`);
    is(h.textOf(first.result), TICKS, `${version}: the whole answer`);
    is(again.result, first.result, `${version}: the repeated request got the same result`);
    is(p.mock.requests.length, asked + 1, `${version}: the model was asked once: the repeat started no second turn`);
    is(turnStarts().length, 2, `${version}: one turn/start for the reply and its repeat (and one for codex)`);

    const later = await p.request('tools/call', args);
    is(h.textOf(later.result), TICKS, `${version}: the same prompt after the turn is answered`);
    is(p.mock.requests.length, asked + 2, `${version}: by a new turn`);
    // The trace is written in batches, 50 ms after a batch's first line: wait for the last turn's lines.
    const userItems = () => h.readJsonl(trace).filter((r) => r.dir === 's2p' && r.msg.method === 'item/completed' &&
      r.msg.params.item.type === 'userMessage');
    await h.waitUntil(() => turnStarts().length >= 3 && userItems().length >= 3, 5000);
    const ids = turnStarts().map((r) => r.msg.params.clientUserMessageId);
    ok(ids.length === 3 && ids.every((id) => /^[0-9a-f]{32}$/.test(id)) && new Set(ids).size === 3,
      `${version}: each turn/start carried a clientUserMessageId of its own`);
    const kept = userItems().map((r) => r.msg.params.item.clientId);
    is(kept, ids, `${version}: which codex kept as each user message's clientId`);
  }
});
