// What the tests of the C unit programs share: finding a program, and
// comparing its output with a reviewed golden file (UPDATE_GOLDEN=1 in the
// environment rewrites the file from the output instead).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const TOP = process.env.TOP_SRCDIR || path.resolve(__dirname, '..', '..');

// The unit program t/unit/<name>: $<env>, else beside the proxy's build directory, else in the source tree.
function unitProgram(env, name) {
  if (process.env[env]) return process.env[env];
  const where = [];
  if (process.env.PROXY) where.push(path.join(path.dirname(path.dirname(process.env.PROXY)), 't', 'unit', name));
  where.push(path.join(TOP, 't', 'unit', name));
  return where.find((p) => fs.existsSync(p)) || where[0];
}

// The first lines where two outputs differ, as diagnostics.
function differences(want, got) {
  const bad = [];
  for (let i = 0; i < Math.max(want.length, got.length) && bad.length < 8; i++) {
    if (want[i] !== got[i]) bad.push(`line ${i + 1}:\n  want ${want[i]}\n  got  ${got[i]}`);
  }
  return bad;
}

// The golden file's lines (none if it is missing) and how output differs from them.
function golden(file, output) {
  if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, output);
  const want = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
  return { want, bad: differences(want, output.split('\n')) };
}

module.exports = { unitProgram, golden };
