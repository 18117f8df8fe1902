// Proves: over Streamable HTTP (real codex 0.169), a client that drops a tools/call's SSE stream mid-turn cancels nothing: the turn runs to its end, and a GET with the session id and Last-Event-ID replays exactly the events after that id, ending with the full result; both with a raw fetch client and with the SDK (resumptionToken on a new transport joining the session).
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const { CallToolResultSchema } = require('@modelcontextprotocol/sdk/types.js');

const VERSION = '2025-11-25';
const TICKS = Array.from({ length: 30 }, (_, i) => `tick ${i + 1} `).join('');
const NO_RETRY = { maxRetries: 0, initialReconnectionDelay: 1000, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1 };

// The number a metric line of /metrics shows (0 if absent).
async function metric(proxy, line) {
  const text = (await proxy.request('GET', '/metrics')).body || '';
  const m = text.split('\n').find((l) => l.startsWith(`${line} `));
  return m ? Number(m.split(' ').pop()) : 0;
}
const COMPLETED = 'codex_mcp_proxy_turns_total{status="completed"}';

// Parse "<stream>-<seq>".
function eventId(id) {
  const m = /^(\d+)-(\d+)$/.exec(id || '');
  return m ? { stream: Number(m[1]), seq: Number(m[2]) } : null;
}

