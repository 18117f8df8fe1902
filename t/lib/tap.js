// A small TAP producer for the test scripts: plan, ok, is, like, diag, and
// a main() that runs an async test body, cleans up and sets the exit status.
'use strict';

const cleanups = [];
let count = 0;
let failed = 0;

// Print a diagnostic, one "# " line per line of text.
function diag(text) {
  for (const line of String(text).split('\n')) console.log(`# ${line}`);
}

// Record one test point.
function ok(cond, name) {
  count++;
  if (!cond) failed++;
  console.log(`${cond ? 'ok' : 'not ok'} ${count} - ${name}`);
  return !!cond;
}

// Record a test point known to fail for now (TAP TODO): it does not fail the
// file while it fails, and the TAP driver reports it (XPASS) once it passes.
function todo(cond, name, why) {
  count++;
  console.log(`${cond ? 'ok' : 'not ok'} ${count} - ${name} # TODO ${why}`);
  return !!cond;
}

// Test point: got deep-equals want (as JSON).
function is(got, want, name) {
  const same = JSON.stringify(got) === JSON.stringify(want);
  if (!ok(same, name)) diag(`got:  ${JSON.stringify(got)}\nwant: ${JSON.stringify(want)}`);
  return same;
}

// Test point: the string matches the regular expression.
function like(str, re, name) {
  const hit = typeof str === 'string' && re.test(str);
  if (!ok(hit, name)) diag(`got:  ${JSON.stringify(str)}\nwant: ${re}`);
  return hit;
}

// Register a function to run when the test ends, whatever happens.
function cleanup(fn) {
  cleanups.unshift(fn);
}

// Skip the whole file with a reason. The cleanups run first, so that the scratch
// directories made before the skip are removed; their synchronous parts run at
// once (this does not return), and nothing is awaited.
function skipAll(reason) {
  for (const fn of cleanups.splice(0)) {
    try {
      const p = fn(false);
      if (p && typeof p.catch === 'function') p.catch(() => {});
    } catch (err) {
      diag(`cleanup: ${err}`);
    }
  }
  console.log(`1..0 # SKIP ${reason}`);
  process.exit(0);
}

// Run the test body, then the cleanups; print the plan and exit.
async function main(body) {
  const guard = setTimeout(() => {
    ok(false, 'the test finished within its time limit');
    finish();
  }, Number(process.env.TEST_TIMEOUT_MS || 120000));
  try {
    await body();
  } catch (err) {
    ok(false, `no exception was thrown: ${err && err.stack ? err.stack : err}`);
  }
  clearTimeout(guard);
  await finish();
}

// Run the cleanups and leave.
async function finish() {
  for (const fn of cleanups.splice(0)) {
    try { await fn(failed > 0); } catch (err) { diag(`cleanup: ${err}`); }
  }
  console.log(`1..${count}`);
  process.exit(failed > 0 ? 1 : 0);
}

module.exports = { ok, todo, is, like, diag, cleanup, skipAll, main };
