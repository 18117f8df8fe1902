// Proves: a client message with invalid UTF-8 is refused with an Invalid request error and never echoed back invalid: on stdio an id holding an FF byte is answered with id null and a bad byte in the params with the message's id; over HTTP a POST with an invalid id gets 400 with the JSON-RPC error at once; a lone surrogate escape reaches error messages as U+FFFD; every byte either front wrote is valid UTF-8 and the session goes on.
'use strict';
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const V = '2025-06-18';
const NOT_UTF8 = 'Invalid request: the message is not valid UTF-8';
const badId = Buffer.concat([Buffer.from('{"jsonrpc":"2.0","id":"a'), Buffer.from([0xff]), Buffer.from('b","method":"ping"}')]);

main(async () => {
  const p = await h.fakeRawProxy('client-utf8');
  let r = await p.probe(Buffer.concat([badId, Buffer.from('\n')]));
  is(JSON.stringify(r.replies), JSON.stringify([{ jsonrpc: '2.0', id: null, error: { code: -32600, message: NOT_UTF8 } }]), 'stdio, FF in the id: refused with id null');
  r = await p.probe(Buffer.concat([Buffer.from('{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"x'), Buffer.from([0xc3]), Buffer.from('","arguments":{}}}\n')]));
  is(JSON.stringify(r.replies), JSON.stringify([{ jsonrpc: '2.0', id: 7, error: { code: -32600, message: NOT_UTF8 } }]), 'stdio, a cut character in the params: refused with the id');
  r = await p.probeLine('{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"x\\ud800y","arguments":{}}}');
  is(r.replies[0] && r.replies[0].error && r.replies[0].error.message, 'Unknown tool: x\ufffdy', 'stdio, a lone surrogate escape: quoted as U+FFFD');
  ok(r.pong, 'the stdio session goes on');
  ok(h.validUtf8(p.stdoutBytes()), 'every byte on stdout is valid UTF-8');

  const q = await h.httpProxy('client-utf8-http');
  const { sid } = await q.initialize(V);
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'Mcp-Session-Id': sid, 'MCP-Protocol-Version': V };
  const res = await q.request('POST', '/mcp', { headers, body: badId, timeout: 5000 });
  is(res.status, 400, 'HTTP, FF in the id: 400 at once');
  is(res.body, JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message: NOT_UTF8 } }), 'with the Invalid request error, id null');
  ok(res.body !== undefined && h.validUtf8(Buffer.from(res.body)), 'valid UTF-8');
  const ping = await q.post({ jsonrpc: '2.0', id: 2, method: 'ping' }, { sid, version: V });
  ok(ping.json && ping.json.id === 2 && ping.json.result, 'the HTTP session goes on');
});
