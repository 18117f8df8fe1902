// Proves: a command line that cannot work stops the proxy at once, before any app-server is started, with one line on stderr saying why: --upstream replay: with a missing file, a directory or a file without app-server traffic (status 1); an HTTP-only option (--tls-cert, --tls-key, --auth-token-file, --session-idle, --max-header-size, --request-timeout, --max-connections) without --listen, an empty --allowed-hosts list, --trace-level without --trace, --upstream with --upstream-cmd and an empty --upstream-cmd (status 2, a usage error); --auth-token-file naming a directory (status 1, "Is a directory", not "is empty"); a --redact pattern that matches the empty text (status 1).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const LISTEN = ['--listen', '127.0.0.1:0'];

// Run the proxy with args, stdin left open, for up to 5 s: how it exited, its
// stderr (where a sanitizer's report would make more than one line), how long it ran.
function run(args) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(h.PROXY, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, ms: Date.now() - t0 });
    });
  });
}

main(async () => {
  const dir = h.scratch('cmdline');
  const started = path.join(dir, 'started');
  const upstream = ['--upstream-cmd', `touch '${started}'; exec cat`];
  const empty = path.join(dir, 'empty.jsonl');
  fs.writeFileSync(empty, '{"not":"a trace record"}\n');
  const trace = path.join(dir, 'trace.jsonl');
  fs.writeFileSync(trace, '{"ts":1,"dir":"s2p","session":null,"conn":1,"msg":{"id":0,"result":{}}}\n');
  const cases = [
    { args: ['--upstream', 'replay:/nonexistent'], code: 1, msg: /fatal: replay: cannot read \/nonexistent: No such file or directory$/ },
    { args: ['--upstream', `replay:${dir}`], code: 1, msg: /fatal: replay: cannot read \S+: Is a directory$/ },
    { args: ['--upstream', `replay:${empty}`], code: 1, msg: /fatal: replay: \S+empty\.jsonl holds no app-server traffic$/ },
    { args: [...upstream, '--tls-cert', empty], code: 2, msg: /^codex-mcp-proxy: --tls-cert is for HTTP: it needs --listen$/ },
    { args: [...upstream, '--tls-key', empty], code: 2, msg: /^codex-mcp-proxy: --tls-key is for HTTP: it needs --listen$/ },
    { args: [...upstream, '--auth-token-file', empty], code: 2, msg: /^codex-mcp-proxy: --auth-token-file is for HTTP: it needs --listen$/ },
    { args: [...upstream, '--session-idle', '5'], code: 2, msg: /^codex-mcp-proxy: --session-idle is for HTTP: it needs --listen$/ },
    { args: [...upstream, '--max-header-size', '65536'], code: 2, msg: /^codex-mcp-proxy: --max-header-size is for HTTP: it needs --listen$/ },
    { args: [...upstream, '--request-timeout', '5'], code: 2, msg: /^codex-mcp-proxy: --request-timeout is for HTTP: it needs --listen$/ },
    { args: [...upstream, '--max-connections', '5'], code: 2, msg: /^codex-mcp-proxy: --max-connections is for HTTP: it needs --listen$/ },
    { args: [...upstream, ...LISTEN, '--allowed-hosts', ''], code: 2, msg: /^codex-mcp-proxy: --allowed-hosts: the list is empty \(\* allows any host\)$/ },
    { args: [...upstream, ...LISTEN, '--allowed-hosts', ', , '], code: 2, msg: /^codex-mcp-proxy: --allowed-hosts: the list is empty/ },
    { args: [...upstream, '--trace-level', 'all'], code: 2, msg: /^codex-mcp-proxy: --trace-level needs --trace$/ },
    { args: [...upstream, '--upstream', `replay:${empty}`], code: 2, msg: /^codex-mcp-proxy: --upstream and --upstream-cmd exclude each other$/ },
    { args: ['--upstream', `replay:${trace}`, ...upstream], code: 2, msg: /^codex-mcp-proxy: --upstream-cmd and --upstream exclude each other$/ },
    { args: ['--upstream-cmd', '  '], code: 2, msg: /^codex-mcp-proxy: --upstream-cmd: the command is empty$/ },
    { args: [...upstream, ...LISTEN, '--auth-token-file', dir], code: 1, msg: /fatal: cannot read \S+: Is a directory$/ },
    { args: [...upstream, '--redact', '(CORP-[0-9]+)?'], code: 1, msg: /fatal: --redact: the pattern matches the empty text: \(CORP-\[0-9\]\+\)\?$/ },
  ];
  for (const c of cases) {
    fs.rmSync(started, { force: true });
    const name = c.args.map((a) => (a === upstream[1] ? 'CMD' : a)).join(' ').split(dir).join('DIR');
    const r = await run(c.args);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    is({ code: r.code, signal: r.signal }, { code: c.code, signal: null }, `${name}: exits ${c.code} (in ${r.ms} ms)`);
    ok(lines.length === 1, `${name}: one line on stderr`) || diag(r.stderr);
    like(lines[0] || '', c.msg, `${name}: saying why`);
    ok(!fs.existsSync(started), `${name}: no app-server was started`);
  }
});
