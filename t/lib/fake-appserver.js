'use strict';
// Scripted fake of `codex app-server` 0.169.0 (the v2 API, one JSON message per line on stdio), for
// the faults the real codex will not produce on demand; with --api v1, of 0.77.0's v1 API instead.
// The proxy spawns it as its upstream:
//   /bin/sh -c "node t/lib/fake-appserver.js [options]"
//
// Options (all optional):
//   --api v1|v2            v2 (the default): 0.169's thread/* and turn/* API (thread/start, thread/resume,
//                          thread/read, thread/list, thread/archive, thread/unsubscribe). v1: the v1 API of 0.77
//                          (newConversation, addConversationListener, sendUserTurn, sendUserMessage,
//                          resumeConversation by conversationId or path, interruptConversation,
//                          listConversations, archiveConversation; codex/event/<type> notifications,
//                          sent only to conversations with a listener; execCommandApproval requests;
//                          per-process submission counters "0", "1", ... as turn ids), refusing every v2
//                          method with -32600 "unknown variant"; it writes rollouts in codex's format
//                          under STATE/sessions/YYYY/MM/DD/ and moves them to STATE/archived_sessions/
//   --state DIR            threads and writer leases live here (default $CODEX_HOME, else a temp dir
//                          removed at exit), so a new process can thread/resume an older one's thread
//   --log FILE             append each message received as one JSON line, after a
//                          {"event":"start","pid":..} line and before an {"event":"exit",..} line
//   --pidfile FILE         write our pid (with --launcher: the launcher's pid)
//   --handshake-delay MS   answer initialize MS ms late (the messages after it wait behind it); the
//                          log gets {"event":"handshake-delay","delayMs":MS,"waitedMs":..} just before
//                          the answer
//   --die-on-start         print "fatal: fake startup failure" on stderr and exit 1
//   --exit-after N         exit 0 right after answering the Nth request
//   --exit-after-method M  exit 0 right after answering the first request for method M
//   --ignore-eof           keep running after stdin EOF until killed (default: exit 0 on EOF)
//   --launcher             act like the npm `codex` script on Node 20: run ourselves as a child with
//                          the other options and inherited stdio, and forward SIGTERM/SIGINT/SIGHUP
//   --child-pidfile FILE   with --launcher: write the child's pid
//   --release 0.171        act as 0.171.0: moderation.display in 0.171's shape ({mode, ...}, not 0.169's
//                          {action, ...}), and thread/list honours includedThreadIds
//   --seed SOURCE:PROVIDER:PREVIEW
//                          a stored thread with one completed turn, started from SOURCE (a thread source
//                          kind such as exec or cli) under model provider PROVIDER, made at start unless
//                          already there (its id is derived from the option); repeatable
//   --models               answer model/list (without it, model/list is an unknown method, as in a release
//                          without it): mock-model (the default; efforts low, medium, high, max), mock-mini
//                          (medium) and a hidden mock-secret
//   --malformed METHOD:PATH=JSON
//                          answer the next request for METHOD with the member at PATH of its result (a dotted
//                          path; numbers index arrays; empty: the whole result) set to the JSON value; each
//                          use of the option spoils one answer, in order ("thread/read:thread.turns={}")
//
// Markers in a turn's prompt (without one the answer is "You said: <prompt minus markers>"):
//   [[say:TEXT]]    answer TEXT ("[[" "]]" pairs may nest inside TEXT)
//   [[echo]]        answer the compact JSON of the turn/start params
//   [[slow:N:MS]]   answer N deltas "tick 1 ", "tick 2 ", ... MS ms apart (turn/interrupt stops them)
//   [[huge:N]]      answer N bytes of digits in ONE delta and one item/completed
//   [[fail]]        an `error` notification, then turn/completed with status "failed"
//   [[die]]         exit 3 after turn/started and one delta
//   [[die-silent]]  close stdout, stop reading stdin and hang until a signal
//   [[garbage]]     non-JSON lines, an empty line and a JSON non-object before the answer
//   [[approval]]    ask item/commandExecution/requestApproval; answer "decision: <its JSON>"
//                   ([[approval:N]]: N approvals one after the other, answering with each decision)
//   [[stderr]]      write a few log lines to stderr first
//   [[phases:P=TEXT|P=TEXT...]]  one agentMessage per part, in order, each with phase P (commentary,
//                   partial_answer, final_answer or none for null) and text TEXT
//   [[moderated:MODE:TEXT]]  an agentMessage TEXT (phase final_answer) that moderation marks MODE
//                   (show, hide or block) in moderation.display, in this release's shape
// Like 0.169, the fake stores a thread (its "rollout") only once its first turn starts, so a thread
// whose first turn never started cannot be resumed ("no rollout found"); thread/list lists only the
// threads of the source kinds asked for (default cli and vscode, the interactive ones) and the model
// providers asked for (default the current one, mock; an empty list: all); turn/start takes images
// (image, localImage), outputSchema and clientUserMessageId (the user message item's clientId).
// Markers for the UTF-8 and answer-size checks (v2 only; see the block before v1 mode):
//   [[flood:N]]     stream N bytes (fewer if N cuts a character) of "é€😀 " repeated, in deltas of
//                   65530 bytes waiting for stdout to drain, and end the turn with no agent message;
//                   [[flood:N:MS]] waits MS ms before each delta
//   [[bad-bytes]]   a delta and an agent message whose string holds raw invalid UTF-8 (FF, a cut
//                   3-byte sequence, an overlong '/', a CESU-8 surrogate, a code point past
//                   U+10FFFF) and a lone surrogate escape \ud800: "ok <bytes>\ud800 end"
//   [[bad-stderr]]  write "fatal: <the same bytes>end" on stderr and exit 3 after turn/started
//   [[close-stdout:MS]]  after turn/started, close stdout (logging {"event":"stdout-closed"}), go on reading
//                   and logging stdin, and exit 3 MS ms later
// (A reader sees the EOF of [[die-silent]] and [[close-stdout]] only if no shell holds the fake's stdout too:
// start it with `exec`.)
// In v1 mode the same markers act out v1's events: [[fail]] is an `error` event followed by
// task_complete (last_agent_message null), as 0.77 does; [[approval]] sends exec_command_begin and
// execCommandApproval (`bash -lc 'touch x'`), then exec_command_end, and answers "decision: <its JSON>"
// (an "abort" decision aborts the turn as interrupted). Two more markers exist in v1 mode only:
//   [[stream-error]]  a stream_error event ("Reconnecting... 1/5") before the answer
//   [[warning]]       a warning event ("fake-appserver warning") before the answer
// Markers for the security checks (both modes):
//   [[fds]]              answer the JSON list of our open descriptors above 2, [{"fd":N,"target":T}],
//                        T being what /proc/self/fd/N links to (what the proxy let us inherit)
//   [[stdout-line:TEXT]] write TEXT as a line of its own on stdout (not JSON) before the answer
//   [[stderr-line:TEXT]] write TEXT as a line on stderr before the answer

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const { parseArgs } = require('node:util');

let VERSION = '0.169.0'; // 0.77.0 with --api v1
const INVALID_REQUEST = -32600;
const INTERNAL_ERROR = -32603;
const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'];
const OPTIONS = {
  'api': { type: 'string' },
  'state': { type: 'string' },
  'log': { type: 'string' },
  'pidfile': { type: 'string' },
  'handshake-delay': { type: 'string' },
  'die-on-start': { type: 'boolean' },
  'exit-after': { type: 'string' },
  'exit-after-method': { type: 'string' },
  'ignore-eof': { type: 'boolean' },
  'launcher': { type: 'boolean' },
  'child-pidfile': { type: 'string' },
  'malformed': { type: 'string', multiple: true },
  'release': { type: 'string' },
  'seed': { type: 'string', multiple: true },
  'models': { type: 'boolean' },
};
// What may follow each marker's name inside [[...]]; group 1 is the marker's argument.
const MARKERS = {
  'say': /^:([\s\S]*)$/,
  'echo': /^()$/,
  'slow': /^:(\d+:\d+)$/,
  'huge': /^:(\d+)$/,
  'fail': /^()$/,
  'die': /^()$/,
  'die-silent': /^()$/,
  'garbage': /^()$/,
  'approval': /^((?::\d+)?)$/,
  'stderr': /^()$/,
  'phases': /^:([\s\S]*)$/,
  'moderated': /^:((?:show|hide|block):[\s\S]*)$/,
  'stream-error': /^()$/,
  'warning': /^()$/,
  'flood': /^:(\d+(?::\d+)?)$/,
  'bad-bytes': /^()$/,
  'bad-stderr': /^()$/,
  // Security checks.
  'fds': /^()$/,
  'stdout-line': /^:([\s\S]*)$/,
  'stderr-line': /^:([\s\S]*)$/,
  'close-stdout': /^:(\d+)$/,
};
let HANDLERS = {
  'initialize': initialize,
  'thread/start': threadStart,
  'thread/resume': threadResume,
  'thread/read': threadRead,
  'thread/list': threadList,
  'thread/archive': threadArchive,
  'thread/unsubscribe': threadUnsubscribe,
  'turn/start': turnStart,
  'turn/interrupt': turnInterrupt,
};
const SANDBOXES = {
  'read-only': { type: 'readOnly' },
  'workspace-write': {
    type: 'workspaceWrite', writableRoots: [], networkAccess: false, excludeTmpdirEnvVar: false,
    excludeSlashTmp: false,
  },
  'danger-full-access': { type: 'dangerFullAccess' },
};
// What 0.169 reports when the model's stream fails (the mock model says "mock failure").
const MODEL_FAILURE = {
  message: 'stream disconnected before completion: mock failure', codexErrorInfo: 'other',
  additionalDetails: null, misalignment: null,
};
const RATE_LIMITS = {
  rateLimits: {
    limitId: 'codex', limitName: null, normalModelSlug: null, primary: null, secondary: null,
    credits: null, individualLimit: null, spendControlReached: null, planType: null,
    rateLimitReachedType: null,
  },
};
const TURN_TOKENS = {
  totalTokens: 15, inputTokens: 10, cachedInputTokens: 0, cacheWriteInputTokens: 0,
  outputTokens: 5, reasoningOutputTokens: 0,
};
const APPROVAL_COMMAND = 'touch x';
const INTERACTIVE_SOURCES = ['cli', 'vscode']; // what thread/list lists without sourceKinds

