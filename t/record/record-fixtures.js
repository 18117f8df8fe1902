// Records what real codex app-servers send during a fixed set of turns, as
// fixtures for the dialect unit test: t/data/recorded-<release>-<api>.jsonl,
// one message per line, verbatim (notifications and server requests only).
//
// Usage: node t/record/record-fixtures.js [OUTDIR [RELEASE-API...]]   (OUTDIR defaults to t/data;
//        the runs named, such as 0.171-v2, or all of them)
//
// Each release runs with a fresh CODEX_HOME pointing at t/lib/mock-model.js,
// through: a plain answer, a failing turn ([[fail]]), an interrupted turn
// ([[slow:40:200]], interrupted at its first delta), a command run
// ([[shell:echo hi]], approval policy never) and an approval request
// (approval policy untrusted, [[shell:touch x && echo hi]]), which is declined;
// on v2 also a turn of two messages with phases ([[phases:...]]: commentary,
// then the final answer), which releases from 0.169 pass on.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const { startMockModel } = require('../lib/mock-model.js');

const TOP = path.resolve(__dirname, '..', '..');
const OUT = process.argv[2] || path.join(TOP, 't', 'data');
const WAIT_MS = 30000;
const SETTLE_MS = 300;

const RUNS = [
  { release: '0.50', api: 'v1' },
  { release: '0.77', api: 'v1' },
  { release: '0.77', api: 'v2' },
  { release: '0.169', api: 'v2' },
  { release: '0.171', api: 'v2' },
];

const PROMPTS = {
  text: 'hello there, mock',
  fail: '[[fail]] please',
  slow: '[[slow:40:200]]',
  shell: '[[shell:echo hi]]',
  approval: '[[shell:touch x && echo hi]]',
  phases: '[[phases:commentary=Looking around.|final_answer=Here it is.]]',
};

// Noisy notifications: only the first of each kind is kept.
const NOISY = [
  (m) => m.method === 'codex/event/raw_response_item',
  (m) => m.method === 'codex/event/token_count',
  (m) => m.method === 'thread/tokenUsage/updated',
  (m) => m.method === 'account/rateLimits/updated',
];

// Sleep for ms milliseconds.
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Does this message end a turn of conversation id in the v1 stream?
function v1End(m, id) {
  return (m.method === 'codex/event/task_complete' || m.method === 'codex/event/turn_aborted') &&
    m.params && m.params.conversationId === id;
}

// Does this message end a turn of thread id in the v2 stream?
function v2End(m, id) {
  return m.method === 'turn/completed' && m.params && m.params.threadId === id;
}

// One codex app-server, spoken to over stdio.
class AppServer {
  // Spawn the release's npm launcher in its own process group.
  constructor(release, home, cwd) {
    const launcher = path.join(TOP, 't', 'node_modules', `codex-${release}`, 'bin', 'codex.js');
    if (!fs.existsSync(launcher)) throw new Error(`codex ${release} is not installed: ${launcher}`);
    this.release = release;
    this.sent = [];
    this.pending = new Map();
    this.nextId = 1;
    this.waiters = [];
    this.stderr = '';
    this.child = spawn(process.execPath, [launcher, 'app-server'], {
      cwd,
      env: { ...process.env, HOME: home, CODEX_HOME: home },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    this.exited = new Promise((resolve) => this.child.on('exit', resolve));
    this.child.stderr.on('data', (d) => { this.stderr += d; });
    readline.createInterface({ input: this.child.stdout }).on('line', (l) => this.onLine(l));
  }

  // One line from the app-server: a reply, or a message to record.
  onLine(line) {
    let m;
    try {
      m = JSON.parse(line);
    } catch {
      return;
    }
    if (m.method === undefined && m.id !== undefined) {
      const p = this.pending.get(m.id);
      if (p) {
        this.pending.delete(m.id);
        if (m.error) p.reject(new Error(`${p.method}: ${JSON.stringify(m.error)}`));
        else p.resolve(m.result);
      }
      return;
    }
    this.sent.push(m);
    if (m.id !== undefined && this.onRequest) this.onRequest(m);
    for (const w of this.waiters.splice(0)) {
      if (!w.check()) this.waiters.push(w);
    }
  }

  // Write one message.
  write(m) {
    this.child.stdin.write(`${JSON.stringify(m)}\n`);
  }

  // Send a request; resolves with its result.
  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
      this.write({ id, method, params });
    });
  }

  // Wait for a message (from index `from` on) matching pred; null after ms.
  waitFor(pred, from = 0, ms = WAIT_MS) {
    return new Promise((resolve) => {
      const w = {
        check: () => {
          const m = this.sent.slice(from).find(pred);
          if (m === undefined) return false;
          clearTimeout(w.timer);
          resolve(m);
          return true;
        },
      };
      if (w.check()) return;
      w.timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        resolve(null);
      }, ms);
      this.waiters.push(w);
    });
  }

  // Wait for a message that must come.
  async expect(pred, from, what) {
    const m = await this.waitFor(pred, from);
    if (m === null) throw new Error(`codex ${this.release}: no ${what} within ${WAIT_MS} ms\n${this.stderr}`);
    return m;
  }

  // Close stdin, then make sure the whole process group is gone.
  async close() {
    this.child.stdin.end();
    const gone = await Promise.race([this.exited.then(() => true), sleep(5000).then(() => false)]);
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    if (!gone) await this.exited;
  }
}

