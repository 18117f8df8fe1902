// Proves: a conversation started with the old `codex mcp-server` of codex 0.77 is continued by the proxy's codex-reply, by its session id, on 0.77 (v2 and v1) and 0.169, and the model sees its earlier prompts.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, skipAll, cleanup, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const LAUNCHER = path.join(h.MODULES, 'codex-0.77', 'bin', 'codex.js');

const CONFIGS = [
  { label: '0.77 auto', version: '0.77', args: [] },
  { label: '0.77 --api v1', version: '0.77', args: ['--api', 'v1'] },
  { label: '0.169 auto', version: '0.169', args: [] },
];

// The pids of pid's children.
function childrenOf(pid) {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).flatMap((t) =>
      fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

// Hold one conversation (two prompts) with `codex mcp-server` 0.77 in home,
// through the SDK client; stop the server; return the session id it reported.
async function mcpServerConversation(label, home, prompts) {
  const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
  const { StdioClientTransport } = require('@modelcontextprotocol/sdk/client/stdio.js');
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [LAUNCHER, 'mcp-server'],
    env: h.childEnv({ CODEX_HOME: home }),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr.on('data', (d) => { stderr += d; });
  const client = new Client({ name: 'tap-mcp-server', version: '0' }, { capabilities: {} });
  const configured = [];
  client.fallbackNotificationHandler = async (n) => {
    if (n.method === 'codex/event' && n.params && n.params.msg && n.params.msg.type === 'session_configured') {
      configured.push(n.params.msg.session_id);
    }
  };
  await client.connect(transport);
  const pids = [transport.pid, ...childrenOf(transport.pid)];
  cleanup(async (failed) => {
    await client.close().catch(() => {});
    for (const pid of pids) if (h.alive(pid)) process.kill(pid, 'SIGKILL');
    if (failed) require('./lib/tap.js').diag(`mcp-server (${label}) stderr:\n${stderr.slice(-3000)}`);
  });

  const first = await client.callTool({ name: 'codex', arguments: { prompt: prompts[0] } });
  is(h.textOf(first), `You said: ${prompts[0]}`, `${label}: codex mcp-server answered its codex tool`);
  is(configured.length, 1, `${label}: codex mcp-server reported one session_configured event`);
  const sid = configured[0];
  like(sid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, `${label}: the session id is a UUID`);
  const second = await client.callTool({ name: 'codex-reply', arguments: { conversationId: sid, prompt: prompts[1] } });
  is(h.textOf(second), `You said: ${prompts[1]}`, `${label}: codex mcp-server answered its codex-reply tool`);

  await client.close();
  ok(await h.waitUntil(() => pids.every((p) => !h.alive(p))), `${label}: codex mcp-server and its native binary are gone`);
  return sid;
}

async function continues({ label, version, args }, mock) {
  // Each release gets its own home, as a later release may migrate the state it finds.
  const home = h.codexHome(mock);
  const prompts = [`mcp-server first for ${label}`, `mcp-server second for ${label}`];
  const sid = await mcpServerConversation(label, home, prompts);

  const s = await h.codexSession({ version, args, mock, home });
  const r = await s.client.callTool({ name: 'codex-reply', arguments: { threadId: sid, prompt: '[[history]]' } });
  ok(!r.isError, `${label}: the proxy's codex-reply on the mcp-server session succeeded`);
  is(r.structuredContent && r.structuredContent.threadId, sid, `${label}: it continued the same session id`);
  is(h.textOf(r), `History: ${prompts[0]} | ${prompts[1]} | [[history]]`, `${label}: the model saw the mcp-server's prompts, in order`);

  const again = await s.client.callTool({ name: 'codex-reply', arguments: { threadId: sid, prompt: 'one more' } });
  is(h.textOf(again), 'You said: one more', `${label}: the conversation goes on through the proxy`);
  await s.client.close();
}

main(async () => {
  if (!fs.existsSync(LAUNCHER)) skipAll('codex 0.77 is not installed in t/node_modules');
  const mock = await h.mockModel();
  for (const c of CONFIGS) await continues(c, mock);
});