let opts = {}; // the parsed command line
let stateDir = null; // where thread files and leases live
let ownStateDir = false; // stateDir is a temp dir of ours, removed at exit
let clientName = null; // clientInfo.name, once initialized
let stdoutOpen = true; // false after [[die-silent]]
let wedged = false; // [[die-silent]]: read nothing more
let answered = 0; // requests answered, for --exit-after
let nextRequestId = 0; // server→client request ids count from 0 in each process
let nextItemId = 0; // agentMessage and commandExecution item ids
let exiting = false;
const loaded = new Map(); // threadId → { rec, status, turn } for the threads loaded here
const leases = new Set(); // threadIds whose writer lease we hold
const pending = new Map(); // server request id → function taking the client's answer

// An error to answer a request with (-32600, as for every error 0.169 gives).
function rpcError(message) {
  const err = new Error(message);
  err.rpcCode = INVALID_REQUEST;
  return err;
}

// Fail the request unless params has each of the fields.
function requireFields(params, fields) {
  for (const field of fields) {
    if (params[field] === undefined) throw rpcError(`Invalid request: missing field \`${field}\``);
  }
}

// Write raw bytes to stdout, unless it was closed.
function writeRaw(data) {
  if (stdoutOpen) process.stdout.write(data);
}

// Write one message as a JSON line.
function send(msg) {
  writeRaw(`${JSON.stringify(msg)}\n`);
}

// Send a notification; 0.169 stamps each one with emittedAtMs.
function notify(method, params) {
  send({ method, params, emittedAtMs: Date.now() });
}

// Send a response, then exit if it was the --exit-after'th.
function answer(msg) {
  send(msg);
  answered++;
  if (answered === Number(opts['exit-after'])) process.exit(0);
}

// Append a line to the --log file.
function logLine(obj) {
  if (opts.log) fs.appendFileSync(opts.log, `${JSON.stringify(obj)}\n`);
}

// A fresh UUIDv7 (48-bit ms timestamp, version 7, variant 10), the shape of 0.169's ids.
function uuidv7() {
  const b = crypto.randomBytes(16);
  b.writeUIntBE(Date.now(), 0, 6);
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// Milliseconds to the whole seconds 0.169 uses for createdAt, startedAt and the like.
function secs(ms) {
  return Math.floor(ms / 1000);
}

// Resolve after `ms`, or as soon as the turn is stopped.
function pause(turn, ms) {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      turn.wakers.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    turn.wakers.add(wake);
  });
}

// Keep the process alive with nothing to read.
function keepAlive() {
  setInterval(() => {}, 1 << 30);
}

// The file holding a thread, or null if `id` cannot be a thread id.
function threadFile(id) {
  if (typeof id !== 'string' || !/^[0-9a-f-]+$/i.test(id)) return null;
  return path.join(stateDir, 'fake-sessions', `${id}.json`);
}

// The file holding a thread's writer lease (the pid of its holder).
function leaseFile(id) {
  return path.join(stateDir, 'fake-writer-locks', `${id}.lock`);
}

// Read a stored thread, or null if there is none.
function readThread(id) {
  const file = threadFile(id);
  if (file === null || !fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// Every stored thread, archived or not.
function readAllThreads() {
  return fs.readdirSync(path.join(stateDir, 'fake-sessions'))
    .filter((name) => name.endsWith('.json'))
    .map((name) => readThread(name.slice(0, -'.json'.length)));
}

// Store a thread atomically, so that another process never reads half a file.
function saveThread(rec) {
  const tmp = `${rec.path}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(rec));
  fs.renameSync(tmp, rec.path);
}

// Whether pid is a live process; a zombie counts as dead, as its lease died with it.
function isAlive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

// Take a thread's single-writer lease, as 0.169 does; fails while another live process holds it.
function takeLease(id) {
  const file = leaseFile(id);
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      leases.add(id);
      return;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let holder;
    try {
      holder = Number(fs.readFileSync(file, 'utf8'));
    } catch {
      continue; // released meanwhile
    }
    if (holder === process.pid) {
      leases.add(id);
      return;
    }
    if (!(holder > 0) || isAlive(holder)) throw rpcError(`thread ${id} already has an active writer`);
    fs.rmSync(file, { force: true });
  }
}

// Give up a thread's lease, if it is still ours.
function releaseLease(id) {
  const file = leaseFile(id);
  leases.delete(id);
  try {
    if (Number(fs.readFileSync(file, 'utf8')) === process.pid) fs.unlinkSync(file);
  } catch {
    // already gone
  }
}

// The kebab-case `sandbox` of thread/start and thread/resume as a v2 sandbox policy.
function sandboxPolicy(mode) {
  if (!Object.hasOwn(SANDBOXES, mode)) {
    const expected = Object.keys(SANDBOXES).map((m) => `\`${m}\``).join(', ');
    throw rpcError(`Invalid request: unknown variant \`${mode}\`, expected one of ${expected}`);
  }
  return structuredClone(SANDBOXES[mode]);
}

// The v2 Thread object; in thread/list, as in 0.169, canAcceptDirectInput is null.
function threadView(rec, status, turns, listed) {
  const live = status.type !== 'notLoaded';
  return {
    id: rec.id,
    environments: live ? [{ environmentId: 'local', cwd: rec.cwd, runtimeWorkspaceRoots: [rec.cwd] }] : null,
    extra: null, sessionId: rec.id, forkedFromId: null, attachedToThreadId: null, parentThreadId: null,
    preview: rec.preview, ephemeral: false, section: null, sectionEnteredAt: null, projectId: null,
    historyMode: 'paginated', modelProvider: rec.modelProvider, model: rec.model,
    reasoningEffort: rec.reasoningEffort, createdAt: secs(rec.createdAtMs),
    updatedAt: secs(rec.updatedAtMs), recencyAt: secs(rec.updatedAtMs), status, path: rec.path,
    cwd: rec.cwd, cliVersion: VERSION, originator: rec.originator, source: rec.source ?? 'vscode',
    canAcceptDirectInput: listed ? null : true, threadSource: null, agentNickname: null,
    agentRole: null, gitInfo: null, name: null, daybreakEnabled: null, turns,
  };
}

// The result of thread/start (thread/resume adds a few fields).
function sessionView(rec, thread) {
  return {
    thread, model: rec.model, modelProvider: rec.modelProvider, serviceTier: null,
    disabledPluginIds: [], cwd: rec.cwd, runtimeWorkspaceRoots: [rec.cwd], instructionSources: [],
    approvalPolicy: rec.approvalPolicy, approvalsReviewer: 'user', sandbox: rec.sandbox,
    activePermissionProfile: null, reasoningEffort: rec.reasoningEffort,
    multiAgentMode: 'explicitRequestOnly',
  };
}

// The v2 Turn object; an ended turn has completedAt and durationMs.
function turnView(turn, status, items, itemsView, error) {
  const ended = status !== 'inProgress';
  return {
    id: turn.id, rootTurnId: turn.id, items, itemsView, status, error,
    startedAt: secs(turn.startedAtMs), completedAt: ended ? secs(turn.completedAtMs) : null,
    durationMs: ended ? turn.completedAtMs - turn.startedAtMs : null,
  };
}

// Make a stored thread live in this process (its lease already taken).
function loadThread(rec) {
  const thread = { rec, status: { type: 'idle' }, turn: null };
  loaded.set(rec.id, thread);
  return thread;
}