// Wait for the end of a turn in the API's stream, and in the other one on 0.77.
async function turnEnd(s, api, id, from) {
  const mine = api === 'v1' ? v1End : v2End;
  const other = api === 'v1' ? v2End : v1End;
  await s.expect((m) => mine(m, id), from, `end of turn (${api})`);
  if (s.release === '0.77' && (await s.waitFor((m) => other(m, id), from, 5000)) === null)
    process.stderr.write(`codex 0.77: no end of turn in the other stream\n`);
  await sleep(SETTLE_MS);
}

// The last turn context in a rollout file (v1 sendUserTurn wants all of it).
function turnContext(file) {
  let ctx = null;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line);
    if (r.type === 'turn_context') ctx = r.payload;
  }
  if (ctx === null) throw new Error(`no turn_context in ${file}`);
  return ctx;
}

// The v1 turns: newConversation, a listener, then sendUserMessage and sendUserTurn.
async function driveV1(s, cwd) {
  const conv = await s.request('newConversation', { cwd, approvalPolicy: 'never', sandbox: 'danger-full-access' });
  const id = conv.conversationId;
  await s.request('addConversationListener', { conversationId: id });
  const items = (text) => [{ type: 'text', data: { text } }];
  let from;

  for (const p of [PROMPTS.text, PROMPTS.fail]) {
    from = s.sent.length;
    await s.request('sendUserMessage', { conversationId: id, items: items(p) });
    await turnEnd(s, 'v1', id, from);
  }

  from = s.sent.length;
  await s.request('sendUserMessage', { conversationId: id, items: items(PROMPTS.slow) });
  await s.expect((m) => m.method === 'codex/event/agent_message_delta', from, 'first delta');
  await s.request('interruptConversation', { conversationId: id });
  await turnEnd(s, 'v1', id, from);

  from = s.sent.length;
  await s.request('sendUserMessage', { conversationId: id, items: items(PROMPTS.shell) });
  await turnEnd(s, 'v1', id, from);

  const ctx = turnContext(conv.rolloutPath);
  from = s.sent.length;
  await s.request('sendUserTurn', {
    conversationId: id,
    items: items(PROMPTS.approval),
    cwd: ctx.cwd,
    approvalPolicy: 'untrusted',
    sandboxPolicy: ctx.sandbox_policy,
    model: ctx.model,
    summary: ctx.summary || 'auto',
  });
  await s.expect((m) => m.method === 'execCommandApproval', from, 'execCommandApproval');
  await turnEnd(s, 'v1', id, from);
}

// The v2 turns: thread/start, then turn/start (and turn/interrupt).
async function driveV2(s, cwd) {
  const started = await s.request('thread/start', { cwd, approvalPolicy: 'never', sandbox: 'danger-full-access' });
  const threadId = started.thread.id;
  const turn = (text, extra = {}) =>
    s.request('turn/start', { threadId, input: [{ type: 'text', text }], ...extra });
  let from;

  for (const p of [PROMPTS.text, PROMPTS.fail, PROMPTS.phases]) {
    from = s.sent.length;
    await turn(p);
    await turnEnd(s, 'v2', threadId, from);
  }

  from = s.sent.length;
  const slow = await turn(PROMPTS.slow);
  await s.expect((m) => m.method === 'item/agentMessage/delta', from, 'first delta');
  await s.request('turn/interrupt', { threadId, turnId: slow.turn.id });
  await turnEnd(s, 'v2', threadId, from);

  from = s.sent.length;
  await turn(PROMPTS.shell);
  await turnEnd(s, 'v2', threadId, from);

  from = s.sent.length;
  await turn(PROMPTS.approval, { approvalPolicy: 'untrusted' });
  await s.expect((m) => m.method === 'item/commandExecution/requestApproval', from, 'requestApproval');
  await turnEnd(s, 'v2', threadId, from);
}

// Drop all but the first of each noisy kind.
function trim(messages) {
  const seen = new Set();
  return messages.filter((m) => {
    const i = NOISY.findIndex((f) => f(m));
    if (i < 0) return true;
    if (seen.has(i)) return false;
    seen.add(i);
    return true;
  });
}

// Record one release and API into OUT.
async function record(mock, { release, api }) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `record-${release}-${api}-`));
  const home = path.join(tmp, 'home');
  const cwd = path.join(tmp, 'work');
  fs.mkdirSync(cwd);
  mock.writeCodexHome(home);
  const s = new AppServer(release, home, cwd);
  s.onRequest = (m) => {
    if (m.method === 'execCommandApproval') s.write({ id: m.id, result: { decision: 'denied' } });
    else if (m.method === 'item/commandExecution/requestApproval') s.write({ id: m.id, result: { decision: 'decline' } });
    else s.write({ id: m.id, error: { code: -32601, message: 'not handled by the recorder' } });
  };
  try {
    await s.request('initialize', { clientInfo: { name: 'record-fixtures', version: '0.0.1' } });
    s.write({ method: 'initialized' });
    if (api === 'v1') await driveV1(s, cwd);
    else await driveV2(s, cwd);
  } finally {
    await s.close();
  }
  const kept = trim(s.sent);
  const file = path.join(OUT, `recorded-${release}-${api}.jsonl`);
  fs.writeFileSync(file, kept.map((m) => `${JSON.stringify(m)}\n`).join(''));
  fs.rmSync(tmp, { recursive: true, force: true });
  process.stdout.write(`${file}: ${kept.length} of ${s.sent.length} messages\n`);
}

// Record every release and API in turn.
async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const mock = await startMockModel();
  try {
    const only = process.argv.slice(3);
    for (const run of RUNS) {
      if (only.length === 0 || only.includes(`${run.release}-${run.api}`)) await record(mock, run);
    }
  } finally {
    await mock.close();
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
