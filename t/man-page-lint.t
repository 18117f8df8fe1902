// Proves: man/codex-mcp-proxy.1 is clean under mandoc -Tlint, and every option in the proxy's -h usage is in its SYNOPSIS and has its own .It entry.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ok, is, diag, skipAll, main } = require('./lib/tap.js');

const TOP = process.env.TOP_SRCDIR || path.resolve(__dirname, '..');
const PROXY = process.env.PROXY || path.join(TOP, 'src', 'codex-mcp-proxy');
const PAGE = path.join(TOP, 'man', 'codex-mcp-proxy.1');

// codex ships no manual page, so whether mandoc finds the page that SEE ALSO
// names depends on the machine; this is the one message tolerated.
const TOLERATED = /STYLE: referenced manual not found: Xr codex 1$/;

// The mandoc to use: $MANDOC if set, else the first one on PATH, else null.
function findMandoc() {
  if (process.env.MANDOC) return process.env.MANDOC;
  for (const dir of (process.env.PATH || '').split(':')) {
    const file = path.join(dir || '.', 'mandoc');
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch (err) {
      // not here
    }
  }
  return null;
}

// Run a command; its exit status and its stdout and stderr as lines.
function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  const lines = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l !== '');
  return { status: r.status, stdout: r.stdout, lines };
}

// A regular expression matching the option name as written after Fl,
// with its hyphens written plainly or escaped.
function flPattern(name) {
  return name.split('-').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\\\?-');
}

const mandoc = findMandoc();
if (mandoc === null) skipAll('mandoc is not installed');

main(async () => {
  diag(`mandoc: ${mandoc}; page: ${PAGE}`);
  const source = fs.readFileSync(PAGE, 'utf8');

  const strict = run(mandoc, ['-Tlint', '-W', 'warning', PAGE]);
  is(strict.lines, [], 'mandoc -Tlint -W warning says nothing about the page');
  is(strict.status, 0, 'and exits 0');

  const all = run(mandoc, ['-Tlint', PAGE]);
  const left = all.lines.filter((l) => !TOLERATED.test(l));
  for (const l of all.lines.filter((l) => TOLERATED.test(l))) diag(`tolerated: ${l}`);
  is(left, [], 'mandoc -Tlint (style messages too) says nothing else');
  ok(all.status === 0 || (all.status === 1 && left.length === 0),
    `and exits 0, or 1 for the tolerated message only (status ${all.status})`);

  const usage = run(PROXY, ['-h']);
  is(usage.status, 0, `${path.basename(PROXY)} -h exits 0`);
  const longs = [...new Set(usage.stdout.match(/--[a-z][a-z0-9-]*/g) || [])].map((o) => o.slice(2));
  const shorts = [...new Set((usage.stdout.match(/\[-[A-Za-z]+(?=[\] ])/g) || [])
    .flatMap((o) => o.slice(2).split('')))];
  ok(longs.length > 0 && shorts.length > 0,
    `the usage lists options (--${longs.join(', --')}; -${shorts.join(', -')})`);

  const synopsis = (source.match(/^\.Sh SYNOPSIS\n([\s\S]*?)^\.Sh /m) || [])[1] || '';
  const items = source.split('\n').filter((l) => /^\.It\b/.test(l));
  const synFlags = [...synopsis.matchAll(/\bFl ([A-Za-z]+)\b/g)].map((m) => m[1]).join('');

  for (const name of longs) {
    const re = new RegExp(`\\bFl \\\\?-${flPattern(name)}(?=[\\s,]|$)`);
    ok(re.test(synopsis), `--${name} is in the SYNOPSIS`);
    ok(items.some((l) => re.test(l)), `--${name} has an .It entry`);
  }
  for (const letter of shorts) {
    ok(synFlags.includes(letter), `-${letter} is in the SYNOPSIS`);
    ok(items.some((l) => new RegExp(`\\bFl ${letter}(?=[\\s,]|$)`).test(l)), `-${letter} has an .It entry`);
  }
});