// A thread loaded in this process, or the error 0.169 gives for any other.
function loadedThread(id) {
  const thread = loaded.get(id);
  if (thread === undefined) throw rpcError(`thread not found: ${id}`);
  return thread;
}

// Change a loaded thread's status and say so.
function setStatus(thread, status) {
  thread.status = status;
  notify('thread/status/changed', { threadId: thread.rec.id, status });
}

// Send thread/tokenUsage/updated, counting 15 tokens per completed turn.
function notifyTokenUsage(thread, turnId, completedTurns) {
  const total = {};
  for (const [key, value] of Object.entries(TURN_TOKENS)) total[key] = value * completedTurns;
  notify('thread/tokenUsage/updated', {
    threadId: thread.rec.id, turnId, tokenUsage: { total, last: TURN_TOKENS, modelContextWindow: 258400 },
  });
}

// --handshake-delay: wait before answering initialize, and log how long ({"event":"handshake-delay",..}).
async function handshakeDelay() {
  const delay = Number(opts['handshake-delay'] ?? 0);
  if (!(delay > 0)) return;
  const start = Date.now();
  await new Promise((resolve) => setTimeout(resolve, delay));
  logLine({ event: 'handshake-delay', delayMs: delay, waitedMs: Date.now() - start });
}

// initialize: remember the client's name and say who we are.
async function initialize(params, reply) {
  requireFields(params, ['clientInfo']);
  await handshakeDelay();
  const { name = '', version = '' } = params.clientInfo;
  clientName = name;
  reply({
    userAgent: `${name}/${VERSION} (fake-appserver; ${os.arch()}) (${name}; ${version})`,
    codexHome: stateDir, platformFamily: 'unix', platformOs: 'linux',
  });
  notify('remoteControl/status/changed', {
    status: 'disabled', serverName: os.hostname(), installationId: uuidv7(), environmentId: null,
  });
}

// thread/start: create, store and load a thread, and take its lease.
function threadStart(params, reply) {
  const config = params.config ?? {};
  if (config.profile !== undefined) {
    const p = config.profile;
    throw rpcError(`failed to load configuration: legacy \`profile = "${p}"\` config is no longer ` +
      `supported; use \`--profile ${p}\` with \`${p}.config.toml\` instead`);
  }
  const id = uuidv7();
  const now = Date.now();
  const rec = {
    id, path: threadFile(id), cwd: params.cwd ?? process.cwd(),
    model: params.model ?? config.model ?? 'mock-model', modelProvider: params.modelProvider ?? 'mock',
    reasoningEffort: config.model_reasoning_effort ?? null,
    approvalPolicy: params.approvalPolicy ?? 'never',
    sandbox: sandboxPolicy(params.sandbox ?? 'danger-full-access'),
    baseInstructions: params.baseInstructions ?? null,
    developerInstructions: params.developerInstructions ?? null,
    originator: clientName, preview: '', createdAtMs: now, updatedAtMs: now, archived: false, turns: [],
  };
  takeLease(id);
  const thread = loadThread(rec); // stored once its first turn starts, as since 0.151
  const view = threadView(rec, thread.status, [], false);
  reply(sessionView(rec, view));
  notify('thread/started', { thread: view });
}

// thread/resume: load a thread stored by any process, with its turns unless excludeTurns.
function threadResume(params, reply) {
  requireFields(params, ['threadId']);
  const id = params.threadId;
  const rec = loaded.get(id)?.rec ?? readThread(id);
  if (rec === null || rec.archived) throw rpcError(`no rollout found for thread id ${id}`);
  const sandbox = params.sandbox === undefined ? rec.sandbox : sandboxPolicy(params.sandbox);
  if (!params.excludeTurns) {
    notify('deprecationNotice', {
      summary: 'Full-history hydration is deprecated for paginated threads; use `excludeTurns: true`, ' +
        'then page with `thread/turns/list` and `thread/items/list`.',
      details: null,
    });
  }
  let thread = loaded.get(id);
  if (thread === undefined) {
    takeLease(id);
    thread = loadThread(rec);
  }
  thread.unsubscribed = false;
  rec.cwd = params.cwd ?? rec.cwd;
  rec.model = params.model ?? rec.model;
  rec.approvalPolicy = params.approvalPolicy ?? rec.approvalPolicy;
  rec.sandbox = sandbox;
  saveThread(rec);
  setStatus(thread, thread.status);
  const settings = {
    model: rec.model, reasoning_effort: rec.reasoningEffort, developer_instructions: rec.developerInstructions,
  };
  reply({
    ...sessionView(rec, threadView(rec, thread.status, params.excludeTurns ? [] : rec.turns, false)),
    collaborationMode: { mode: 'default', settings }, initialTurnsPage: null,
  });
  if (rec.turns.length > 0) {
    const completed = rec.turns.filter((t) => t.status === 'completed').length;
    notifyTokenUsage(thread, rec.turns.at(-1).id, completed);
  }
  notify('thread/goal/cleared', { threadId: id });
}

// thread/read: a stored thread, loaded or not, with its turns if includeTurns.
function threadRead(params, reply) {
  requireFields(params, ['threadId']);
  const id = params.threadId;
  const thread = loaded.get(id);
  const rec = thread?.rec ?? readThread(id);
  if (rec === null) throw rpcError(`no rollout found for thread id ${id}`);
  const status = thread?.status ?? { type: 'notLoaded' };
  reply({ thread: threadView(rec, status, params.includeTurns ? rec.turns : [], false) });
}

// One page of the threads `all` (sorted): from after the cursor (a thread id), `size` of them at most.
function pageOf(all, cursor, size) {
  let start = 0;
  if (cursor !== undefined && cursor !== null) {
    start = all.findIndex((rec) => rec.id === cursor) + 1;
    if (start === 0) throw rpcError(`invalid cursor: ${cursor}`);
  }
  const n = Math.max(1, size ?? 25);
  const page = all.slice(start, start + n);
  return { page, next: start + n < all.length ? page.at(-1).id : null };
}

// thread/list: the stored threads, most recently updated first, `limit` to a page.
function threadList(params, reply) {
  const kinds = params.sourceKinds?.length ? params.sourceKinds : INTERACTIVE_SOURCES;
  const providers = params.modelProviders ?? ['mock'];
  const only = VERSION === '0.171.0' ? params.includedThreadIds ?? null : null;
  const all = readAllThreads()
    .filter((rec) => rec.archived === Boolean(params.archived))
    .filter((rec) => kinds.includes(rec.source ?? 'vscode'))
    .filter((rec) => providers.length === 0 || providers.includes(rec.modelProvider))
    .filter((rec) => only === null || only.includes(rec.id))
    .sort((a, b) => b.updatedAtMs - a.updatedAtMs || b.id.localeCompare(a.id));
  const { page, next } = pageOf(all, params.cursor, params.limit);
  reply({
    data: page.map((rec) => threadView(rec, loaded.get(rec.id)?.status ?? { type: 'notLoaded' }, [], true)),
    readStates: {},
    nextCursor: next,
    backwardsCursor: null,
  });
}

// thread/archive: unload a thread and hide it from thread/list and thread/resume.
function threadArchive(params, reply) {
  requireFields(params, ['threadId']);
  const id = params.threadId;
  const thread = loaded.get(id);
  const rec = thread?.rec ?? readThread(id);
  if (rec === null || rec.archived) throw rpcError(`no rollout found for thread id ${id}`);
  if (thread === undefined) {
    takeLease(id); // fails if another process is the writer
  } else {
    if (thread.turn !== null) stopTurn(thread.turn, 'interrupted');
    setStatus(thread, { type: 'notLoaded' });
    loaded.delete(id);
  }
  releaseLease(id);
  rec.archived = true;
  saveThread(rec);
  reply({});
  notify('thread/archived', { threadId: id });
}

// thread/unsubscribe: as 0.169 and 0.171 answer it. The thread stays loaded here, with its writer
// lease: codex unloads it (thread/closed) only 60 s later, which this fake never does.
function threadUnsubscribe(params, reply) {
  requireFields(params, ['threadId']);
  const thread = loaded.get(params.threadId);
  if (thread === undefined) return reply({ status: 'notLoaded' });
  if (thread.unsubscribed) return reply({ status: 'notSubscribed' });
  thread.unsubscribed = true;
  reply({ status: 'unsubscribed' });
}

