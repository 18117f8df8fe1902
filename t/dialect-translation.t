// Proves: on messages recorded from real codex 0.50 (v1), 0.77 (v1 and v2), 0.169 and 0.171 (v2) app-servers, each dialect translates its own notification stream exactly as the reviewed golden files in t/data/*.events say (UPDATE_GOLDEN=1 rewrites them) and ignores the other one (0.77 sends both, so nothing counts twice), a turn's text deltas add up to its agent messages, 0.171's messages carry their phase (commentary, then the final answer), every turn ends with exactly one turn_completed with the right status (completed, failed — v1's error-then-complete included —, interrupted), and an approval request yields its command (0.77 v2's from its item/started) and the decline in the release's vocabulary.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ok, is, like, diag, main } = require('./lib/tap.js');
const { unitProgram, golden } = require('./lib/unit-program.js');

const TOP = process.env.TOP_SRCDIR || path.resolve(__dirname, '..');
const DATA = path.join(TOP, 't', 'data');

const FIXTURES = [
  { file: 'recorded-0.50-v1.jsonl', dialect: 'v1' },
  { file: 'recorded-0.77-v1.jsonl', dialect: 'v1' },
  { file: 'recorded-0.77-v2.jsonl', dialect: 'v2' },
  { file: 'recorded-0.169-v2.jsonl', dialect: 'v2' },
  { file: 'recorded-0.171-v2.jsonl', dialect: 'v2' },
];

// The answers each API understands, per decision.
const ANSWERS = {
  v1: { accept: 'approved', accept_session: 'approved_for_session', decline: 'denied', cancel: 'abort' },
  v2: { accept: 'accept', accept_session: 'acceptForSession', decline: 'decline', cancel: 'cancel' },
};

// Is this a notification of the v1 stream (codex/event/<type>)?
function v1Stream(m) {
  return m.method.startsWith('codex/event/');
}

// The golden file of a fixture translated by a dialect.
function goldenFile(file, dialect) {
  return path.join(DATA, file.replace(/\.jsonl$/, `.${dialect}.events`));
}

// One output line as an object: kind, type (or method) and its key=value fields.
function parse(line) {
  const [kind, second] = line.split(' ', 2);
  if (kind === 'ignored' || kind === 'refused') return { kind, method: line.slice(kind.length + 1) };
  const out = { kind, type: second };
  const re = / (\w+)=("(?:[^"\\]|\\.)*"|\S+)/g;
  let f;
  while ((f = re.exec(line)) !== null) {
    const v = f[2];
    if (v === '-') out[f[1]] = null;
    else if (v.startsWith('"') || v.startsWith('{')) out[f[1]] = JSON.parse(v);
    else if (/^\d+$/.test(v)) out[f[1]] = Number(v);
    else out[f[1]] = v;
  }
  return out;
}

// The prompt of each turn, by turn id, from the user messages in the stream.
function prompts(dialect, msgs) {
  const by = new Map();
  for (const m of msgs) {
    const p = m.params || {};
    if (dialect === 'v1' && m.method === 'codex/event/user_message') by.set(p.id, p.msg.message);
    if (dialect === 'v2' && m.method === 'item/started' && p.item.type === 'userMessage') {
      by.set(p.turnId, p.item.content.map((c) => c.text).join(''));
    }
  }
  return by;
}

// The status a turn must end with, from the mock model's marker in its prompt.
function wantStatus(prompt) {
  if (prompt.includes('[[fail]]')) return 'failed';
  if (prompt.includes('[[slow:')) return 'interrupted';
  return 'completed';
}

