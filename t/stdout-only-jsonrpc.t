// Proves: with -vv logging, an app-server that writes to its stderr and garbage to its stdout, and bad client input, every byte on the proxy's stdout is a complete line holding one JSON-RPC 2.0 message, while the diagnostics appear on stderr.
'use strict';
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

// Is msg a well-formed JSON-RPC 2.0 response or notification/request?
function jsonrpc(msg) {
  if (msg === null || typeof msg !== 'object' || Array.isArray(msg) || msg.jsonrpc !== '2.0') return false;
  if ('method' in msg) return typeof msg.method === 'string' && !('result' in msg) && !('error' in msg);
  if (!('id' in msg)) return false;
  if (!(typeof msg.id === 'string' || Number.isInteger(msg.id) || msg.id === null)) return false;
  if (('result' in msg) === ('error' in msg)) return false;
  if ('error' in msg) return Number.isInteger(msg.error.code) && typeof msg.error.message === 'string';
  return msg.id !== null;
}

main(async () => {
  const p = await h.fakeRawProxy('stdout', { args: ['-vv'] });
  await p.request('ping', {});
  await p.request('tools/list', {});
  const first = await p.request('tools/call', { name: 'codex', arguments: { prompt: '[[stderr]] [[garbage]] first' } });
  is(first.result && h.textOf(first.result), 'You said: first', 'a call whose app-server wrote stderr and garbage succeeded');
  const thread = first.result && first.result.structuredContent && first.result.structuredContent.threadId;
  const second = await p.request('tools/call', { name: 'codex-reply', arguments: { threadId: thread, prompt: '[[garbage]] [[stderr]] second' } });
  is(second.result && h.textOf(second.result), 'You said: second', 'a codex-reply with the same noise succeeded');
  const failed = await p.request('tools/call', { name: 'codex', arguments: { prompt: '[[stderr]] [[fail]]' } });
  is(failed.result && failed.result.isError, true, 'a failing turn gives an isError result');
  const bad = await p.request('tools/call', { name: 'codex', arguments: {} });
  is(bad.result && bad.result.isError, true, 'bad arguments give an isError result');
  p.sendLine('not json at all');
  p.sendLine('');
  p.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 'none' } });
  await p.request('no/such/method', {});
  await p.request('ping');
  const exit = await p.close();
  is(exit.code, 0, 'the proxy exits 0 on EOF');

  const out = p.stdoutBytes();
  ok(out.length > 0, 'there was output');
  is(out[out.length - 1], 0x0a, 'stdout ends with a newline (no partial line)');
  ok(h.validUtf8(out), 'stdout is valid UTF-8');
  const lines = out.toString('utf8').split('\n');
  lines.pop();
  let bad_lines = 0;
  for (const line of lines) {
    let msg;
    try { msg = JSON.parse(line); } catch { msg = undefined; }
    if (!jsonrpc(msg)) {
      bad_lines++;
      diag(`not a JSON-RPC message: ${JSON.stringify(line.slice(0, 300))}`);
    }
  }
  is(bad_lines, 0, `every one of the ${lines.length} stdout lines is one JSON-RPC 2.0 message`);
  ok(lines.every((l) => !l.includes('\r')), 'no stdout line carries a CR');
  const responses = lines.map((l) => JSON.parse(l)).filter((m) => 'id' in m);
  const parseErrors = responses.filter((m) => m.id === null);
  is(parseErrors.length, 1, 'exactly one id-null error (for the non-JSON line)');
  is(parseErrors[0] && parseErrors[0].error.code, -32700, 'and it is a parse error');
  const ids = responses.filter((m) => m.id !== null).map((m) => m.id);
  is(ids.length, new Set(ids).size, 'no request was answered twice');
  is(ids.length, 9, 'each of the 9 requests got its response');

  // The diagnostics went to stderr.
  like(p.stderr, /fake-appserver stderr line 1/, "the app-server's stderr appears on the proxy's stderr");
  like(p.stderr, /fake-appserver stderr line 3/, 'all of it');
  like(p.stderr, /not a JSON-RPC message/, "the app-server's garbage was reported on stderr");
  like(p.stderr, /debug: /, '-vv debug lines are on stderr');
  like(p.stderr, /client -> .*"method":"tools\/call"/, '-vv traces the client messages on stderr');
  ok(!out.toString('utf8').includes('fake-appserver stderr line'), "none of the app-server's stderr is on stdout");
  ok(!out.toString('utf8').includes('garbage{{{'), "none of the app-server's garbage is on stdout");
});