// turn/start: reply with the new turn at once, then act the turn out asynchronously.
function turnStart(params, reply) {
  requireFields(params, ['threadId', 'input']);
  const thread = loadedThread(params.threadId);
  if (thread.turn !== null) throw rpcError(`thread ${params.threadId} already has an active turn`);
  const rec = thread.rec;
  rec.cwd = params.cwd ?? rec.cwd;
  rec.model = params.model ?? rec.model;
  rec.reasoningEffort = params.effort ?? rec.reasoningEffort;
  rec.approvalPolicy = params.approvalPolicy ?? rec.approvalPolicy;
  rec.sandbox = params.sandboxPolicy ?? rec.sandbox;
  const text = params.input.filter((i) => i.type === 'text').map((i) => i.text).join('\n');
  const now = Date.now();
  const content = params.input.map((i) => (i.type === 'text' ? { type: 'text', text: i.text, text_elements: [] } : i));
  const turn = {
    id: uuidv7(), params, text, ...parseMarkers(text), state: 'running', wakers: new Set(),
    startedAtMs: now, completedAtMs: null,
    userItem: {
      type: 'userMessage', id: uuidv7(), clientId: params.clientUserMessageId ?? null, content, startedAtMs: now,
      completedAtMs: now,
    },
  };
  thread.turn = turn;
  saveThread(rec);
  if (turn.markers.stderr !== undefined) writeStderrLines();
  reply({ turn: { ...turnView(turn, 'inProgress', [], 'notLoaded', null), startedAt: null } });
  runTurn(thread, turn).catch(crash);
}

// turn/interrupt: stop the thread's active turn, which then ends with status "interrupted".
function turnInterrupt(params, reply) {
  requireFields(params, ['threadId', 'turnId']);
  const thread = loadedThread(params.threadId);
  const turn = thread.turn;
  if (turn === null) throw rpcError('no active turn to interrupt');
  if (turn.id !== params.turnId) throw rpcError(`expected active turn id ${params.turnId} but found ${turn.id}`);
  stopTurn(turn, 'interrupted');
  notify('account/rateLimits/updated', RATE_LIMITS);
  reply({});
  finishTurn(thread, turn, 'interrupted', [], null);
}

// The index of the "]]" that closes a marker whose body starts at `start`, or -1.
function closingBrackets(text, start) {
  let depth = 0;
  for (let i = start; i < text.length - 1; i++) {
    if (text.startsWith('[[', i)) {
      depth++;
      i++;
    } else if (text.startsWith(']]', i)) {
      if (depth === 0) return i;
      depth--;
      i++;
    }
  }
  return -1;
}

// Split a prompt into its markers ({ name: argument }) and the rest of its text, trimmed.
function parseMarkers(text) {
  const markers = {};
  let rest = '';
  let i = 0;
  for (let open = text.indexOf('[['); open >= 0; open = text.indexOf('[[', i)) {
    const close = closingBrackets(text, open + 2);
    const body = close < 0 ? '' : text.slice(open + 2, close);
    const name = /^[a-z-]*/.exec(body)[0];
    const arg = Object.hasOwn(MARKERS, name) ? MARKERS[name].exec(body.slice(name.length)) : null;
    if (arg === null) {
      rest += text.slice(i, open + 2);
      i = open + 2;
    } else {
      markers[name] = arg[1];
      rest += text.slice(i, open);
      i = close + 2;
    }
  }
  return { markers, rest: (rest + text.slice(i)).trim() };
}

// [[stderr]]: a few lines in the shape of codex's own log lines.
function writeStderrLines() {
  const stamp = new Date().toISOString();
  process.stderr.write(`${stamp}  INFO codex_app_server: fake-appserver stderr line 1\n` +
    `${stamp}  WARN codex_core::models_manager: fake-appserver stderr line 2\n` +
    `${stamp} ERROR codex_core::codex: fake-appserver stderr line 3\n`);
}

// [[fds]]: our descriptors above 2 and what they link to.
function openDescriptors() {
  const dir = '/proc/self/fd';
  return fs.readdirSync(dir).map(Number).filter((fd) => fd > 2).map((fd) => {
    let target = null;
    try { target = fs.readlinkSync(`${dir}/${fd}`); } catch { /* closed meanwhile (the listing's own) */ }
    return { fd, target };
  }).filter((d) => d.target !== null);
}

// [[stdout-line:TEXT]], [[stderr-line:TEXT]]: a line of text on either.
function writeLines(markers) {
  if (markers['stdout-line'] !== undefined) writeRaw(`${markers['stdout-line']}\n`);
  if (markers['stderr-line'] !== undefined) process.stderr.write(`${markers['stderr-line']}\n`);
}

// [[garbage]]: lines that a JSON-lines reader must survive.
function writeGarbage() {
  writeRaw('garbage{{{\n');
  writeRaw('[1,2\n');
  writeRaw(Buffer.from([0x00, 0x01, 0x7f, 0xc3, 0x28, 0xfe, 0xff, 0x1b, 0x5b, 0x6d, 0x0a]));
  writeRaw('\n');
  writeRaw('42\n');
}

// Close stdout for good.
function closeStdout() {
  stdoutOpen = false;
  fs.closeSync(1);
  fs.openSync('/dev/null', 'w'); // takes fd 1, so that nothing else lands there
}

// [[die-silent]]: close stdout and stop reading, but stay alive like a wedged process.
function wedge() {
  wedged = true;
  closeStdout();
  process.stdin.pause();
  keepAlive();
}

// Stop a running turn and wake whatever it waits for.
function stopTurn(turn, state) {
  turn.state = state;
  for (const wake of [...turn.wakers]) wake();
}

// Send a server→client request and wait for the answer (undefined if the turn stops first).
function request(turn, id, method, params) {
  send({ method, id, params });
  return new Promise((resolve) => {
    const done = (reply) => {
      pending.delete(id);
      turn.wakers.delete(done);
      resolve(reply);
    };
    pending.set(id, done);
    turn.wakers.add(done);
  });
}

// The agent's answer to a turn, as its markers ask.
function answerText(turn) {
  const { markers } = turn;
  if (markers.huge !== undefined) {
    const n = Number(markers.huge);
    return '0123456789'.repeat(Math.ceil(n / 10)).slice(0, n);
  }
  if (markers.echo !== undefined) return JSON.stringify(turn.params);
  if (markers.fds !== undefined) return JSON.stringify(openDescriptors());
  if (markers.say !== undefined) return markers.say;
  return `You said: ${turn.rest}`;
}

// Cut an answer into deltas: word by word, as ticks for [[slow]], in one piece for [[huge]].
function deltasOf(turn, text) {
  const { markers } = turn;
  if (markers.slow !== undefined) {
    const [n, ms] = markers.slow.split(':').map(Number);
    return { chunks: Array.from({ length: n }, (_, i) => `tick ${i + 1} `), gap: ms };
  }
  if (markers.huge !== undefined) return { chunks: [text], gap: 0 };
  return { chunks: text.match(/\s*\S+\s*/g) ?? [], gap: 0 };
}

// Act out a turn after its turn/start reply, in 0.169's order of notifications.
async function runTurn(thread, turn) {
  const ids = { threadId: thread.rec.id, turnId: turn.id };
  await pause(turn, 0);
  if (turn.state !== 'running') return;
  setStatus(thread, { type: 'active', activeFlags: [] });
  notify('turn/started', { threadId: ids.threadId, turn: turnView(turn, 'inProgress', [], 'notLoaded', null) });
  const user = turn.userItem;
  notify('item/started', { item: { ...user, completedAtMs: null }, ...ids, startedAtMs: user.startedAtMs });
  notify('item/completed', { item: user, ...ids, contentTokenCount: null, completedAtMs: user.completedAtMs });
  if (turn.markers.garbage !== undefined) writeGarbage();
  writeLines(turn.markers);
  if (turn.markers['die-silent'] !== undefined) return wedge();
  if (turn.markers.flood !== undefined) return floodTurn(thread, turn);
  if (turn.markers['bad-bytes'] !== undefined) return badBytesTurn(thread, turn);
  if (turn.markers['bad-stderr'] !== undefined) return dieBadStderr();
  if (turn.markers['close-stdout'] !== undefined) return exitLater(Number(turn.markers['close-stdout']));
  let text = answerText(turn);
  if (turn.markers.approval !== undefined) {
    const decisions = [];
    for (let n = Number(turn.markers.approval.slice(1) || 1); n > 0; n--) {
      decisions.push(`decision: ${JSON.stringify(await askApproval(thread, turn))}`);
      if (turn.state !== 'running') return;
    }
    text = decisions.join('\n');
  }
  await pause(turn, 0);
  if (turn.state !== 'running') return;
  if (turn.markers.fail !== undefined) return failTurn(thread, turn);
  const items = [];
  for (const part of answerParts(turn, text)) {
    const item = await streamAnswer(turn, part.text, part.phase, part.moderation);
    if (item === null) return;
    items.push(item);
  }
  notifyTokenUsage(thread, turn.id, thread.rec.turns.filter((t) => t.status === 'completed').length + 1);
  notify('account/rateLimits/updated', RATE_LIMITS);
  finishTurn(thread, turn, 'completed', items, null);
}

