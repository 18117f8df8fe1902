// Run one group of the C unit program t/unit/units and pass its TAP on,
// test point by test point, with one more: that it ran all of them and
// exited cleanly.
'use strict';
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const { ok, todo, diag, main } = require('../lib/tap.js');
const { unitProgram } = require('../lib/unit-program.js');


// Run the group and report each of its test points as our own.
function run(group) {
  main(async () => {
    const prog = unitProgram('UNITS', 'units');
    if (!ok(fs.existsSync(prog), `the unit program is built: ${prog}`)) return;
    const r = spawnSync(prog, [group], { encoding: 'utf8' });
    let plan = null;
    let n = 0;
    for (const line of (r.stdout || '').split('\n')) {
      const m = /^(not )?ok (\d+) - (.*?)(?: # TODO (.*))?$/.exec(line);
      if (m) {
        n++;
        const pass = !m[1] && Number(m[2]) === n;
        if (m[4] !== undefined) todo(pass, m[3], m[4]);
        else ok(pass, m[3]);
      } else if (/^1\.\.\d+$/.test(line)) {
        plan = Number(line.slice(3));
      } else if (line.startsWith('# ')) {
        diag(line.slice(2));
      } else if (line !== '') {
        diag(`unexpected output: ${line}`);
      }
    }
    if (!ok(r.status === 0 && r.stderr === '' && plan === n && n > 0,
      `${group}: the unit program ran its ${n} tests (plan ${plan}) and exited 0 with nothing on stderr`)) {
      diag(`status ${r.status} ${r.signal || ''} ${r.error || ''}\n${r.stderr}`);
    }
  });
}

module.exports = { run };
