// Proves: on SIGTERM the HTTP proxy stops accepting connections at once, lets running tool calls finish on their SSE streams (up to --drain-timeout, then answers them "shutting down"), and exits 0.
'use strict';
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const V = '2025-06-18';

// Start a tools/call with this prompt on a new session; its stream, once it reports progress.
async function slowCall(p, prompt) {
  const { sid } = await p.initialize(V);
  const call = await p.stream('POST', '/mcp', {
    headers: {
      'Content-Type': 'application/json', Accept: 'application/json, text/event-stream',
      'Mcp-Session-Id': sid, 'MCP-Protocol-Version': V,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'codex', arguments: { prompt }, _meta: { progressToken: 'drain' } } }),
  });
  const progress = await call.nextEvent((e) => /notifications\/progress/.test(e.data || ''), 10000);
  return { call, progress };
}

// The response at the end of a stream.
function lastMessage(call) {
  const last = call.events[call.events.length - 1];
  try { return JSON.parse(last.data); } catch { return null; }
}

main(async () => {
  // A call that ends within the drain time.
  const p = await h.httpProxy('drain');
  const a = await slowCall(p, '[[slow:20:100]]');
  ok(a.call.status === 200 && a.progress, 'a 2 s call is streaming');
  p.child.kill('SIGTERM');
  let refusal = null;
  let runningThen = false;
  await h.waitUntil(async () => {
    const r = await p.request('GET', '/healthz', { timeout: 2000 });
    if (r.error) {
      refusal = r.error;
      runningThen = p.child.exitCode === null && p.child.signalCode === null;
      return true;
    }
    return false;
  }, 3000);
  ok(refusal, 'a new connection fails within 3 s of SIGTERM');
  if (refusal) diag(`new connection: ${refusal.code || refusal.message}`);
  ok(runningThen, 'while the proxy is still running (draining)');
  const body = await Promise.race([a.call.ended, h.sleep(20000).then(() => null)]);
  ok(body !== null, 'the call\'s stream ended');
  const msg = lastMessage(a.call);
  ok(msg && msg.id === 9 && msg.result && !msg.result.isError && /tick 20/.test(msg.result.content[0].text), 'with the call\'s full result');
  if (!(msg && msg.result && !msg.result.isError)) diag(`last event: ${JSON.stringify(msg)}`);
  const started = Date.now();
  const exit = await Promise.race([p.exited, h.sleep(15000).then(() => 'still running')]);
  is(exit, { code: 0, signal: null }, 'then the proxy exited 0');
  ok(Date.now() - started < 10000, 'soon after the call ended');
  like(p.stderr(), /draining: 1 call still running/, 'the log says it drained one call');

  // A call that outlasts --drain-timeout 1.
  const q = await h.httpProxy('drain-timeout', { args: ['--drain-timeout', '1'] });
  const b = await slowCall(q, '[[slow:1000:100]]');
  ok(b.call.status === 200 && b.progress, 'a 100 s call is streaming');
  const t0 = Date.now();
  q.child.kill('SIGTERM');
  const body2 = await Promise.race([b.call.ended, h.sleep(15000).then(() => null)]);
  ok(body2 !== null, 'the call\'s stream ended');
  const msg2 = lastMessage(b.call);
  ok(msg2 && msg2.id === 9 && msg2.result && msg2.result.isError === true, 'with an isError result');
  like(msg2 && msg2.result && msg2.result.content[0].text, /shutting down/, 'saying the proxy is shutting down');
  like(msg2 && msg2.result && msg2.result.content[0].text, /codex-reply with threadId [0-9a-f-]{36}\b/, 'and naming the thread to continue with codex-reply');
  const exit2 = await Promise.race([q.exited, h.sleep(15000).then(() => 'still running')]);
  is(exit2, { code: 0, signal: null }, 'the proxy exited 0');
  const took = Date.now() - t0;
  ok(took < 8000, 'within 8 s of SIGTERM (drain timeout 1 s)');
  diag(`exit ${took} ms after SIGTERM`);
  like(q.stderr(), /drain time is up; interrupting 1 call/, 'the log says the drain time ran out');
});