// The agent messages of a turn's answer: [[phases]] parts, a [[moderated]] one, or the one text.
function answerParts(turn, text) {
  const { markers } = turn;
  if (markers.phases !== undefined) {
    return markers.phases.split('|').map((part) => {
      const eq = part.indexOf('=');
      const phase = part.slice(0, eq);
      return { text: part.slice(eq + 1), phase: phase === 'none' ? null : phase, moderation: null };
    });
  }
  if (markers.moderated !== undefined) {
    const colon = markers.moderated.indexOf(':');
    const mode = markers.moderated.slice(0, colon);
    return [{ text: markers.moderated.slice(colon + 1), phase: 'final_answer', moderation: moderationOf(mode) }];
  }
  return [{ text, phase: null, moderation: null }];
}

// AgentMessageModeration marking a message show, hide or block: 0.171's display {mode, ...}, or 0.169's
// {action, ...} (0.169's schema names no action values; the fake uses 0.171's words).
function moderationOf(mode) {
  if (VERSION !== '0.171.0') {
    return {
      moderated: true,
      display: { action: mode, blockType: mode === 'block' ? 'cyber' : null, checkTrustedContacts: null, cyberTrustedAccess: null },
    };
  }
  const display = {
    show: { mode, annotation: null, trustedContacts: 'skip', version: 1 },
    hide: { mode, replacement: { kind: 'wellbeingPromptHelpline' }, version: 1 },
    block: { mode, reason: { kind: 'cyber', trustedAccess: null }, version: 1 },
  }[mode];
  return { moderated: true, display };
}

// Stream an agent message (item/started, deltas, item/completed) with this phase and moderation; null
// if the turn stopped.
async function streamAnswer(turn, text, phase = null, moderation = null) {
  const ids = { threadId: turn.params.threadId, turnId: turn.id };
  const item = {
    type: 'agentMessage', moderation, id: `msg_fake_${nextItemId++}`, text: '', phase,
    memoryCitation: null, delivery: null, questions: null, startedAtMs: Date.now(), completedAtMs: null,
  };
  notify('item/started', { item, ...ids, startedAtMs: item.startedAtMs });
  const { chunks, gap } = deltasOf(turn, text);
  for (const [i, delta] of chunks.entries()) {
    if (i > 0 && gap > 0) {
      await pause(turn, gap);
      if (turn.state !== 'running') return null;
    }
    notify('item/agentMessage/delta', { ...ids, itemId: item.id, delta });
    if (turn.markers.die !== undefined) process.exit(3);
  }
  const done = { ...item, text: chunks.join(''), completedAtMs: Date.now() };
  notify('item/completed', { item: done, ...ids, contentTokenCount: null, completedAtMs: done.completedAtMs });
  return done;
}

// [[approval]]: run a command that needs the client's approval; returns the decision it gave.
async function askApproval(thread, turn) {
  const ids = { threadId: thread.rec.id, turnId: turn.id };
  const startedAtMs = Date.now();
  const commandActions = [{ type: 'unknown', command: APPROVAL_COMMAND }];
  const amendment = APPROVAL_COMMAND.split(' ');
  const item = {
    type: 'commandExecution', id: `call_fake_${nextItemId++}`, pluginId: null, scriptPath: null,
    command: `/bin/bash -lc '${APPROVAL_COMMAND}'`, cwd: thread.rec.cwd, processId: null, source: 'agent',
    status: 'inProgress', commandActions, aggregatedOutput: null, exitCode: null, durationMs: null,
    startedAtMs, completedAtMs: null,
  };
  setStatus(thread, { type: 'active', activeFlags: ['waitingOnApproval'] });
  notify('item/started', { item, ...ids, startedAtMs });
  const requestId = nextRequestId++;
  const reply = await request(turn, requestId, 'item/commandExecution/requestApproval', {
    kind: 'command', ...ids, itemId: item.id, startedAtMs, environmentId: 'local', command: item.command,
    cwd: item.cwd, commandActions, proposedExecpolicyAmendment: amendment,
    availableDecisions: ['accept', { acceptWithExecpolicyAmendment: { execpolicy_amendment: amendment } }, 'cancel'],
  });
  if (turn.state !== 'running') return undefined;
  const decision = reply.result?.decision ?? null;
  const accepted = decision === 'accept' || decision === 'acceptForSession' ||
    (typeof decision === 'object' && decision !== null && 'acceptWithExecpolicyAmendment' in decision);
  notify('serverRequest/resolved', { threadId: ids.threadId, requestId });
  const completedAtMs = Date.now();
  const ran = { processId: String(process.pid), source: 'unifiedExecStartup', status: 'completed',
    aggregatedOutput: '', exitCode: 0, durationMs: 0 };
  const ended = { ...item, ...(accepted ? ran : { status: 'declined' }), completedAtMs };
  // 0.169 reports the status change before an accepted command's item, after a declined one's.
  if (accepted) setStatus(thread, { type: 'active', activeFlags: [] });
  notify('item/completed', { item: ended, ...ids, contentTokenCount: null, completedAtMs });
  if (!accepted) setStatus(thread, { type: 'active', activeFlags: [] });
  return decision;
}

// [[fail]]: report a failed model stream as 0.169 does and end the turn as "failed".
function failTurn(thread, turn) {
  notify('account/rateLimits/updated', RATE_LIMITS);
  setStatus(thread, { type: 'systemError' });
  notify('error', { error: MODEL_FAILURE, willRetry: false, threadId: thread.rec.id, turnId: turn.id });
  finishTurn(thread, turn, 'failed', [], MODEL_FAILURE);
}

// End a turn: status idle (a failed turn leaves systemError), turn/completed, the turn stored.
function finishTurn(thread, turn, status, items, error) {
  turn.state = status;
  turn.completedAtMs = Date.now();
  thread.turn = null;
  if (status !== 'failed') setStatus(thread, { type: 'idle' });
  notify('turn/completed', {
    threadId: thread.rec.id, turn: turnView(turn, status, items, items.length > 0 ? 'summary' : 'notLoaded', error),
  });
  const rec = thread.rec;
  rec.turns.push(turnView(turn, status, [turn.userItem, ...items], 'full', error));
  rec.preview = rec.preview || turn.text;
  rec.updatedAtMs = turn.completedAtMs;
  saveThread(rec);
}

// ---- UTF-8 and answer-size markers: [[flood:N]], [[bad-bytes]] and [[bad-stderr]].

const FLOOD_UNIT = 'é€😀 '; // 2 + 3 + 4 + 1 bytes: most byte counts cut a character
const FLOOD_DELTA = 6553; // units per delta: 65530 bytes
// Raw bytes no JSON encoder writes: each maximal invalid part decodes to one U+FFFD or more.
const BAD_UTF8 = Buffer.from([
  0x6f, 0x6b, 0x20, 0xff, 0x20, 0xe2, 0x82, 0x20, 0xc0, 0xaf, 0x20, 0xed, 0xa0, 0x80, 0x20,
  0xf4, 0x90, 0x80, 0x80, 0x20,
]);

// Write a line, waiting until stdout has taken it.
function writeDrained(data) {
  return new Promise((resolve) => {
    if (!stdoutOpen || process.stdout.write(data)) resolve();
    else process.stdout.once('drain', resolve);
  });
}

// The longest run of whole characters of FLOOD_UNIT repeated that fits in n bytes.
function floodText(n) {
  const unitBytes = Buffer.byteLength(FLOOD_UNIT);
  let text = FLOOD_UNIT.repeat(Math.floor(n / unitBytes));
  for (const ch of FLOOD_UNIT) {
    if (Buffer.byteLength(text + ch) > n) break;
    text += ch;
  }
  return text;
}

// [[flood:N:MS]]: N bytes of multi-byte text in big deltas, no agent message, then turn/completed.
async function floodTurn(thread, turn) {
  const ids = { threadId: thread.rec.id, turnId: turn.id };
  const itemId = `msg_fake_${nextItemId++}`;
  const chunk = Buffer.byteLength(FLOOD_UNIT) * FLOOD_DELTA;
  const [total, gap = 0] = turn.markers.flood.split(':').map(Number);
  for (let left = total; left > 0 && turn.state === 'running';) {
    if (gap > 0) await pause(turn, gap);
    if (turn.state !== 'running') return;
    const delta = floodText(Math.min(left, chunk));
    if (delta === '') break;
    left -= Buffer.byteLength(delta);
    await writeDrained(`${JSON.stringify({ method: 'item/agentMessage/delta', params: { ...ids, itemId, delta }, emittedAtMs: Date.now() })}\n`);
  }
  if (turn.state === 'running') finishTurn(thread, turn, 'completed', [], null);
}

// One line of JSON with BAD_UTF8 and a lone surrogate escape in place of the string "@BAD@".
function badLine(msg) {
  const [before, after] = JSON.stringify(msg).split('@BAD@');
  return Buffer.concat([Buffer.from(before), BAD_UTF8, Buffer.from(`\\ud800 end${after}\n`)]);
}

