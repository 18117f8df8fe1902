// What the trace tests share: reading a --trace file, the redaction marker a
// secret should become, waiting for a proxy to be gone, and the client script
// whose MCP results the replay tests compare (live against replayed).
'use strict';

const fs = require('node:fs');
const crypto = require('node:crypto');
const h = require('./harness.js');

const DIRS = ['c2p', 'p2c', 'p2s', 's2p'];

// A trace file's lines: every non-empty line as text (lines), the ones that
// parse (records) and the ones that do not (bad). A missing file has none.
function readTrace(file) {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const lines = text.split('\n').filter((l) => l !== '');
  const records = [];
  const bad = [];
  for (const l of lines) {
    try { records.push(JSON.parse(l)); } catch { bad.push(l); }
  }
  return { text, lines, records, bad };
}

// What is wrong with one trace record (null if nothing): the fields and
// their types as documented.
function recordProblem(r) {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return 'not an object';
  const keys = Object.keys(r).sort().join(',');
  if (keys !== 'conn,dir,msg,session,ts' && keys !== 'conn,dir,raw,session,ts') return `keys ${keys}`;
  if (!Number.isSafeInteger(r.ts) || r.ts <= 0) return `ts ${r.ts}`;
  if (!DIRS.includes(r.dir)) return `dir ${r.dir}`;
  if (r.session !== null && typeof r.session !== 'string') return `session ${r.session}`;
  if (!Number.isInteger(r.conn) || r.conn < 0) return `conn ${r.conn}`;
  if ('msg' in r && r.msg === undefined) return 'msg is missing';
  if ('raw' in r && typeof r.raw !== 'string') return 'raw is not a string';
  return null;
}

// The marker redaction puts in place of this secret.
function markerOf(secret) {
  const len = Buffer.byteLength(secret);
  const size = len < 8 ? '<8' : len < 16 ? '8-15' : len < 32 ? '16-31' : len < 64 ? '32-63' : '64+';
  const sha = crypto.createHash('sha256').update(secret).digest('hex').slice(0, 6);
  return `[REDACTED len=${size} sha=${sha}]`;
}

// Count the occurrences of needle in text.
function countOf(text, needle) {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

// Is m a request / a response / a notification (JSON-RPC)?
const isRequest = (m) => m && typeof m.method === 'string' && m.id !== undefined && m.id !== null;
const isResponse = (m) => m && m.method === undefined && m.id !== undefined && ('result' in m || 'error' in m);

// Wait until the process is gone (true) or ms passed (false).
function gone(pid, ms = 15000) {
  return h.waitUntil(() => !h.alive(pid), ms);
}

// The live child processes of pid: [{pid, exe, cmdline}] (exe: the
// executable's path, as /proc says).
function childrenOf(pid) {
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== pid) continue;
      out.push({
        pid: Number(d),
        exe: fs.readlinkSync(`/proc/${d}/exe`),
        cmdline: fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').filter(Boolean),
      });
    } catch { /* gone meanwhile */ }
  }
  return out;
}

// The parts of a CallToolResult that the replay tests compare.
function resultOf(r) {
  return {
    text: (r.content || []).map((c) => c.text),
    isError: r.isError === true,
    structuredContent: r.structuredContent === undefined ? null : r.structuredContent,
  };
}

// The client script of the replay tests: a codex call, a codex-reply, a
// failing ([[fail]]) turn and a codex-list; the results, named. Prompts carry
// no secrets, so that redaction leaves the recorded answers as they were.
async function replayScript(client) {
  const call = (name, args) => h.callToolChecked(client, name, args);
  const out = {};
  const first = await call('codex', { prompt: 'hello from the replay script' });
  out.codex = resultOf(first);
  const tid = first.structuredContent && first.structuredContent.threadId;
  out['codex-reply'] = resultOf(await call('codex-reply', { threadId: tid, prompt: 'and a second turn' }));
  out['codex-fail'] = resultOf(await call('codex', { prompt: '[[fail]] this turn' }));
  out['codex-list'] = resultOf(await call('codex-list', {}));
  return out;
}

module.exports = {
  DIRS, readTrace, recordProblem, markerOf, countOf, isRequest, isResponse, gone, childrenOf, resultOf, replayScript,
};