main(async () => {
  const mock = await h.mockModel();
  const home = h.codexHome(mock);
  const proxy = await h.httpProxy('disconnect-resume', { upstream: h.codexCommand('0.169'), env: { CODEX_HOME: home } });

  // --- The raw route: plain HTTP, the SSE read by hand. ---
  const { sid } = await proxy.initialize(VERSION);
  ok(sid, 'raw: initialize gave a session id');
  const session = { 'Mcp-Session-Id': sid, 'MCP-Protocol-Version': VERSION };
  const call = await proxy.stream('POST', '/mcp', {
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...session },
    body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'codex', arguments: { prompt: '[[slow:30:100]] raw' }, _meta: { progressToken: 'raw-p' } } }),
  });
  like(call.headers && call.headers['content-type'], /^text\/event-stream/, 'raw: tools/call is answered as an SSE stream');
  const isProgress = (ev) => ev.data && JSON.parse(ev.data).method === 'notifications/progress';
  let seen = 0;
  ok(await call.nextEvent((ev) => isProgress(ev) && ++seen === 3, 20000), 'raw: 3 progress events came');
  call.close();
  const before = call.events.slice(); // nothing more is read once closed
  ok(!before.some((ev) => ev.data && 'result' in JSON.parse(ev.data)), 'raw: the client dropped the stream mid-turn (no result yet)');
  const lastId = before.length > 0 ? before[before.length - 1].id : undefined;
  const last = eventId(lastId);
  ok(last && before.every((ev) => eventId(ev.id) && eventId(ev.id).stream === last.stream), `raw: every event had an id <stream>-<seq> (last ${lastId})`);

  ok(await h.waitUntil(async () => (await metric(proxy, COMPLETED)) >= 1, 30000),
    'raw: the turn went on to completion with no client connected');
  is(mock.requests.filter((q) => /\[\[slow:30:100\]\] raw/.test(q.last_user)).length, 1, 'raw: the model got the turn once (not restarted)');

  const resumed = await proxy.stream('GET', '/mcp', { headers: { Accept: 'text/event-stream', ...session, 'Last-Event-ID': lastId } });
  is(resumed.status, 200, 'raw: GET with Last-Event-ID was answered 200');
  like(resumed.headers && resumed.headers['content-type'], /^text\/event-stream/, 'raw: as an SSE stream');
  const outcome = await Promise.race([resumed.ended.then(() => 'ended'), h.sleep(15000).then(() => 'still open after 15 s')]);
  is(outcome, 'ended', 'raw: the resumed stream ended after the replay');
  const after = resumed.events;
  const seqs = after.map((ev) => eventId(ev.id));
  ok(after.length > 0 && seqs.every((s) => s && s.stream === last.stream), 'raw: the replay is of the same stream');
  is(seqs.map((s) => s && s.seq), Array.from({ length: after.length }, (_, i) => last.seq + 1 + i),
    'raw: it starts right after the last id and repeats nothing (consecutive seqs)');
  const msgs = after.filter((ev) => ev.data).map((ev) => JSON.parse(ev.data));
  const progress = [...before, ...after].filter((ev) => ev.data).map((ev) => JSON.parse(ev.data))
    .filter((m) => m.method === 'notifications/progress').map((m) => m.params.progress);
  ok(progress.every((p, i) => i === 0 || p > progress[i - 1]), `raw: progress over both connections never repeats (${progress.join(',')})`);
  const res = msgs[msgs.length - 1];
  is(res && res.id, 7, 'raw: the last replayed event is the response to the call');
  ok(res && res.result && !res.result.isError, 'raw: a successful result');
  is(res && res.result && h.textOf(res.result), TICKS, 'raw: with the whole answer (all 30 ticks)');
  is(msgs.filter((m) => 'result' in m || 'error' in m).length, 1, 'raw: and only one response');

  // --- The SDK route: onresumptiontoken, close, a new transport resumes. ---
  const a = await h.httpSdkClient(proxy.url, 'sdk-first', { reconnectionOptions: NO_RETRY });
  const sessionId = a.transport.sessionId;
  let token;
  let ticks = 0;
  let closing;
  const first = a.client.callTool({ name: 'codex', arguments: { prompt: '[[slow:30:100]] sdk' } }, CallToolResultSchema, {
    onresumptiontoken: (t) => { token = t; },
    onprogress: () => { if (++ticks === 3) closing = a.client.close(); },
    timeout: 60000,
  }).then(() => 'answered', (e) => `rejected: ${e.message}`);
  like(await first, /^rejected: .*[Cc]onnection closed/, 'sdk: the first client closed its transport mid-call (after 3 progress events)');
  await closing;
  const tokenAtClose = token;
  ok(eventId(tokenAtClose), `sdk: it had a resumption token (${tokenAtClose})`);
  ok(await h.waitUntil(async () => (await metric(proxy, COMPLETED)) >= 2, 30000),
    'sdk: the turn went on to completion with no client connected');

  // The SDK does not report the replay's event ids (it drops onresumptiontoken
  // on a resume): read them from a copy of the resuming GET's body.
  const replay = { lastEventId: null, ids: [] };
  const recordResume = async (url, init = {}) => {
    const res = await fetch(url, init);
    const headers = new Headers(init.headers);
    if ((init.method || 'GET') !== 'GET' || !headers.get('last-event-id') || !res.body) return res;
    replay.lastEventId = headers.get('last-event-id');
    const [mine, theirs] = res.body.tee();
    replay.done = h.readSse(mine, (ev) => replay.ids.push(ev.id)).catch(() => {});
    return new Response(theirs, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  const b = await h.httpSdkClient(proxy.url, 'sdk-second', { reconnectionOptions: NO_RETRY, sessionId, fetch: recordResume });
  const r = await b.client.request({ method: 'tools/call', params: { name: 'codex', arguments: { prompt: '[[slow:30:100]] sdk' } } }, CallToolResultSchema, {
    resumptionToken: tokenAtClose,
    timeout: 20000,
  });
  is(h.textOf(r), TICKS, 'sdk: the resumed request got the whole answer (all 30 ticks)');
  ok(!r.isError, 'sdk: a successful result');
  await Promise.race([replay.done, h.sleep(5000)]);
  is(replay.lastEventId, tokenAtClose, 'sdk: the new transport resumed by GET with Last-Event-ID = the token');
  const t0 = eventId(tokenAtClose);
  ok(replay.ids.length > 0 && replay.ids.every((t, i) => eventId(t) && eventId(t).stream === t0.stream && eventId(t).seq === t0.seq + 1 + i),
    `sdk: the replay went on right after the token, repeating nothing (${replay.ids.join(' ')})`);
  is(mock.requests.filter((q) => /\[\[slow:30:100\]\] sdk/.test(q.last_user)).length, 1, 'sdk: the resume ran no new turn');
});