// [[bad-bytes]]: a delta and an agent message with invalid UTF-8 in their strings.
function badBytesTurn(thread, turn) {
  const ids = { threadId: thread.rec.id, turnId: turn.id };
  const item = {
    type: 'agentMessage', moderation: null, id: `msg_fake_${nextItemId++}`, text: '@BAD@', phase: null,
    memoryCitation: null, delivery: null, questions: null, startedAtMs: Date.now(), completedAtMs: Date.now(),
  };
  writeRaw(badLine({ method: 'item/agentMessage/delta', params: { ...ids, itemId: item.id, delta: '@BAD@' } }));
  writeRaw(badLine({ method: 'item/completed', params: { item, ...ids, contentTokenCount: null, completedAtMs: item.completedAtMs } }));
  finishTurn(thread, turn, 'completed', [], null);
}

// [[bad-stderr]]: die with invalid UTF-8 in the last line on stderr.
function dieBadStderr() {
  process.stderr.write(Buffer.concat([Buffer.from('fatal: '), BAD_UTF8, Buffer.from('end\n')]));
  process.exit(3);
}

// ---- Faults of the upstream's replies and of its stdout: --malformed and [[close-stdout:MS]].

// --malformed: the result for `method` with the next spoiling asked for it done (on a copy).
function malform(method, result) {
  const i = (opts.malformed ?? []).findIndex((m) => m.startsWith(`${method}:`));
  if (i < 0) return result;
  const spec = opts.malformed.splice(i, 1)[0].slice(method.length + 1);
  const eq = spec.indexOf('=');
  const keys = spec.slice(0, eq).split('.').filter(Boolean);
  const value = JSON.parse(spec.slice(eq + 1));
  if (keys.length === 0) return value;
  const spoiled = structuredClone(result);
  let parent = spoiled;
  for (const key of keys.slice(0, -1)) parent = parent[key];
  parent[keys.at(-1)] = value;
  return spoiled;
}

// Does text parse as JSON?
function isJson(text) {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

// [[close-stdout:MS]]: close stdout, say so in the log, and exit 3 after MS ms (stdin is still read).
function exitLater(ms) {
  closeStdout();
  logLine({ event: 'stdout-closed', pid: process.pid });
  setTimeout(() => process.exit(3), ms);
}

// ---- v1 mode (--api v1): codex 0.77's v1 API, on the same thread store, markers and turn helpers.

const V1_HANDLERS = {
  'initialize': initializeV1,
  'newConversation': newConversation,
  'addConversationListener': addConversationListener,
  'removeConversationListener': removeConversationListener,
  'sendUserTurn': sendUserTurn,
  'sendUserMessage': sendUserMessage,
  'interruptConversation': interruptConversation,
  'listConversations': listConversations,
  'resumeConversation': resumeConversation,
  'archiveConversation': archiveConversation,
};
// What 0.77 says when the model's stream fails (the mock model says "mock failure").
const V1_FAILURE = 'stream disconnected before completion: mock failure';

let nextSubmission = 0; // v1 turn ids: a per-process counter that interrupts and approvals use up too
const listeners = new Map(); // subscriptionId → conversationId

// The next submission id, as a string ("0", "1", ...).
function submission() {
  return String(nextSubmission++);
}

// Whether a conversation has a listener here (without one, v1 sends it no events at all).
function isListening(id) {
  return [...listeners.values()].includes(id);
}

// Send codex/event/<type> for a conversation's submission, if someone listens.
function event(thread, subId, type, fields = {}) {
  if (!isListening(thread.rec.id)) return;
  send({ method: `codex/event/${type}`, params: { id: subId, msg: { type, ...fields }, conversationId: thread.rec.id } });
}

// A rollout's file name part for a time: 2026-11-25T16-14-00.
function rolloutStamp(ms) {
  return new Date(ms).toISOString().slice(0, 19).replace(/:/g, '-');
}

// Append records ({type, payload}) to a conversation's rollout, stamped as codex does.
function appendRollout(rec, ...records) {
  const timestamp = new Date().toISOString();
  fs.appendFileSync(rec.rollout, records.map((r) => `${JSON.stringify({ timestamp, ...r })}\n`).join(''));
}

// The v1 sandbox policy of a kebab-case mode, as 0.77 writes it in turn_context.
function sandboxV1(mode) {
  if (!Object.hasOwn(SANDBOXES, mode)) {
    const expected = Object.keys(SANDBOXES).map((m) => `\`${m}\``).join(', ');
    throw rpcError(`Invalid request: unknown variant \`${mode}\`, expected one of ${expected}`);
  }
  if (mode !== 'workspace-write') return { type: mode };
  return { type: mode, writable_roots: [], network_access: false, exclude_tmpdir_env_var: false, exclude_slash_tmp: false };
}

// A stored conversation by id or by rollout path, or null.
function findConversation(params) {
  if (params.path !== undefined) return readAllThreads().find((rec) => rec.rollout === params.path) ?? null;
  return loaded.get(params.conversationId)?.rec ?? readThread(params.conversationId);
}

// The item of listConversations and getConversationSummary for a stored conversation.
function conversationItem(rec) {
  return {
    conversationId: rec.id, path: rec.rollout, preview: rec.preview,
    timestamp: new Date(rec.createdAtMs).toISOString(), modelProvider: rec.modelProvider, cwd: rec.cwd,
    cliVersion: VERSION, source: 'vscode', gitInfo: null,
  };
}

// initialize (0.77): just the user agent.
async function initializeV1(params, reply) {
  requireFields(params, ['clientInfo']);
  await handshakeDelay();
  const { name = '', version = '' } = params.clientInfo;
  clientName = name;
  reply({ userAgent: `codex_cli_rs/${VERSION} (fake-appserver; ${os.arch()}) (${name}; ${version})` });
}

// newConversation: create, store and load a conversation, and start its rollout.
function newConversation(params, reply) {
  const config = params.config ?? {};
  if (params.profile !== undefined) throw rpcError(`error deriving config: config profile \`${params.profile}\` not found`);
  const id = uuidv7();
  const now = Date.now();
  const day = new Date(now).toISOString().slice(0, 10).split('-');
  const dir = path.join(stateDir, 'sessions', ...day);
  fs.mkdirSync(dir, { recursive: true });
  const rec = {
    id, path: threadFile(id), rollout: path.join(dir, `rollout-${rolloutStamp(now)}-${id}.jsonl`),
    cwd: params.cwd ?? process.cwd(), model: params.model ?? config.model ?? 'mock-model', modelProvider: 'mock',
    reasoningEffort: config.model_reasoning_effort ?? null, approvalPolicy: params.approvalPolicy ?? 'never',
    sandbox: sandboxV1(params.sandbox ?? 'danger-full-access'), baseInstructions: params.baseInstructions ?? null,
    developerInstructions: params.developerInstructions ?? null, originator: clientName, preview: '',
    createdAtMs: now, updatedAtMs: now, archived: false, turns: [],
  };
  appendRollout(rec, {
    type: 'session_meta',
    payload: {
      id, timestamp: new Date(now).toISOString(), cwd: rec.cwd, originator: clientName, cli_version: VERSION,
      instructions: rec.baseInstructions, source: 'vscode', model_provider: rec.modelProvider,
    },
  });
  saveThread(rec);
  loadThread(rec);
  reply({ conversationId: id, model: rec.model, reasoningEffort: rec.reasoningEffort, rolloutPath: rec.rollout });
}

// addConversationListener: from now on the conversation's events are sent.
function addConversationListener(params, reply) {
  requireFields(params, ['conversationId']);
  loadedConversation(params.conversationId);
  const subscriptionId = crypto.randomUUID();
  listeners.set(subscriptionId, params.conversationId);
  reply({ subscriptionId });
}

// removeConversationListener: stop sending a listener's events.
function removeConversationListener(params, reply) {
  requireFields(params, ['subscriptionId']);
  if (!listeners.delete(params.subscriptionId)) throw rpcError(`subscription not found: ${params.subscriptionId}`);
  reply({});
}

// A conversation loaded in this process, or 0.77's error for any other.
function loadedConversation(id) {
  const thread = loaded.get(id);
  if (thread === undefined) throw rpcError(`conversation not found: ${id}`);
  return thread;
}

// The prompt text of v1 input items ({type: "text", data: {text}}).
function itemsText(items) {
  return items.filter((i) => i.type === 'text').map((i) => i.data?.text ?? '').join('\n');
}

// sendUserTurn: a turn with all its settings given (they stick for the next turns).
function sendUserTurn(params, reply) {
  requireFields(params, ['conversationId', 'items', 'cwd', 'approvalPolicy', 'sandboxPolicy', 'model', 'summary']);
  const thread = loadedConversation(params.conversationId);
  const rec = thread.rec;
  rec.cwd = params.cwd;
  rec.approvalPolicy = params.approvalPolicy;
  rec.sandbox = params.sandboxPolicy;
  rec.model = params.model;
  rec.reasoningEffort = params.effort ?? rec.reasoningEffort;
  startTurnV1(thread, params, params.summary, reply);
}

// sendUserMessage: a turn with the conversation's current settings.
function sendUserMessage(params, reply) {
  requireFields(params, ['conversationId', 'items']);
  startTurnV1(loadedConversation(params.conversationId), params, 'auto', reply);
}

// Reply {} to a turn's request at once, then act the turn out asynchronously.
function startTurnV1(thread, params, summary, reply) {
  if (thread.turn !== null) throw rpcError(`conversation ${thread.rec.id} already has an active turn`);
  const text = itemsText(params.items);
  const now = Date.now();
  const turn = {
    id: submission(), params, text, ...parseMarkers(text), state: 'running', wakers: new Set(),
    startedAtMs: now, completedAtMs: null, summary,
  };
  thread.turn = turn;
  if (turn.markers.stderr !== undefined) writeStderrLines();
  reply({});
  runTurnV1(thread, turn).catch(crash);
}

// interruptConversation: turn_aborted first, then the answer, as 0.77 does.
function interruptConversation(params, reply) {
  requireFields(params, ['conversationId']);
  const thread = loadedConversation(params.conversationId);
  const turn = thread.turn;
  submission();
  if (turn === null) throw rpcError('no active turn to interrupt');
  stopTurn(turn, 'interrupted');
  finishTurnV1(thread, turn, 'interrupted', null);
  reply({ abortReason: 'interrupted' });
}

// listConversations: the stored conversations, newest first, pageSize to a page.
function listConversations(params, reply) {
  const all = readAllThreads()
    .filter((rec) => rec.rollout !== undefined && !rec.archived)
    .sort((a, b) => b.createdAtMs - a.createdAtMs || b.id.localeCompare(a.id));
  const { page, next } = pageOf(all, params.cursor, params.pageSize);
  reply({ items: page.map(conversationItem), nextCursor: next });
}

// resumeConversation {conversationId} or {path}, with optional overrides: sessionConfigured, then the answer.
function resumeConversation(params, reply) {
  if (params.path === undefined) requireFields(params, ['conversationId']);
  const rec = findConversation(params);
  if (rec === null || rec.archived) {
    if (params.path !== undefined) throw rpcError(`failed to load rollout \`${params.path}\`: No such file or directory (os error 2)`);
    throw rpcError(`no rollout found for conversation id ${params.conversationId}`);
  }
  const o = params.overrides ?? {};
  rec.cwd = o.cwd ?? rec.cwd;
  rec.model = o.model ?? rec.model;
  rec.approvalPolicy = o.approvalPolicy ?? rec.approvalPolicy;
  if (o.sandbox !== undefined) rec.sandbox = sandboxV1(o.sandbox);
  saveThread(rec);
  if (!loaded.has(rec.id)) loadThread(rec);
  const initialMessages = rec.turns.flatMap((t) => [
    { type: 'user_message', message: t.text, images: [] },
    ...(t.answer === null ? [] : [{ type: 'agent_message', message: t.answer }]),
  ]);
  send({
    method: 'sessionConfigured',
    params: {
      sessionId: rec.id, model: rec.model, reasoningEffort: rec.reasoningEffort, historyLogId: 0,
      historyEntryCount: 0, initialMessages, rolloutPath: rec.rollout,
    },
  });
  reply({ conversationId: rec.id, model: rec.model, initialMessages, rolloutPath: rec.rollout });
}

// archiveConversation {conversationId, rolloutPath}: unload it and move its rollout to archived_sessions.
function archiveConversation(params, reply) {
  requireFields(params, ['conversationId', 'rolloutPath']);
  const rec = findConversation({ conversationId: params.conversationId });
  if (rec === null || rec.archived || rec.rollout !== params.rolloutPath) {
    throw rpcError(`no rollout found for conversation id ${params.conversationId}`);
  }
  const thread = loaded.get(rec.id);
  if (thread !== undefined) {
    if (thread.turn !== null) stopTurn(thread.turn, 'interrupted');
    event(thread, submission(), 'shutdown_complete');
    loaded.delete(rec.id);
  }
  const archived = path.join(stateDir, 'archived_sessions', path.basename(rec.rollout));
  fs.mkdirSync(path.dirname(archived), { recursive: true });
  fs.renameSync(rec.rollout, archived);
  rec.rollout = archived;
  rec.archived = true;
  saveThread(rec);
  reply({});
}

// Act out a v1 turn after its {} reply, in 0.77's order of codex/event notifications.
async function runTurnV1(thread, turn) {
  const rec = thread.rec;
  await pause(turn, 0);
  if (turn.state !== 'running') return;
  event(thread, turn.id, 'task_started', { model_context_window: null });
  event(thread, turn.id, 'user_message', { message: turn.text, images: [] });
  appendRollout(rec,
    { type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: turn.text }] } },
    { type: 'event_msg', payload: { type: 'user_message', message: turn.text, images: [] } },
    {
      type: 'turn_context',
      payload: {
        cwd: rec.cwd, approval_policy: rec.approvalPolicy, sandbox_policy: rec.sandbox, model: rec.model,
        effort: rec.reasoningEffort, summary: turn.summary,
      },
    });
  rec.preview = rec.preview || turn.text;
  saveThread(rec);
  if (turn.markers.garbage !== undefined) writeGarbage();
  writeLines(turn.markers);
  if (turn.markers['die-silent'] !== undefined) return wedge();
  if (turn.markers['close-stdout'] !== undefined) return exitLater(Number(turn.markers['close-stdout']));
  let text = answerText(turn);
  if (turn.markers.approval !== undefined) {
    const decision = await askApprovalV1(thread, turn);
    if (turn.state !== 'running') return;
    if (decision === 'abort') return finishTurnV1(thread, turn, 'interrupted', null);
    text = `decision: ${JSON.stringify(decision)}`;
  }
  await pause(turn, 0);
  if (turn.state !== 'running') return;
  if (turn.markers['stream-error'] !== undefined) {
    event(thread, turn.id, 'stream_error', { message: 'Reconnecting... 1/5', codex_error_info: 'other' });
  }
  if (turn.markers.warning !== undefined) event(thread, turn.id, 'warning', { message: 'fake-appserver warning' });
  if (turn.markers.fail !== undefined) {
    event(thread, turn.id, 'error', { message: V1_FAILURE, codex_error_info: 'other' });
    return finishTurnV1(thread, turn, 'failed', null);
  }
  const { chunks, gap } = deltasOf(turn, text);
  for (const [i, delta] of chunks.entries()) {
    if (i > 0 && gap > 0) {
      await pause(turn, gap);
      if (turn.state !== 'running') return;
    }
    event(thread, turn.id, 'agent_message_delta', { delta });
    if (turn.markers.die !== undefined) process.exit(3);
  }
  const answer = chunks.join('');
  event(thread, turn.id, 'agent_message', { message: answer });
  appendRollout(rec,
    { type: 'response_item', payload: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: answer }] } },
    { type: 'event_msg', payload: { type: 'agent_message', message: answer } });
  finishTurnV1(thread, turn, 'completed', answer);
}

