// Proves: on real codex 0.169 and 0.171 (v2), 0.77 with --api v1 and 0.50 (v1) an image given to codex (a local PNG file) and to codex-reply (a data: URL) reaches the model: the mock model finds each as an input_image of that turn's user message, the file's as a data: URL of its bytes, beside the prompt's text.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// A 1x1 PNG, and another of a different colour.
const RED = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const BLUE = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

main(async () => {
  for (const [version, args] of [['0.169', []], ['0.171', []], ['0.77', ['--api', 'v1']], ['0.50', []]]) {
    const s = await h.codexSession({ version, args });
    const file = path.join(h.scratch('image'), 'red.png');
    fs.writeFileSync(file, Buffer.from(RED, 'base64'));

    const first = await s.client.callTool({ name: 'codex', arguments: { prompt: 'what colour is this?', images: [file] } });
    ok(!first.isError, `${version}: codex with a local image succeeded`);
    const req = s.mock.requests[s.mock.requests.length - 1];
    like(req.last_user, /^what colour is this\?/, `${version}: the prompt reached the model`);
    ok(req.images.some((u) => u === `data:image/png;base64,${RED}`), `${version}: the file reached the model as an input_image of its bytes`);

    const tid = first.structuredContent.threadId;
    const url = `data:image/png;base64,${BLUE}`;
    const second = await s.client.callTool({ name: 'codex-reply', arguments: { threadId: tid, prompt: 'and this one?', images: [url] } });
    ok(!second.isError, `${version}: codex-reply with a data: URL succeeded`);
    const req2 = s.mock.requests[s.mock.requests.length - 1];
    is(req2.images, [url], `${version}: the data: URL reached the model as the turn's one input_image`);
  }
});
