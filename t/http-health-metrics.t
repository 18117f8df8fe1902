// Proves: /healthz says 200 "ok" while the app-server is ready and 503 when it cannot start, and /metrics is valid Prometheus text counting sessions, tool calls, turns, bytes, HTTP answers and latency.
'use strict';
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const V = '2025-06-18';
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})? (-?(?:[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\+Inf|-Inf|NaN))$/;

// Parse Prometheus text: {samples: Map "name{labels}" → number, bad: [lines], help, type}.
function parse(text) {
  const samples = new Map();
  const bad = [];
  const help = new Set();
  const type = new Map();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let m;
    if ((m = /^# HELP (\S+) \S/.exec(line)) && NAME.test(m[1])) help.add(m[1]);
    else if ((m = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line)) && NAME.test(m[1])) type.set(m[1], m[2]);
    else if (line.startsWith('#')) bad.push(line);
    else if ((m = SAMPLE.exec(line))) samples.set(`${m[1]}${m[2] || ''}`, Number(m[3]));
    else bad.push(line);
  }
  return { samples, bad, help, type };
}

// The family a sample name belongs to (histogram suffixes removed).
function family(name, type) {
  const bare = name.replace(/\{.*$/, '');
  const base = bare.replace(/_(bucket|sum|count)$/, '');
  return type.get(base) === 'histogram' ? base : bare;
}

main(async () => {
  const p = await h.httpProxy('health');
  let r = await p.request('GET', '/healthz');
  is(r.status, 200, '/healthz with the app-server ready: 200');
  like(r.headers['content-type'], /^application\/json/, '/healthz: application/json');
  ok(r.json && r.json.status === 'ok' && r.json.upstream === 'ready', '/healthz: {"status":"ok","upstream":"ready"}');
  if (!(r.json && r.json.status === 'ok')) diag(`body: ${r.body}`);

  const m0 = await p.request('GET', '/metrics');
  is(m0.status, 200, '/metrics: 200');
  like(m0.headers['content-type'], /^text\/plain; version=0\.0\.4/, '/metrics: text/plain; version=0.0.4');
  const before = parse(m0.body);
  is(before.samples.get('codex_mcp_proxy_sessions'), 0, 'no session yet: codex_mcp_proxy_sessions 0');

  // One session, one good call, one failed call.
  const bodies = [];
  const post = async (msg, opts) => {
    const text = JSON.stringify(msg);
    bodies.push(text);
    return p.post(text, opts);
  };
  const init = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: V, capabilities: {}, clientInfo: { name: 'metrics', version: '0' } } });
  const sid = init.headers['mcp-session-id'];
  const note = await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { sid, version: V });
  const call = await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'codex', arguments: { prompt: '[[say:counted]]' } } }, { sid, version: V });
  is(call.json && call.json.result && call.json.result.content[0].text, 'counted', 'the tool call succeeded');
  const fail = await post({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'codex', arguments: { prompt: '[[fail]]' } } }, { sid, version: V });
  ok(fail.json && fail.json.result && fail.json.result.isError === true, 'the failing call ended with isError');

  const m1 = await p.request('GET', '/metrics');
  const after = parse(m1.body);
  const got = (k) => after.samples.get(k);
  const delta = (k) => (after.samples.get(k) || 0) - (before.samples.get(k) || 0);

  // Prometheus text.
  ok(after.bad.length === 0, 'every line is a comment or `name{labels} number`');
  if (after.bad.length) diag(`bad lines:\n${after.bad.join('\n')}`);
  const families = new Set([...after.samples.keys()].map((k) => family(k, after.type)));
  const undocumented = [...families].filter((f) => !after.help.has(f) || !after.type.has(f));
  ok(families.size > 0 && undocumented.length === 0, 'every metric has # HELP and # TYPE');
  if (undocumented.length) diag(`no HELP/TYPE: ${undocumented.join(', ')}`);
  ok(m1.body.endsWith('\n'), 'the text ends with a newline');

  // The counts.
  is(got('codex_mcp_proxy_sessions'), 1, 'codex_mcp_proxy_sessions 1');
  is(got('codex_mcp_proxy_tool_calls_total{tool="codex",outcome="ok"}'), 1, 'tool_calls_total{tool="codex",outcome="ok"} 1');
  is(got('codex_mcp_proxy_tool_calls_total{tool="codex",outcome="error"}'), 1, 'tool_calls_total{tool="codex",outcome="error"} 1');
  is(got('codex_mcp_proxy_tool_calls_total{tool="codex-reply",outcome="ok"}'), 0, 'tool_calls_total{tool="codex-reply",outcome="ok"} 0');
  is(got('codex_mcp_proxy_turns_total{status="completed"}'), 1, 'turns_total{status="completed"} 1');
  is(got('codex_mcp_proxy_turns_total{status="failed"}'), 1, 'turns_total{status="failed"} 1');
  is(got('codex_mcp_proxy_upstream_up'), 1, 'upstream_up 1');
  is(got('codex_mcp_proxy_upstream_restarts_total'), 0, 'upstream_restarts_total 0');
  const bytesIn = bodies.reduce((n, b) => n + Buffer.byteLength(b), 0);
  is(delta('codex_mcp_proxy_received_bytes_total'), bytesIn, 'received_bytes_total grew by the bytes of the request bodies');
  const bytesOut = [m0, init, note, call, fail].reduce((n, x) => n + Buffer.byteLength(x.body), 0);
  is(delta('codex_mcp_proxy_sent_bytes_total'), bytesOut, 'sent_bytes_total grew by the bytes of the response bodies');
  is(delta('codex_mcp_proxy_http_responses_total{code="202"}'), 1, 'http_responses_total{code="202"} grew by 1 (the notification)');
  is(delta('codex_mcp_proxy_http_responses_total{code="200"}'), 4, 'http_responses_total{code="200"} grew by 4 (/metrics, initialize, two tools/call streams)');

  // The latency histogram.
  const H = 'codex_mcp_proxy_request_duration_seconds';
  is(after.type.get(H), 'histogram', `${H} is a histogram`);
  const buckets = [...after.samples].filter(([k]) => k.startsWith(`${H}_bucket{`))
    .map(([k, v]) => ({ le: /le="([^"]+)"/.exec(k)[1], v }));
  const num = (le) => (le === '+Inf' ? Infinity : Number(le));
  ok(buckets.length >= 2 && buckets[buckets.length - 1].le === '+Inf', 'it has _bucket lines, the last le="+Inf"');
  ok(buckets.every((b, i) => i === 0 || (b.v >= buckets[i - 1].v && num(b.le) > num(buckets[i - 1].le))), 'the buckets are cumulative, le increasing');
  is(buckets.length && buckets[buckets.length - 1].v, got(`${H}_count`), 'le="+Inf" equals _count');
  is(delta(`${H}_count`), 3, '_count grew by 3 (initialize and the two calls)');
  ok(got(`${H}_sum`) > 0 && got(`${H}_sum`) < 60, '_sum is a plausible number of seconds');

  // An app-server that cannot start.
  const q = await h.httpProxy('dead', { fake: ['--die-on-start'], wait: 'listen' });
  ok(await h.waitUntil(() => /fake startup failure|exited with status 1/.test(q.stderr()), 15000), 'the fake app-server failed to start');
  r = await q.request('GET', '/healthz');
  is(r.status, 503, '/healthz with the app-server down: 503');
  ok(r.json && r.json.status === 'unavailable' && typeof r.json.upstream === 'string', '/healthz: {"status":"unavailable",...}');
  if (!(r.json && r.json.status === 'unavailable')) diag(`body: ${r.body}`);
  const qm = parse((await q.request('GET', '/metrics')).body);
  is(qm.samples.get('codex_mcp_proxy_upstream_up'), 0, '/metrics: upstream_up 0');
  ok(qm.samples.get('codex_mcp_proxy_http_responses_total{code="503"}') >= 1, '/metrics: the 503 answers are counted');
});