// Check one fixture translated with its dialect.
function checkFixture({ file, dialect }, prog) {
  const label = `${file} (${dialect})`;
  const msgs = fs.readFileSync(path.join(DATA, file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const r = spawnSync(prog, [dialect, path.join(DATA, file)], { encoding: 'utf8' });
  if (!ok(r.status === 0 && r.stderr === '', `${label}: the unit program runs cleanly`)) {
    diag(`status ${r.status} ${r.error || ''}\n${r.stderr}`);
    return;
  }
  const out = r.stdout.split('\n').filter(Boolean).map(parse);
  if (!is(out.length, msgs.length, `${label}: one result per recorded message`)) return;

  const notes = msgs.map((m, i) => ({ m, i })).filter(({ m }) => m.id === undefined);
  const requests = msgs.map((m, i) => ({ m, i })).filter(({ m }) => m.id !== undefined);
  const own = notes.filter(({ m }) => (dialect === 'v1') === v1Stream(m));
  const other = notes.filter(({ m }) => (dialect === 'v1') !== v1Stream(m));

  // The other API's stream: all ignored.
  const loud = other.filter(({ i }) => out[i].kind !== 'ignored');
  ok(loud.length === 0, `${label}: all ${other.length} notifications of the ${dialect === 'v1' ? 'v2' : 'v1'} stream are ignored`);
  for (const { m, i } of loud.slice(0, 5)) diag(`line ${i + 1} ${m.method}: ${JSON.stringify(out[i])}`);

  // Its own stream: exactly the reviewed translation in the golden file.
  const gold = goldenFile(file, dialect);
  const { want, bad } = golden(gold, r.stdout);
  const translated = own.filter(({ i }) => out[i].kind === 'event').length;
  ok(want.length > 1 && bad.length === 0 && translated > 0,
    `${label}: the translation is the golden ${path.basename(gold)} (${translated} events from ${own.length} notifications)`);
  for (const b of bad) diag(b);

  // Noise: the token counts, rate limits and raw items that were kept are ignored.
  const noisy = notes.filter(({ m }) => /token_count|raw_response_item|tokenUsage|rateLimits/.test(m.method));
  ok(noisy.length > 0 && noisy.every(({ i }) => out[i].kind === 'ignored'),
    `${label}: usage and rate-limit notifications are ignored (${noisy.map(({ m }) => m.method).join(', ')})`);

  // Turns: grouped by turn id, each ends once, with the right status and text.
  const events = own.map(({ i }) => out[i]).filter((e) => e.kind === 'event');
  const ends = events.filter((e) => e.type === 'turn_completed');
  const ending = dialect === 'v1' ? /^codex\/event\/(task_complete|turn_aborted)$/ : /^turn\/completed$/;
  is(ends.length, msgs.filter((m) => ending.test(m.method)).length,
    `${label}: one turn_completed per turn end in the ${dialect} stream`);
  const byTurn = prompts(dialect, msgs);
  ok(byTurn.size >= 5, `${label}: the recording has its ${byTurn.size} turns`);
  const statuses = [];
  const wrong = [];
  for (const [turn, prompt] of byTurn) {
    const evs = events.filter((e) => e.turn === turn);
    const done = evs.filter((e) => e.type === 'turn_completed');
    const deltas = evs.filter((e) => e.type === 'text_delta').map((e) => e.text).join('');
    const messages = evs.filter((e) => e.type === 'agent_message').map((e) => e.text);
    const error = evs.find((e) => e.type === 'error' && e.retry === 0);
    const want = wantStatus(prompt);
    // v1 has no failed status (error, then task_complete): its dialect makes one.
    const status = done.length === 1 ? done[0].status : `${done.length} ends`;
    statuses.push(`${JSON.stringify(prompt)}: ${status}`);
    if (done.length !== 1 || evs[evs.length - 1] !== done[0]) wrong.push(`turn ${turn}: ${done.length} turn_completed, not last`);
    if (status !== want) wrong.push(`turn ${turn} ${JSON.stringify(prompt)}: ${status}, want ${want}`);
    if (want === 'failed' && !(error && /mock failure/.test(error.text))) wrong.push(`turn ${turn}: no error with codex's message`);
    if (want === 'failed' && !/mock failure/.test(done[0].text)) wrong.push(`turn ${turn}: turn_completed has no error text`);
    if (want === 'interrupted' && (deltas === '' || messages.length > 0)) wrong.push(`turn ${turn}: interrupted, deltas ${JSON.stringify(deltas)}, messages ${messages.length}`);
    if (want === 'completed' && (messages.length === 0 || deltas !== messages.join(''))) {
      wrong.push(`turn ${turn}: deltas ${JSON.stringify(deltas)} != messages ${JSON.stringify(messages.join(''))}`);
    }
  }
  ok(wrong.length === 0, `${label}: every turn ends exactly once, as ${statuses.join(', ')}; deltas add up to the agent messages`);
  for (const w of wrong) diag(w);
  if (file.includes('0.171')) {
    const phased = events.filter((e) => e.type === 'agent_message' && e.phase !== undefined).map((e) => `${e.phase}: ${e.text}`);
    is(phased, ['commentary: Looking around.', 'final_answer: Here it is.'], `${label}: the phases the model gave are read`);
  }

  // Both streams on 0.77: each delta is counted once, in its own stream.
  if (file.includes('0.77')) {
    const n = events.filter((e) => e.type === 'text_delta').length;
    const v1n = notes.filter(({ m }) => m.method === 'codex/event/agent_message_delta').length;
    const v2n = notes.filter(({ m }) => m.method === 'item/agentMessage/delta').length;
    ok(v1n > 0 && v2n > 0 && n === (dialect === 'v1' ? v1n : v2n),
      `${label}: 0.77 sends both streams (${v1n} v1 and ${v2n} v2 deltas), the ${dialect} dialect counts ${n}`);
  }

  // Approvals: the command, and the answers in this API's words.
  ok(requests.length === 1, `${label}: the recording has one approval request (${requests.map(({ m }) => m.method).join(', ')})`);
  for (const { m, i } of requests) {
    const p = m.params;
    const a = out[i];
    const ids = dialect === 'v1' ? { thread: p.conversationId, turn: null } : { thread: p.threadId, turn: p.turnId };
    const answers = Object.fromEntries(Object.entries(ANSWERS[dialect]).map(([k, v]) => [k, { decision: v }]));
    is({ kind: a.kind, type: a.type, thread: a.thread, turn: a.turn, decline: a.decline },
      { kind: 'approval', type: 'command', ...ids, decline: answers.decline },
      `${label}: ${m.method} is a command approval, declined with ${JSON.stringify(answers.decline)}`);
    is(['accept', 'accept_session', 'cancel'].map((k) => a[k]), ['accept', 'accept_session', 'cancel'].map((k) => answers[k]),
      `${label}: accept, accept for session and cancel in the same vocabulary`);
    // 0.77's v2 request names no command: it is in the item/started with the same itemId.
    const item = msgs.slice(0, i).reverse().find((x) => x.method === 'item/started' && x.params.item.id === p.itemId);
    const from = p.command !== undefined ? p.command : item && item.params.item.command;
    like(JSON.stringify(from), /touch x && echo hi/, `${label}: the recorded request concerns the command`);
    const name = `${label}: the approval carries the command${p.command === undefined ? ' of its item/started' : ''}`;
    if (typeof from === 'string') is(a.command, from, name);
    else like(a.command, /touch x && echo hi/, `${name} (the argument array as one shell line)`);
  }
}

main(async () => {
  const prog = unitProgram('DIALECT_EVENTS', 'dialect-events');
  if (!ok(fs.existsSync(prog), `the unit program is built: ${prog}`)) return;
  const usage = spawnSync(prog, ['v3', '/dev/null'], { encoding: 'utf8' });
  ok(usage.status === 2 && /usage/.test(usage.stderr), 'a dialect other than v1 or v2 is a usage error');
  for (const f of FIXTURES) checkFixture(f, prog);
});
