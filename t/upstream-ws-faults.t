// Proves: a WebSocket app-server that sends a frame with a reserved opcode, a message over --max-message-size, or a close frame in the middle of a turn ends that call at once with an isError naming the cause; the proxy reconnects and the next codex-reply continues the thread.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const { startWsFake } = require('./lib/ws-fake.js');

main(async () => {
  const dir = h.scratch('ws-faults');
  const fake = await startWsFake({ dir, unix: true });
  const p = await h.sdkProxy({ args: ['--upstream', fake.url, '--max-message-size', '8192'] });
  const first = await p.client.callTool({ name: 'codex', arguments: { prompt: 'alpha' } });
  is(h.textOf(first), 'You said: alpha', 'a turn over the fake works');
  const threadId = first.structuredContent.threadId;

  const faults = [
    ['[[ws-garbage]]', /was lost: it broke the WebSocket protocol \(a bad frame\)/],
    ['[[ws-huge:20000]]', /was lost: it sent a message larger than 8192 bytes/],
    ['[[ws-close]]', /was lost: it closed the WebSocket \(1011 fake going away\)/],
  ];
  for (const [marker, cause] of faults) {
    const connects = fake.events.filter((e) => e.event === 'connect').length;
    const r = await p.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt: `[[slow:50:100]]${marker}` } });
    ok(r.isError, `${marker}: the call in flight is an error`);
    like(h.textOf(r), cause, `${marker}: it names the cause`);
    const next = await p.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt: 'again' } });
    is(h.textOf(next), 'You said: again', `${marker}: the next codex-reply continues the thread`);
    ok(fake.events.filter((e) => e.event === 'connect').length > connects, `${marker}: on a new connection`);
  }
  ok((p.stderr().match(/resumed conversation/g) || []).length >= faults.length, 'the thread was resumed after each reconnection');
});
