// Proves: a 2026-07-28 retry whose requestState is forged, altered, replayed, sealed by another proxy's key, or issued for other arguments gets a -32602 error naming the reason and touches no turn (codex's approval stays unanswered, no turn starts); malformed inputResponses get -32602 and leave the state usable; two proxies given one --request-state-key file accept each other's states (only "no call waiting" on the other one), and a key file that is too short stops the proxy at start.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const meta = (caps = { elicitation: {} }) => ({
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': caps,
});
const ACCEPT = { 'approval-1': { action: 'accept', content: { decision: 'accept' } } };

// Start a call that waits for approval; its input_required result.
async function ask(p, id, args) {
  p.send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'codex', arguments: args, _meta: meta() } });
  return (await p.response(id)).result || {};
}

// Retry with this state and responses; the error (or undefined).
async function retry(p, id, args, state, responses = ACCEPT) {
  p.send({ jsonrpc: '2.0', id, method: 'tools/call', params: {
    name: 'codex', arguments: args, requestState: state, inputResponses: responses, _meta: meta() } });
  return (await p.response(id)).error;
}

// The approvals the fake got answers to, and the turns it started.
function upstream(p) {
  const log = h.readJsonl(p.log);
  return { answers: log.filter((l) => l.method === undefined && l.event === undefined).length,
    turns: log.filter((l) => l.method === 'turn/start').length };
}

// Flip one character of the payload part of a state.
function alter(state) {
  const i = 5;
  return state.slice(0, i) + (state[i] === 'A' ? 'B' : 'A') + state.slice(i + 1);
}

main(async () => {
  const dir = h.scratch('state-keys');
  const key = path.join(dir, 'key');
  fs.writeFileSync(key, 'k'.repeat(64) + '\n');
  const p = await h.fakeRawProxy('state-a', { initialize: false, args: ['--request-state-key', key, '--approval-timeout', '3'] });
  const work = h.scratch('work');
  const args = { prompt: '[[approval]]', cwd: work, 'approval-policy': 'untrusted' };
  const first = await ask(p, 'a1', args);
  is(first.resultType, 'input_required', 'the call waits for input');
  const before = upstream(p);

  let e = await retry(p, 'forged', args, 'v1.eyJ3YWl0IjoiMSJ9.AAAA');
  is(e && e.code, -32602, 'a forged state: -32602');
  like(e && e.message, /integrity check/, 'naming the failed integrity check');
  e = await retry(p, 'garbage', args, 'hello');
  like(e && e.message, /not one this server issued/, 'a state that is not ours at all: -32602, not ours');
  e = await retry(p, 'typed', args, 42);
  like(e && e.message, /requestState must be a string/, 'a number for a state: -32602');
  e = await retry(p, 'altered', args, alter(first.requestState));
  like(e && e.message, /integrity check/, 'an altered state: -32602, integrity');
  e = await retry(p, 'other-args', { ...args, prompt: '[[approval]] something else' }, first.requestState);
  like(e && e.message, /issued for another tools\/call/, 'the state used for other arguments: -32602');
  e = await retry(p, 'malformed', args, first.requestState, { 'approval-1': { action: 'maybe' } });
  like(e && e.message, /ElicitResult/, 'malformed inputResponses: -32602');
  e = await retry(p, 'malformed2', args, first.requestState, []);
  like(e && e.message, /inputResponses must be an object/, 'inputResponses not an object: -32602');
  is(upstream(p), before, 'none of those touched the turn: no approval answered, no turn started');

  e = await retry(p, 'good', args, first.requestState);
  is(e, undefined, 'the real state still works after them');
  is(h.textOf(p.messages.find((m) => m.id === 'good').result), 'decision: "accept"', 'and carries the turn to its end');
  e = await retry(p, 'replayed', args, first.requestState);
  is(e && e.code, -32602, 'the same state again (replayed): -32602');
  like(e && e.message, /no call waiting for input.*used already/, 'saying it names no waiting call');

  const second = await ask(p, 'a2', args);
  const q = await h.fakeRawProxy('state-b', { initialize: false, args: ['--request-state-key', key] });
  e = await retry(q, 'shared-key', args, second.requestState);
  like(e && e.message, /no call waiting for input/, 'another proxy with the same key file accepts the state (no call waits there)');
  const other = await h.fakeRawProxy('state-c', { initialize: false });
  e = await retry(other, 'foreign', args, second.requestState);
  like(e && e.message, /another server's key/, "a proxy with its own key refuses it as sealed by another server's key");
  is(upstream(p).turns, before.turns + 1, 'no retry started a turn');

  fs.writeFileSync(path.join(dir, 'short'), 'tooshort\n');
  const run = spawnSync(process.env.PROXY, ['--request-state-key', path.join(dir, 'short')], { env: h.childEnv(), encoding: 'utf8', input: '' });
  ok(run.status !== 0, 'a key file that is too short: the proxy does not start');
  like(run.stderr, /needs at least 32 characters/, 'and says why');
});
