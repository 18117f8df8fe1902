// Proves: secrets never reach the trace, the -vv log or the client's notifications/message verbatim: an sk- key in a prompt and in a command, string values under secret keys in config (api_key, nested password), a Bearer token in developer-instructions, a --redact pattern's matches, and over HTTP the --auth-token-file bearer token; each becomes [REDACTED len=<class> sha=<6 hex>], the same secret always the same marker (real codex 0.77 on stdio, 0.169 over HTTP).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { ok, is, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const tt = require('./lib/trace-tools.js');

const SK = 'sk-live1234567890abcdef';
const API_KEY = 'SECRET-CONFIG-VALUE';
const PASSWORD = 'hunter2hunter2';
const BEARER = 'abc.def.ghi';
const CORP = 'CORP-123456';
const REDACT = ['--redact', 'CORP-[0-9]{6}'];
const MARKER = /\[REDACTED len=(<8|8-15|16-31|32-63|64\+) sha=[0-9a-f]{6}\]/;

// Which of the secrets occur in text.
const leaked = (text, secrets) => secrets.filter((s) => text.includes(s));

// Markers that were redacted a second time ("Bearer [REDACTED ..." taken for a token).
const mangled = (text) => text.match(/\[REDACTED len=\S+ sha=[0-9a-f]{6}\] len=\S+ sha=[0-9a-f]{6}\]/g) || [];

// The text of the records of one direction.
const textOf = (records, dir) => records.filter((r) => r.dir === dir).map((r) => JSON.stringify(r)).join('\n');

