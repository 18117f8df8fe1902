// Proves: when the app-server fails to start, each call's error quotes its error line, not the blank line, backtrace header, frames, source places or RUST_BACKTRACE note printed after it (codex's anyhow report, the same with full frames, and a Rust panic).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const SHAPES = [
  {
    label: "codex's error report",
    stderr: [
      'WARNING: proceeding, even though we could not create PATH aliases: CODEX_HOME points to "/tmp/x", but that path is not a directory',
      'Error: CODEX_HOME points to "/tmp/x", but that path is not a directory',
      '',
      'Stack backtrace:',
      '   0: <unknown>',
      '   1: <unknown>',
      '   8: <unknown>',
    ],
    line: 'Error: CODEX_HOME points to "/tmp/x", but that path is not a directory',
  },
  {
    label: 'the report with full frames',
    stderr: [
      'Error: error loading config: Not a directory (os error 20)',
      '',
      'Stack backtrace:',
      '   0: codex_cli::main',
      '             at ./cli/src/main.rs:10:5',
      '  11: std::rt::lang_start',
      '             at /rustc/library/std/src/rt.rs:161:17',
    ],
    line: 'Error: error loading config: Not a directory (os error 20)',
  },
  {
    label: 'a panic',
    stderr: [
      "thread 'main' panicked at cli/src/main.rs:5:3:",
      'cannot read CODEX_HOME: Permission denied (os error 13)',
      'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace',
    ],
    line: 'cannot read CODEX_HOME: Permission denied (os error 13)',
  },
];

main(async () => {
  for (const { label, stderr, line } of SHAPES) {
    const dir = h.scratch('errline');
    const file = path.join(dir, 'stderr.txt');
    fs.writeFileSync(file, `${stderr.join('\n')}\n`);
    const p = new h.RawProxy({ args: ['--upstream-cmd', `cat '${file}' >&2; exit 1`] });
    await p.initialize();
    const r = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'hello' } });
    ok(r.result && r.result.isError === true, `${label}: the call is an isError result`);
    is(h.textOf(r.result), `the codex app-server failed to start: it exited with status 1 (last stderr: ${line})`, `${label}: quoting the error line`);
  }
});