// [[approval]]: exec_command_begin, execCommandApproval, exec_command_end; the decision given.
async function askApprovalV1(thread, turn) {
  const command = ['bash', '-lc', APPROVAL_COMMAND];
  const callId = `call_fake_${nextItemId++}`;
  const parsedCmd = [{ type: 'unknown', cmd: APPROVAL_COMMAND }];
  const cwd = thread.rec.cwd;
  const ran = { call_id: callId, turn_id: turn.id, command, cwd, parsed_cmd: parsedCmd, source: 'agent' };
  event(thread, turn.id, 'exec_command_begin', ran);
  event(thread, turn.id, 'exec_approval_request', {
    call_id: callId, turn_id: turn.id, command, cwd, proposed_execpolicy_amendment: APPROVAL_COMMAND.split(' '), parsed_cmd: parsedCmd,
  });
  const reply = await request(turn, nextRequestId++, 'execCommandApproval', {
    conversationId: thread.rec.id, callId, command, cwd, reason: null, parsedCmd,
  });
  if (turn.state !== 'running') return undefined;
  submission(); // the answer is an op of its own
  const decision = reply.result?.decision ?? null;
  const accepted = decision === 'approved' || decision === 'approved_for_session' ||
    (typeof decision === 'object' && decision !== null && 'approved_execpolicy_amendment' in decision);
  if (decision !== 'abort') {
    const out = accepted ? '' : 'exec command rejected by user';
    event(thread, turn.id, 'exec_command_end', {
      ...ran, stdout: '', stderr: out, aggregated_output: out, exit_code: accepted ? 0 : -1,
      duration: { secs: 0, nanos: 0 }, formatted_output: out,
    });
  }
  return decision;
}

