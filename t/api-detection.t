// Proves: --api auto picks v1 for codex 0.50 and v2 for 0.77, 0.169 and 0.171 and says so on stderr, --api v1/v2 force the choice, a forced API the release lacks gives a clear isError while the proxy stays up, and --api bogus exits 2.
'use strict';
const { spawnSync } = require('node:child_process');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// The stderr line the proxy logs once the app-server is ready, or '' after a while.
async function readyLine(s) {
  await h.waitUntil(() => /codex app-server ready/.test(s.stderr()), 20000);
  const m = /^.*codex app-server ready.*$/m.exec(s.stderr());
  return m ? m[0] : '';
}

const DETECTION = [
  { label: '0.50 auto', version: '0.50', args: [], want: /codex app-server ready \(.*0\.50\.0.*\); api v1 \(detected: it has no thread\/list\)/ },
  { label: '0.77 auto', version: '0.77', args: [], want: /codex app-server ready \(.*0\.77\.0.*\); api v2 \(detected: it has thread\/list\)/ },
  { label: '0.169 auto', version: '0.169', args: [], want: /codex app-server ready \(.*0\.169\.0.*\); api v2 \(detected: it has thread\/list\)/ },
  { label: '0.171 auto', version: '0.171', args: [], want: /codex app-server ready \(.*0\.171\.0.*\); api v2 \(detected: it has thread\/list\)/ },
  { label: '0.77 --api v1', version: '0.77', args: ['--api', 'v1'], want: /codex app-server ready \(.*\); api v1 \(forced by --api\)/ },
  { label: '0.77 --api v2', version: '0.77', args: ['--api', 'v2'], want: /codex app-server ready \(.*\); api v2 \(forced by --api\)/ },
  { label: '0.50 --api v2', version: '0.50', args: ['--api', 'v2'], want: /codex app-server ready \(.*\); api v2 \(forced by --api\)/ },
  { label: '0.169 --api v1', version: '0.169', args: ['--api', 'v1'], want: /codex app-server ready \(.*\); api v1 \(forced by --api\)/ },
];

// A forced API the release does not have: the first codex call is a clear
// isError saying what failed, with codex's own answer (0.50 refuses any unknown
// method with a bare "Invalid request"; 0.169 names the unknown method), and
// the proxy keeps answering.
const MISMATCH = [
  { label: '0.50 --api v2', version: '0.50', args: ['--api', 'v2'], reason: /Invalid request/ },
  { label: '0.169 --api v1', version: '0.169', args: ['--api', 'v1'], reason: /Invalid request: unknown variant `newConversation`/ },
];

main(async () => {
  const mock = await h.mockModel();

  for (const { label, version, args, want } of DETECTION) {
    const s = await h.codexSession({ version, args, mock });
    like(await readyLine(s), want, `${label}: stderr names the API and why it was chosen`);
    await s.client.close();
  }

  for (const { label, version, args, reason } of MISMATCH) {
    const s = await h.codexSession({ version, args, mock });
    const before = mock.requests.length;
    const r = await s.client.callTool({ name: 'codex', arguments: { prompt: `hello from ${label}` } });
    ok(r.isError === true, `${label}: the first codex call gives an isError result`);
    like(h.textOf(r), /start.*(conversation|thread)|thread\/start|newConversation/,
      `${label}: the error says that starting the conversation failed`);
    like(h.textOf(r), reason, `${label}: the error carries codex's answer`);
    is(mock.requests.length, before, `${label}: nothing reached the model`);
    const pong = await s.client.ping().then(() => true, () => false);
    ok(pong, `${label}: the proxy still answers a ping`);
    ok(h.alive(s.pid), `${label}: the proxy is still running`);
    const again = await s.client.callTool({ name: 'codex', arguments: { prompt: 'second try' } });
    ok(again.isError === true, `${label}: a second codex call is an isError result too, not a hang`);
    await s.client.close();
  }

  const bogus = spawnSync(h.PROXY, ['--api', 'bogus', '--upstream-cmd', 'true'], { input: '', encoding: 'utf8', timeout: 10000 });
  is(bogus.status, 2, '--api bogus exits with status 2');
  like(bogus.stderr, /--api/, '--api bogus says what is wrong on stderr');
  is(bogus.stdout, '', '--api bogus writes nothing on stdout');
});
