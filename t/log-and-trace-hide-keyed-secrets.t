// Proves: secrets under secret-named keys reach neither the trace nor the -vv log file when they come as text rather than as a JSON message: a line on the app-server's stdout that is not JSON (key=value, "key": "value", key: value, an object under a secret key), a JSON line on its stderr (auth, values nested under credentials, a Basic credential), and the params of a notifications/cancelled for no running call, logged at -v; each line still gets there, with markers in place of the secrets, and so does the prompt that carried them.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const tt = require('./lib/trace-tools.js');

const S = Array.from({ length: 10 }, (_, i) => `PLANTED-SECRET-${i}`);
const BASIC = Buffer.from(`bob:${S[7]}`).toString('base64');
const MARK = '\\[REDACTED len=[^\\]]+\\]';

// Which of the planted secrets occur in text.
const leaked = (text) => [...S.slice(1), BASIC].filter((s) => text.includes(s));

main(async () => {
  const dir = h.scratch('keyed');
  const log = path.join(dir, 'proxy.log');
  const trace = path.join(dir, 'trace.jsonl');
  const p = await h.fakeRawProxy('keyed', { dir, args: ['-vv', '-l', log, '--trace', trace] });

  const stdoutLine = `config: api_key=${S[1]}, "password": "${S[2]}", cookie: ${S[3]} {"secret": {"nested": ["${S[4]}"]} tail`;
  const stderrLine = JSON.stringify({ level: 'info', auth: S[5], request: { credentials: { user: 'x', pass: S[6] }, via: `Basic ${BASIC}` } });
  const r = await p.request('tools/call', {
    name: 'codex', arguments: { prompt: `[[stdout-line:${stdoutLine}]] [[stderr-line:${stderrLine}]] hello` },
  });
  is(h.textOf(r.result), 'You said: hello', 'the turn with the planted lines completed');
  p.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'no-such-call', reason: `auth=${S[8]}`, meta: { token: { value: S[9] } } } });
  const read = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '');
  ok(await h.waitUntil(() => read().includes('cancel for no running call'), 5000), 'the cancel for no running call was logged');
  await p.close();

  const text = read();
  const t = tt.readTrace(trace);
  is(t.bad, [], 'every trace line parses');
  is(leaked(t.text), [], 'no planted secret is in the trace');
  is(leaked(text), [], 'no planted secret is in the -vv log file');

  const raw = t.records.find((x) => x.dir === 's2p' && typeof x.raw === 'string' && x.raw.startsWith('config:'));
  like(raw ? raw.raw : '', new RegExp(`^config: api_key=${MARK}, "password": "${MARK}", cookie: ${MARK} \\{"secret": "${MARK}" tail$`),
    'the trace has the stdout line, its values under api_key, password, cookie and the whole object under secret as markers');
  like(text, new RegExp(`upstream -> config: api_key=${MARK}, "password": "${MARK}", cookie: ${MARK} \\{"secret": "${MARK}" tail\\n`),
    'so has the -vv log');
  like(text, new RegExp(`codex: \\{"level":"info","auth":"${MARK}","request":\\{"credentials":"${MARK}","via":"Basic ${MARK}"\\}\\}\\n`),
    'the stderr line is logged with markers for auth, everything under credentials and the Basic credential');
  like(text, new RegExp(`cancel for no running call: .*"reason": ?"auth=${MARK}".*"token": ?"${MARK}"`),
    'the cancel\'s params are logged with markers for auth=... and the object under token');
  const c2p = t.records.find((x) => x.dir === 'c2p' && x.msg.method === 'tools/call');
  const prompt = c2p ? c2p.msg.params.arguments.prompt : '';
  diag(prompt);
  ok(prompt.includes('[[stdout-line:config: api_key=[REDACTED') && prompt.endsWith(' hello'), 'the traced prompt keeps its text, secrets as markers');
});
