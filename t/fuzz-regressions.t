// Proves: each fuzz target (fuzz/: rpc, upstream-v1, upstream-v2, http, redact, replay), built in this build as a program that runs the inputs it is given, runs clean on every input a fuzzer found (fuzz/regress/TARGET) and on its seed corpus made from the recorded traces (fuzz/seeds.js), under the sanitizers too in an --enable-asan build: no crash, no abort, no sanitizer report.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ok, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const TARGETS = ['rpc', 'upstream-v1', 'upstream-v2', 'http', 'redact', 'replay'];
const FUZZ = process.env.FUZZ_DIR || path.join(h.TOP, 'fuzz');

main(async () => {
  const dir = h.scratch('fuzz-regressions');
  for (const t of TARGETS) {
    const prog = path.join(FUZZ, t);
    if (!ok(fs.existsSync(prog), `${t}: the target is built: ${prog}`)) continue;
    const seeds = path.join(dir, t);
    const s = spawnSync('node', [path.join(h.TOP, 'fuzz', 'seeds.js'), t, h.TOP, seeds], { encoding: 'utf8' });
    // Files, not directories: a libFuzzer build (--enable-fuzz) runs given files once.
    const regress = path.join(h.TOP, 'fuzz', 'regress', t);
    const files = (d) => (fs.existsSync(d) ? fs.readdirSync(d).map((f) => path.join(d, f)) : []);
    const inputs = [...files(seeds), ...files(regress)];
    const n = inputs.length;
    const r = spawnSync(prog, inputs, { encoding: 'utf8', env: h.childEnv(), timeout: 600000 });
    const clean = !/Sanitizer|runtime error|fuzz:/.test(r.stderr);
    ok(s.status === 0 && r.status === 0 && clean && n > 0 && (r.stderr.includes(`${n} inputs ran`) || /Executed/.test(r.stderr)),
      `${t}: runs clean on ${n} inputs (seeds${fs.existsSync(regress) ? ' and fuzz/regress' : ''})`)
      || diag(`status ${r.status} ${r.signal || ''}\n${s.stderr}${r.stderr.slice(-3000)}`);
  }
});
