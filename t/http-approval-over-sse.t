// Proves: over Streamable HTTP (real codex 0.169), codex's approval request for a call reaches its own session only: an elicitation-capable SDK client gets elicitation/create on that tools/call's SSE stream, its accept goes back as a POST (202) and the command runs; a second session without the elicitation capability, calling at the same time, is never asked and gets the proxy's decline note.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const { ElicitRequestSchema } = require('@modelcontextprotocol/sdk/types.js');

// A fetch for the SDK transport that records every HTTP exchange: method,
// the JSON-RPC message POSTed, the status, and the messages that came on the
// SSE body of the answer (read from a tee of it).
function recordingFetch(log) {
  return async (url, init = {}) => {
    const entry = { method: init.method || 'GET', sent: init.body ? JSON.parse(init.body) : null, status: 0, received: [] };
    log.push(entry);
    const res = await fetch(url, init);
    entry.status = res.status;
    if (!res.body || !/text\/event-stream/.test(res.headers.get('content-type') || '')) return res;
    const [mine, theirs] = res.body.tee();
    h.readSse(mine, (ev) => { if (ev.data) entry.received.push(JSON.parse(ev.data)); }).catch(() => {});
    return new Response(theirs, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

main(async () => {
  const mock = await h.mockModel();
  const home = h.codexHome(mock);
  const proxy = await h.httpProxy('approval-over-sse', {
    upstream: h.codexCommand('0.169'),
    env: { CODEX_HOME: home },
    args: ['--approval-timeout', '20'], // a wrongly routed question cannot hang the test
  });
  const logA = [];
  const logB = [];
  const a = await h.httpSdkClient(proxy.url, 'asks', { capabilities: { elicitation: {} }, fetch: recordingFetch(logA) });
  const b = await h.httpSdkClient(proxy.url, 'cannot-ask', { fetch: recordingFetch(logB) });
  const asked = [];
  a.client.setRequestHandler(ElicitRequestSchema, async (req) => {
    asked.push(req.params);
    return { action: 'accept', content: { decision: 'accept' } };
  });

  const workA = h.scratch('work-a');
  const workB = h.scratch('work-b');
  const call = (client, work, file) => client.callTool({
    name: 'codex',
    arguments: { prompt: `[[shell:touch ${file} && echo hi]]`, cwd: work, 'approval-policy': 'untrusted' },
  });
  const [ra, rb] = await Promise.all([call(a.client, workA, 'accepted.txt'), call(b.client, workB, 'refused.txt')]);

  // Session A: asked once, on its call's stream, answered by a POST.
  is(asked.length, 1, 'session A was asked once');
  like(asked[0] && asked[0].message, /touch accepted\.txt/, 'the question names session A\'s command');
  const callPost = logA.find((e) => e.method === 'POST' && e.sent && e.sent.method === 'tools/call');
  // The recorder reads its copy of the stream on its own: let it catch up with the SDK.
  await h.waitUntil(() => callPost && callPost.received.some((m) => m.id === callPost.sent.id), 5000);
  const elicit = callPost && callPost.received.find((m) => m.method === 'elicitation/create');
  ok(elicit, 'elicitation/create came on the SSE stream of session A\'s tools/call POST');
  ok(!logA.some((e) => e !== callPost && e.received.some((m) => m.method === 'elicitation/create')),
    'and on no other stream (not the GET stream)');
  const answer = elicit && logA.find((e) => e.method === 'POST' && e.sent && e.sent.id === elicit.id && 'result' in e.sent);
  is(answer && answer.sent.result, { action: 'accept', content: { decision: 'accept' } }, 'the answer went back as a POST of the response');
  is(answer && answer.status, 202, 'which the proxy accepted with 202');
  const last = callPost && callPost.received[callPost.received.length - 1];
  ok(last && callPost.sent && last.id === callPost.sent.id && 'result' in last, 'the call\'s result ended that same stream');
  ok(!ra.isError, 'session A: the call succeeded');
  ok(fs.existsSync(path.join(workA, 'accepted.txt')), 'session A: the approved command ran (the file exists)');
  like(h.textOf(ra), /^Tool said: [\s\S]*\bhi\b/, 'session A: the result carries the command\'s output');

  // Session B: never asked, declined by the proxy.
  ok(!logB.some((e) => e.received.some((m) => m.method === 'elicitation/create')), 'session B was sent no elicitation/create');
  ok(!rb.isError, 'session B: the call completed');
  ok(!fs.existsSync(path.join(workB, 'refused.txt')), 'session B: the command did not run (no file)');
  like(h.textOf(rb), /codex-mcp-proxy declined codex's request to run a command \(`[^`]*touch refused\.txt[^`]*`\)[\s\S]*cannot be asked/,
    'session B: the result carries the proxy\'s decline note');
});
