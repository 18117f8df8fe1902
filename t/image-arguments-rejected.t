// Proves: a bad image or output schema is the caller's error, before anything reaches the app-server: a missing file, a directory, a file over 20 MiB, data: URLs that hold no image or no valid base64, and an output-schema that is not an object each give an isError result that names the argument and says what is wrong; a codex-reply refused so leaves its conversation as it was.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// What the fake was asked to do besides starting up and answering the probe.
function work(log) {
  return h.readJsonl(log).filter((m) => m.method && !['initialize', 'initialized', 'thread/list', 'model/list'].includes(m.method));
}

main(async () => {
  const p = await h.fakeRawProxy('image-args');
  const dir = h.scratch('images');
  const big = path.join(dir, 'big.png');
  fs.writeFileSync(big, '');
  fs.truncateSync(big, 20 * 1024 * 1024 + 1);
  const fine = path.join(dir, 'fine.png');
  fs.writeFileSync(fine, Buffer.alloc(100));

  // [images or output-schema, what, regexp the text must match]
  const cases = [
    [{ images: [path.join(dir, 'missing.png')] }, 'a missing file', /`images`\[0\].*missing\.png.*No such file/],
    [{ images: [fine, dir] }, 'a directory', /`images`\[1\].*is a directory/],
    [{ images: [big] }, 'a file over 20 MiB', /`images`\[0\].*20971521 bytes, more than the limit of 20971520/],
    [{ images: ['/dev/null'] }, 'a device', /`images`\[0\].*not a regular file/],
    [{ images: ['data:text/plain;base64,aGk='] }, 'a data: URL of text', /`images`\[0\].*does not hold an image/],
    [{ images: ['data:image/png,rawbytes'] }, 'a data: URL without base64', /`images`\[0\].*does not hold an image/],
    [{ images: ['data:image/png;base64,'] }, 'a data: URL without data', /`images`\[0\].*not valid base64/],
    [{ images: ['data:image/png;base64,abc'] }, 'a data: URL of cut base64', /`images`\[0\].*not valid base64/],
    [{ images: ['data:image/png;base64,ab$d'] }, 'a data: URL with a stray character', /`images`\[0\].*not valid base64/],
    [{ images: ['data:image/;base64,aGk='] }, 'a data: URL with no image type', /`images`\[0\].*does not hold an image/],
    [{ images: [''] }, 'an empty image', /`images`\[0\].*empty/],
    [{ images: 'x.png' }, 'images a string', /`images`.*array/],
    [{ images: [3] }, 'an image a number', /`images`\[0\].*string/],
    [{ 'output-schema': 'json' }, 'an output-schema string', /`output-schema`.*object/],
    [{ 'output-schema': [{ type: 'object' }] }, 'an output-schema array', /`output-schema`.*object/],
    [{ 'output-schema': null }, 'an output-schema null', /`output-schema`.*object/],
  ];
  for (const [extra, what, re] of cases) {
    const r = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'look', ...extra } });
    ok(r.result && r.result.isError === true, `codex with ${what}: isError`);
    like(h.textOf(r.result), re, `codex with ${what}: the text says what is wrong`);
  }
  is(work(p.log), [], 'none of it reached the app-server');

  const start = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'hello' } });
  const tid = start.result.structuredContent.threadId;
  const bad = await p.request('tools/call', { name: 'codex-reply', arguments: { threadId: tid, prompt: 'look', images: [dir] } });
  ok(bad.result.isError === true, 'codex-reply with a directory as image: isError');
  like(h.textOf(bad.result), /nothing was sent to codex/, 'which says nothing was sent');
  const turns = () => work(p.log).filter((m) => m.method === 'turn/start').length;
  is(turns(), 1, 'the refused reply started no turn');
  const after = await p.request('tools/call', { name: 'codex-reply', arguments: { threadId: tid, prompt: 'still there?', images: [fine] } });
  is(h.textOf(after.result), 'You said: still there?', 'the conversation goes on, and a good image is taken');
  const sent = work(p.log).filter((m) => m.method === 'turn/start').pop();
  is(sent.params.input, [{ type: 'text', text: 'still there?' }, { type: 'localImage', path: fs.realpathSync(fine) }],
    'the image went to turn/start as a localImage at its real path');
});
