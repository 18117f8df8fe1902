// Proves: on stdio the proxy works whatever its stdin and stdout are: with stdin a regular file it answers every line and exits 0 at the file's end, with stdin /dev/null it exits 0 at once, and with stdout a regular file or /dev/null it writes there and exits 0; the event loop then uses poll (select on macOS), as neither epoll nor kqueue can watch files and devices, and epoll otherwise.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'tap', version: '0' } } };
const LIST = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
const LINES = `${JSON.stringify(INIT)}\n${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n${JSON.stringify(LIST)}\n`;

// Run the proxy (-v, on the fake) with this stdin and stdout (a file descriptor, or 'pipe'),
// writing input to a piped stdin; resolve its exit status, its stdout (if piped) and its stderr.
function run(name, stdin, stdout, input) {
  const dir = h.scratch(name);
  const child = spawn(h.PROXY, ['-v', '--upstream-cmd', h.fakeCommand('--state', dir)], { stdio: [stdin, stdout, 'pipe'] });
  let out = '';
  let err = '';
  if (child.stdout) child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  if (child.stdin) child.stdin.end(input);
  const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
  return new Promise((resolve) => child.on('close', (code, signal) => {
    clearTimeout(timer);
    resolve({ exit: { code, signal }, out, err });
  }));
}

// The ids of the JSON-RPC responses in text, one message a line.
const ids = (text) => text.split('\n').filter(Boolean).map((l) => h.parseLine(l).id);
const method = (err) => (/event method (\w+)/.exec(err) || [])[1];

main(async () => {
  const dir = h.scratch('stdio-files');
  const input = path.join(dir, 'input.jsonl');
  fs.writeFileSync(input, LINES);

  let fd = fs.openSync(input, 'r');
  let r = await run('stdin-file', fd, 'pipe');
  fs.closeSync(fd);
  is(r.exit, { code: 0, signal: null }, 'stdin a regular file: the proxy exits 0 at its end');
  is(ids(r.out), [1, 2], 'having answered each request in it');
  like(method(r.err), /^(poll|select)$/, `with an event loop that can read files (${method(r.err)})`);

  fd = fs.openSync('/dev/null', 'r');
  r = await run('stdin-null', fd, 'pipe');
  fs.closeSync(fd);
  is(r.exit, { code: 0, signal: null }, 'stdin /dev/null: the proxy exits 0');
  like(method(r.err), /^(poll|select)$/, `with an event loop that can watch devices (${method(r.err)})`);

  const output = path.join(dir, 'output.jsonl');
  fd = fs.openSync(output, 'w');
  r = await run('stdout-file', 'pipe', fd, LINES);
  fs.closeSync(fd);
  is(r.exit, { code: 0, signal: null }, 'stdout a regular file: the proxy exits 0');
  is(ids(fs.readFileSync(output, 'utf8')), [1, 2], 'having written both answers into it');

  fd = fs.openSync('/dev/null', 'w');
  r = await run('stdout-null', 'pipe', fd, LINES);
  fs.closeSync(fd);
  is(r.exit, { code: 0, signal: null }, 'stdout /dev/null: the proxy exits 0');
  like(method(r.err), /^(poll|select)$/, `with poll or select (${method(r.err)})`);

  r = await run('stdio-pipes', 'pipe', 'pipe', LINES);
  is(ids(r.out), [1, 2], 'on pipes it answers as ever');
  const m = method(r.err);
  ok(m !== undefined && !/^(poll|select)$/.test(m), `with the kernel's own method (${m})`);
});