main(async () => {
  const dir = h.scratch('redact');
  const mock = await h.mockModel();
  const home = h.codexHome(mock);
  const isLog = (m) => m.method === 'notifications/message';

  // stdio, codex 0.77: the secrets as tool arguments, echoed by a command.
  const file = path.join(dir, 'stdio.jsonl');
  const p = await h.codexRawProxy({ version: '0.77', args: ['--trace', file, '-vv', ...REDACT], mock, home });
  await p.initialize();
  const first = await p.request('tools/call', {
    name: 'codex',
    arguments: {
      prompt: `my key is ${SK}, ticket ${CORP} [[shell:echo ${SK} ${CORP}]]`,
      'approval-policy': 'never',
      sandbox: 'danger-full-access',
      config: { api_key: API_KEY, nested: { password: PASSWORD } },
      'developer-instructions': `call the API with Bearer ${BEARER}`,
    },
  }, 60000);
  ok(first.result && !first.result.isError, 'the call with secrets in its arguments succeeded');
  ok((h.textOf(first.result) || '').includes(SK), 'the command really echoed the key (the secret was live)');
  const tid = first.result && first.result.structuredContent && first.result.structuredContent.threadId;
  const second = await p.request('tools/call', {
    name: 'codex-reply', arguments: { threadId: tid, prompt: `again: ${SK} and ${CORP}` },
  }, 60000);
  ok(second.result && !second.result.isError, 'the codex-reply with the same secrets succeeded');
  await p.close();
  ok(await tt.gone(p.pid), 'the stdio proxy exited');

  const secrets = [SK, API_KEY, PASSWORD, BEARER, CORP];
  const t = tt.readTrace(file);
  is(t.bad, [], 'every trace line parses');
  is(leaked(t.text, secrets), [], 'no secret appears verbatim in the trace');
  is(leaked(p.stderr, secrets), [], 'no secret appears verbatim in the -vv log on stderr');
  const logs = p.messages.filter(isLog);
  is(leaked(JSON.stringify(logs), secrets), [], 'no secret appears in a notifications/message to the client');

  const mark = Object.fromEntries(secrets.map((s) => [s, tt.markerOf(s)]));
  diag(JSON.stringify(mark));
  const c2p = t.records.filter((r) => r.dir === 'c2p' && r.msg.method === 'tools/call');
  const args1 = c2p[0] && c2p[0].msg.params.arguments;
  const args2 = c2p[1] && c2p[1].msg.params.arguments;
  is(args1 && args1.prompt, `my key is ${mark[SK]}, ticket ${mark[CORP]} [[shell:echo ${mark[SK]} ${mark[CORP]}]]`,
    'c2p: the key (sk-) and the --redact match in the prompt became their markers, the rest stayed');
  is(args1 && args1.config, { api_key: mark[API_KEY], nested: { password: mark[PASSWORD] } },
    'c2p: the values under api_key and (nested) password became markers');
  is(args1 && args1['developer-instructions'], `call the API with Bearer ${mark[BEARER]}`,
    'c2p: the token after Bearer became a marker, "Bearer" stayed');
  is(args2 && args2.prompt, `again: ${mark[SK]} and ${mark[CORP]}`,
    'c2p: the same secrets in the next call give the same markers');
  const p2s = textOf(t.records, 'p2s');
  ok(p2s.includes(mark[API_KEY]) && p2s.includes(mark[PASSWORD]) && p2s.includes(mark[BEARER]),
    'p2s: the config and instructions sent to codex carry the same markers');
  is(tt.countOf(p2s, mark[SK]), 3, "p2s: the key's marker stands where the key was in both prompts (twice, then once)");
  const s2p = textOf(t.records, 's2p');
  ok(s2p.includes(mark[SK]) && s2p.includes(mark[CORP]), 's2p: what codex echoes back is redacted the same way');
  const p2cResults = textOf(t.records, 'p2c');
  ok(p2cResults.includes(mark[SK]), 'p2c: the result (the command output) is redacted in the trace');
  const stray = (t.text.match(new RegExp(MARKER.source, 'g')) || []).filter((m) => !Object.values(mark).includes(m));
  is([...new Set(stray)], [], 'every marker in the trace stands for one of the given secrets');

  ok(p.stderr.includes(mark[SK]) && p.stderr.includes(mark[CORP]) && p.stderr.includes(mark[API_KEY]),
    'the -vv log shows the markers instead');
  ok(p.stderr.includes(`Bearer ${mark[BEARER]}`), 'the -vv log shows "Bearer" and the marker of the token after it');
  is(mangled(p.stderr), [], 'no marker in the -vv log is itself redacted again (mangled)');
  const running = logs.find((m) => /running:/.test(m.params.data) && m.params.data.includes('echo'));
  ok(running, 'the command reached the client as a notifications/message');
  is(running && running.params.data.replace(/^running: /, ''), `bash -lc 'echo ${mark[SK]} ${mark[CORP]}'`,
    'that message names the command with the markers in place of the secrets');

  // HTTP, codex 0.169, --auth-token-file: the bearer token itself.
  const token = `tok-${crypto.randomBytes(16).toString('hex')}`;
  const tokenFile = path.join(dir, 'token');
  fs.writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  const hfile = path.join(dir, 'http.jsonl');
  const hp = await h.httpProxy('redact-http', {
    upstream: h.codexCommand('0.169'), env: { CODEX_HOME: home },
    args: ['--auth-token-file', tokenFile, '--trace', hfile, '-vv', ...REDACT],
  });
  const auth = { Authorization: `Bearer ${token}` };
  const init = await hp.post({
    jsonrpc: '2.0', id: 1, method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'tap-http', version: '0' } },
  }, { headers: auth });
  const sid = init.headers && init.headers['mcp-session-id'];
  ok(init.status === 200 && sid, `HTTP initialize with the bearer token succeeded (${init.status})`);
  await hp.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { sid, version: '2025-06-18', headers: auth });
  const call = await hp.post({
    jsonrpc: '2.0', id: 2, method: 'tools/call',
    params: {
      name: 'codex',
      arguments: {
        prompt: `use Bearer ${token} and ${SK} [[shell:echo Bearer ${token} ${CORP}]]`,
        'approval-policy': 'never', sandbox: 'danger-full-access',
      },
    },
  }, { sid, version: '2025-06-18', headers: auth, timeout: 60000 });
  const res = call.json;
  ok(res && res.id === 2 && res.result && !res.result.isError, 'the HTTP tools/call succeeded');
  ok(res && (h.textOf(res.result) || '').includes(token), 'the command really echoed the token');
  const hlogs = (call.messages || []).filter((m) => m && isLog(m));
  await hp.stop();
  await hp.exited;

  const ht = tt.readTrace(hfile);
  is(ht.bad, [], 'HTTP: every trace line parses');
  const hsecrets = [token, SK, CORP];
  is(leaked(ht.text, hsecrets), [], 'HTTP: neither the bearer token nor the other secrets appear in the trace');
  is(leaked(hp.stderr(), hsecrets), [], 'HTTP: nor in the -vv log');
  is(leaked(JSON.stringify(hlogs), hsecrets), [], 'HTTP: nor in the notifications/message on the SSE stream');
  const mt = tt.markerOf(token);
  const hc2p = ht.records.find((r) => r.dir === 'c2p' && r.msg.method === 'tools/call');
  is(hc2p && hc2p.msg.params.arguments.prompt, `use Bearer ${mt} and ${mark[SK]} [[shell:echo Bearer ${mt} ${mark[CORP]}]]`,
    'HTTP c2p: the token and the key became their markers (the key the same marker as on stdio)');
  ok(hp.stderr().includes(`Bearer ${mt}`), 'HTTP: the -vv log shows "Bearer" and the marker of the token');
  is(mangled(ht.text), [], 'HTTP: no marker in the trace is itself redacted again (mangled)');
  is(mangled(hp.stderr()), [], 'HTTP: no marker in the -vv log is redacted again');
  const tracedLogs = ht.records.filter((r) => r.dir === 'p2c' && r.msg.method === 'notifications/message').map((r) => r.msg.params.data);
  is(tracedLogs, hlogs.map((m) => m.params.data),
    'HTTP: the trace holds the notifications/message exactly as the client got them (already redacted, not redacted twice)');
  const hrun = hlogs.find((m) => /running:/.test(m.params.data));
  ok(hrun && hrun.params.data.includes(mark[CORP]), 'HTTP: the command notification carries the --redact marker');
  ok(ht.records.filter((r) => r.dir === 'c2p' || r.dir === 'p2c').every((r) => r.session === sid && r.conn === 0),
    'HTTP: client-side records name the Mcp-Session-Id as their session');
});