// End a v1 turn: task_complete (also after an error), or turn_aborted; the turn stored.
function finishTurnV1(thread, turn, status, answer) {
  turn.state = status;
  turn.completedAtMs = Date.now();
  thread.turn = null;
  if (status === 'interrupted') event(thread, turn.id, 'turn_aborted', { reason: 'interrupted' });
  else event(thread, turn.id, 'task_complete', { last_agent_message: answer });
  const rec = thread.rec;
  rec.turns.push({ id: turn.id, text: turn.text, status, answer });
  rec.updatedAtMs = turn.completedAtMs;
  saveThread(rec);
}

// Handle one message from the client: a request, a notification, or an answer to our request.
async function dispatch(msg) {
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return;
  if (msg.method === undefined) {
    pending.get(msg.id)?.(msg);
    return;
  }
  if (msg.id === undefined) return; // notifications, such as `initialized`, need nothing
  let replied = false;
  const reply = (result) => {
    replied = true;
    answer({ id: msg.id, result: malform(msg.method, result) });
    if (msg.method === opts['exit-after-method']) process.exit(0);
  };
  try {
    if (!Object.hasOwn(HANDLERS, msg.method)) {
      const expected = Object.keys(HANDLERS).map((m) => `\`${m}\``).join(', ');
      throw rpcError(`Invalid request: unknown variant \`${msg.method}\`, expected one of ${expected}`);
    }
    if (msg.method === 'initialize' && clientName !== null) throw rpcError('Already initialized');
    if (msg.method !== 'initialize' && clientName === null) throw rpcError('Not initialized');
    await HANDLERS[msg.method](msg.params ?? {}, reply);
  } catch (err) {
    if (replied || err.rpcCode === undefined) process.stderr.write(`fake-appserver: ${err.stack}\n`);
    if (!replied) answer({ error: { code: err.rpcCode ?? INTERNAL_ERROR, message: err.message }, id: msg.id });
  }
}

// A bug in the fake itself: say so and exit.
function crash(err) {
  process.stderr.write(`fake-appserver: ${err.stack}\n`);
  process.exit(70);
}

// Last words on every way out: the log line, our leases, our temp state dir.
function shutdown(how) {
  if (exiting) return;
  exiting = true;
  logLine({ event: 'exit', ...how });
  for (const id of [...leases]) releaseLease(id);
  if (ownStateDir) fs.rmSync(stateDir, { recursive: true, force: true });
}

// --launcher: like the npm `codex` script on Node < 22, run the real server as a child process.
function runLauncher() {
  const args = [];
  for (const [name, value] of Object.entries(opts)) {
    if (name !== 'launcher' && name !== 'pidfile' && name !== 'child-pidfile') {
      for (const v of [].concat(value)) args.push(`--${name}`, ...(v === true ? [] : [v]));
    }
  }
  const child = spawn(process.execPath, [__filename, ...args], { stdio: 'inherit' });
  if (opts['child-pidfile']) fs.writeFileSync(opts['child-pidfile'], `${child.pid}\n`);
  for (const sig of SIGNALS) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => {
    if (signal === null) process.exit(code);
    for (const sig of SIGNALS) process.removeAllListeners(sig);
    process.kill(process.pid, signal);
  });
}

// Serve the protocol on stdin/stdout until EOF (or until killed, with --ignore-eof).
function runServer() {
  logLine({ event: 'start', pid: process.pid, args: process.argv.slice(2) });
  process.on('exit', (code) => shutdown({ code }));
  for (const sig of SIGNALS) {
    process.on(sig, () => {
      shutdown({ signal: sig });
      process.removeAllListeners(sig);
      process.kill(process.pid, sig);
    });
  }
  if (opts['die-on-start']) {
    process.stderr.write('fatal: fake startup failure\n');
    process.exit(1);
  }
  stateDir = opts.state || process.env.CODEX_HOME;
  if (!stateDir) {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-appserver-'));
    ownStateDir = true;
  }
  fs.mkdirSync(path.join(stateDir, 'fake-sessions'), { recursive: true });
  fs.mkdirSync(path.join(stateDir, 'fake-writer-locks'), { recursive: true });
  if (opts.api === 'v1') fs.mkdirSync(path.join(stateDir, 'sessions'), { recursive: true });
  for (const spec of opts.seed ?? []) seedThread(spec);
  process.stdout.on('error', () => process.exit(0)); // the reader has gone
  let queue = Promise.resolve();
  const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  input.on('line', (line) => {
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      return; // 0.169 ignores a line that is not JSON, silently
    }
    if (wedged) return;
    logLine(msg);
    queue = queue.then(() => dispatch(msg)).catch(crash);
  });
  input.on('close', () => queue.then(() => {
    if (opts['ignore-eof'] || wedged) keepAlive();
    else process.exit(0);
  }));
}

// --seed SOURCE:PROVIDER:PREVIEW: store a thread from another client (codex exec, the TUI) with one
// completed turn, unless a start before this one did.
function seedThread(spec) {
  const [source, provider] = spec.split(':');
  const preview = spec.slice(source.length + provider.length + 2);
  const h = crypto.createHash('sha256').update(spec).digest('hex');
  const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-7${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  if (readThread(id) !== null) return;
  const now = Date.now();
  const turn = { id: uuidv7(), startedAtMs: now, completedAtMs: now };
  const user = { type: 'userMessage', id: uuidv7(), clientId: null, content: [{ type: 'text', text: preview, text_elements: [] }] };
  const answer = {
    type: 'agentMessage', moderation: null, id: `msg_seed_${id}`, text: `You said: ${preview}`, phase: null,
    memoryCitation: null, delivery: null, questions: null, startedAtMs: now, completedAtMs: now,
  };
  saveThread({
    id, path: threadFile(id), cwd: process.cwd(), model: 'mock-model', modelProvider: provider, reasoningEffort: null,
    approvalPolicy: 'never', sandbox: sandboxPolicy('danger-full-access'), baseInstructions: null,
    developerInstructions: null, originator: source === 'exec' ? 'codex_exec' : 'codex_cli_rs', source, preview,
    createdAtMs: now, updatedAtMs: now, archived: false, turns: [turnView(turn, 'completed', [user, answer], 'full', null)],
  });
}

// The Model objects of model/list, in 0.169's shape.
function modelView(id, efforts, isDefault, hidden) {
  return {
    id, model: id, upgrade: null, upgradeInfo: null, availabilityNux: null, displayName: id, description: `the ${id}`,
    modelSpecialty: null, hidden,
    supportedReasoningEfforts: efforts.map((e) => ({ reasoningEffort: e, description: `${e} effort` })),
    defaultReasoningEffort: efforts[0], inputModalities: ['text', 'image'], supportsPersonality: false,
    multiAgentVersion: null, additionalSpeedTiers: [], serviceTiers: [], defaultServiceTier: null,
    availableAccessPrograms: null, isDefault,
  };
}

// model/list (with --models): the models this fake offers, one page.
function modelList(params, reply) {
  reply({
    data: [
      modelView('mock-model', ['low', 'medium', 'high', 'max'], true, false),
      modelView('mock-mini', ['medium'], false, false),
      modelView('mock-secret', ['ultra'], false, true),
    ],
    nextCursor: null,
  });
}

// Parse the command line, then run as the launcher or as the server.
function main() {
  try {
    opts = parseArgs({ args: process.argv.slice(2), options: OPTIONS, strict: true }).values;
  } catch (err) {
    process.stderr.write(`fake-appserver: ${err.message}\n`);
    process.exit(2);
  }
  if (opts.api !== undefined && opts.api !== 'v1' && opts.api !== 'v2') {
    process.stderr.write(`fake-appserver: --api must be v1 or v2, not ${opts.api}\n`);
    process.exit(2);
  }
  for (const spec of opts.malformed ?? []) {
    if (!/^[^:=]+:[^=]*=/.test(spec) || !isJson(spec.slice(spec.indexOf('=') + 1))) {
      process.stderr.write(`fake-appserver: --malformed wants METHOD:PATH=JSON, not ${spec}\n`);
      process.exit(2);
    }
  }
  if (opts.release !== undefined && opts.release !== '0.171') {
    process.stderr.write(`fake-appserver: --release must be 0.171, not ${opts.release}\n`);
    process.exit(2);
  }
  if (opts.release === '0.171') VERSION = '0.171.0';
  if (opts.models) HANDLERS = { ...HANDLERS, 'model/list': modelList };
  for (const spec of opts.seed ?? []) {
    if (!/^[A-Za-z]+:[^:]+:/.test(spec)) {
      process.stderr.write(`fake-appserver: --seed wants SOURCE:PROVIDER:PREVIEW, not ${spec}\n`);
      process.exit(2);
    }
  }
  if (opts.api === 'v1') {
    VERSION = '0.77.0';
    HANDLERS = V1_HANDLERS;
  }
  if (opts.pidfile) fs.writeFileSync(opts.pidfile, `${process.pid}\n`);
  if (opts.launcher) runLauncher();
  else runServer();
}

main();
