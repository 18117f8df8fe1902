// Records --trace files of the proxy in front of real codex app-servers, as
// fixtures for t/replay-recorded-traces.t (which replays them with
// --upstream replay: and needs no codex):
//
//   t/data/trace-<release>-<api>.jsonl          the trace, as the proxy wrote it
//   t/data/trace-<release>-<api>.expected.json  {release, api, args, results}:
//       the proxy options the replay needs and the MCP results the client got
//
// Usage: node t/record/record-traces.js [OUTDIR]   (OUTDIR defaults to t/data)
//        PROXY=path/to/codex-mcp-proxy (default src/codex-mcp-proxy)
//
// Each release runs with a fresh CODEX_HOME pointing at t/lib/mock-model.js
// and a fresh working directory, through the client script of
// t/lib/trace-tools.js (replayScript): a codex call, a codex-reply, a failing
// turn ([[fail]]) and a codex-list. The prompts carry no secrets, so the
// redaction in the trace changes nothing the replay needs.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const TOP = path.resolve(__dirname, '..', '..');
process.env.TOP_SRCDIR = process.env.TOP_SRCDIR || TOP;
const PROXY = process.env.PROXY || path.join(TOP, 'src', 'codex-mcp-proxy');
const OUT = path.resolve(process.argv[2] || path.join(TOP, 't', 'data'));
const MODULES = path.join(TOP, 't', 'node_modules');
const { Client } = require(path.join(MODULES, '@modelcontextprotocol/sdk/dist/cjs/client/index.js'));
const { StdioClientTransport } = require(path.join(MODULES, '@modelcontextprotocol/sdk/dist/cjs/client/stdio.js'));
const { startMockModel } = require('../lib/mock-model.js');
const { replayScript } = require('../lib/trace-tools.js');

const RUNS = [
  { release: '0.169', api: 'v2', args: [] },
  { release: '0.77', api: 'v1', args: ['--api', 'v1'] },
];

// Sleep for ms milliseconds.
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// Record one release; returns the paths written.
async function record({ release, api, args }) {
  const launcher = path.join(MODULES, `codex-${release}`, 'bin', 'codex.js');
  if (!fs.existsSync(launcher)) throw new Error(`codex ${release} is not installed: ${launcher}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `trace-${release}-${api}-`));
  const home = path.join(tmp, 'home');
  const work = path.join(tmp, 'work');
  fs.mkdirSync(work, { recursive: true });
  const mock = await startMockModel();
  mock.writeCodexHome(home);
  const trace = path.join(OUT, `trace-${release}-${api}.jsonl`);
  const expected = path.join(OUT, `trace-${release}-${api}.expected.json`);
  fs.rmSync(trace, { force: true });
  const transport = new StdioClientTransport({
    command: PROXY,
    args: [...args, '--trace', trace, '--upstream-cmd', `node ${launcher} app-server`],
    env: { ...process.env, HOME: home, CODEX_HOME: home },
    cwd: work,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr.on('data', (d) => { stderr += d; });
  const client = new Client({ name: 'record-traces', version: '0' }, { capabilities: {} });
  try {
    await client.connect(transport);
    await client.listTools();
    const results = await replayScript(client);
    await client.close();
    await sleep(100);
    fs.writeFileSync(expected, `${JSON.stringify({ release, api, args, results }, null, 2)}\n`);
  } catch (err) {
    process.stderr.write(stderr);
    throw err;
  } finally {
    await client.close().catch(() => {});
    await mock.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return [trace, expected];
}

(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  for (const run of RUNS) {
    const files = await record(run);
    for (const f of files) console.log(`${f}: ${fs.statSync(f).size} bytes`);
  }
})().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});
