// Proves: over a WebSocket the proxy joins fragmented messages (with pings between the fragments, each answered by a pong with its data), masks every frame it sends, sends a message over 1 MiB in fragments, and ends with the closing handshake (code 1000) when it shuts down.
'use strict';
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const { startWsFake } = require('./lib/ws-fake.js');

main(async () => {
  const dir = h.scratch('ws-framing');
  const fake = await startWsFake({ dir, fragment: 64 });
  const p = await h.sdkProxy({ args: ['--upstream', fake.url] });
  const long = 'x'.repeat(500);
  const r = await p.client.callTool({ name: 'codex', arguments: { prompt: long } });
  is(h.textOf(r), `You said: ${long}`, 'an answer sent in 64-byte fragments arrives whole');
  const pongs = fake.events.filter((e) => e.event === 'pong');
  ok(pongs.length > 5 && pongs.every((e) => /^ping-\d+$/.test(e.data)), `each ping got a pong with its data (${pongs.length})`);

  const big = 'y'.repeat(1536 * 1024);
  const b = await p.client.callTool({ name: 'codex-reply', arguments: { threadId: r.structuredContent.threadId, prompt: `[[say:got it]]${big}` } });
  is(h.textOf(b), 'got it', 'a 1.5 MiB prompt reaches the app-server whole');
  const pieces = fake.events.find((e) => e.event === 'fragmented');
  ok(pieces && pieces.frames > 1 && pieces.bytes > big.length, `it went in ${pieces && pieces.frames} fragments`);
  ok(!fake.events.some((e) => e.event === 'unmasked'), 'every frame from the proxy is masked');

  await p.client.close();
  ok(await h.waitUntil(() => fake.events.some((e) => e.event === 'gone')), 'the connection ended');
  const close = fake.events.find((e) => e.event === 'close');
  is(close && close.code, 1000, 'the proxy sent a close frame with code 1000 first');
});
