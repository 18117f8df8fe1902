// Proves: with --upstream ws:// on a real codex 0.171, a stdio client that stops reading while a 12 MB turn streams and a 2 MB answer comes makes the proxy read on rather than hold the app-server (which serves other clients too, and whose transport disconnects a WebSocket client whose outbound queue fills), saying so at -v; once the client reads again both answers are whole and came on the one connection.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const l = require('./lib/listening.js');

const BIG = 2000000;
const LONG = 12000000;

main(async () => {
  const mock = await h.mockModel();
  const home = h.codexHome(mock);
  const url = `ws://127.0.0.1:${await l.freePort()}`;
  await l.listeningCodex({ version: '0.171', home, url });
  const log = path.join(h.scratch('ws-slow'), 'proxy.log');
  const p = new h.RawProxy({ args: ['--upstream', url, '-v', '--log-file', log, '--max-answer', '16000000'], env: { CODEX_HOME: home } });
  await p.initialize();
  const logged = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '');

  p.child.stdout.pause();
  // A 12 MB turn streams in 64 KiB deltas when a 2 MB answer fills the client's pipe.
  const asked = mock.requests.length;
  const long = p.nextId++;
  const big = p.nextId++;
  p.send({ jsonrpc: '2.0', id: long, method: 'tools/call', params: { name: 'codex', arguments: { prompt: `[[big:${LONG}]]` } } });
  p.send({ jsonrpc: '2.0', id: big, method: 'tools/call', params: { name: 'codex', arguments: { prompt: `[[big:${BIG}]]` } } });
  ok(await h.waitUntil(() => mock.requests.length >= asked + 2, 30000), 'both turns reach the model');
  ok(await h.waitUntil(() => /the client lags/.test(logged()), 60000), 'the client does not read the 2 MB answer: the proxy sees it lag');
  ok(/reading on: a listening app-server may drop a connection that stops reading/.test(logged()) && !/holding the app-server's output/.test(logged()),
    'and reads on, saying why: it does not hold the app-server');
  await h.sleep(5000);
  p.child.stdout.resume();
  const [a, b] = [await p.response(big, 60000).catch(() => ({})), await p.response(long, 60000).catch(() => ({}))];
  is(a.result && !a.result.isError && h.textOf(a.result).length, BIG, 'the big answer is whole');
  is(b.result && !b.result.isError && h.textOf(b.result).length, LONG, 'and so is the 12 MB one');
  is((logged().match(/connecting to the codex app-server at/g) || []).length, 1, 'on the one connection: the proxy never reconnected');
  ok(!/connection to the app-server was lost|reconnecting/i.test(logged()), 'and never lost it');
});
