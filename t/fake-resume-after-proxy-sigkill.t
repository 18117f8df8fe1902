// Proves: after the proxy is killed with SIGKILL while its app-server (one that ignores stdin EOF) holds a thread's writer lease, that app-server goes, and a new proxy started at once resumes the thread by id and continues it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const dir = h.scratch('resume-sigkill');
  const pidfile = path.join(dir, 'fake.pid');
  const a = await h.fakeRawProxy('resume-sigkill-a', { dir, fake: ['--ignore-eof', '--pidfile', pidfile] });
  const first = await a.request('tools/call', { name: 'codex', arguments: { prompt: 'remember me' } });
  const tid = first.result && first.result.structuredContent && first.result.structuredContent.threadId;
  is(h.textOf(first.result), 'You said: remember me', 'the first proxy answered');
  const old = Number(fs.readFileSync(pidfile, 'utf8'));
  ok(fs.existsSync(path.join(dir, 'fake-writer-locks', `${tid}.lock`)), 'its app-server holds the thread\'s writer lease');

  a.child.kill('SIGKILL');
  await a.exited;
  const b = await h.fakeRawProxy('resume-sigkill-b', { dir, fake: ['--ignore-eof'] });
  const r = await b.request('tools/call', { name: 'codex-reply', arguments: { threadId: tid, prompt: 'still there?' } });
  ok(r.result && !r.result.isError, 'codex-reply on the new proxy succeeded');
  is(h.textOf(r.result), 'You said: still there?', 'with the answer');
  is(r.result && r.result.structuredContent && r.result.structuredContent.threadId, tid, 'on the same threadId');
  ok(!h.alive(old), 'the killed proxy\'s app-server is gone');
  const resumed = h.readJsonl(b.log).filter((l) => l.method === 'thread/resume');
  is(resumed.length >= 1 && resumed[resumed.length - 1].params.threadId, tid, 'the new app-server resumed the thread by id');
});
