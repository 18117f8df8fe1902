// Proves: the thread table keeps only what a call uses or the app-server has loaded: 2000 codex-reply calls with random unknown threadIds each fail as unknown and leave the codex_mcp_proxy_threads gauge of /metrics at 0, while a conversation started by codex stays (gauge 1) and its codex-reply still goes on without a resume; once the app-server dies every thread no call uses goes (gauge 0) and a reply resumes its conversation on the new one.
'use strict';
const crypto = require('node:crypto');
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const V = '2025-06-18';
const CALLS = 2000;
const AT_ONCE = 16;

main(async () => {
  const p = await h.httpProxy('unknown-ids');
  const { sid } = await p.initialize(V);
  const threads = async () => {
    const m = /^codex_mcp_proxy_threads (\d+)$/m.exec((await p.request('GET', '/metrics')).body);
    return m ? Number(m[1]) : null;
  };
  is(await threads(), 0, 'no thread at first');
  let next = 10;
  const call = (name, args) => p.post({ jsonrpc: '2.0', id: next++, method: 'tools/call', params: { name, arguments: args } }, { sid, version: V });

  let unknown = 0;
  for (let done = 0; done < CALLS; done += AT_ONCE) {
    const batch = Array.from({ length: AT_ONCE }, () => call('codex-reply', { threadId: crypto.randomUUID(), prompt: 'hello' }));
    for (const r of await Promise.all(batch)) {
      const res = r.json && r.json.result;
      if (res && res.isError && /unknown threadId/.test(res.content[0].text)) unknown++;
    }
  }
  is(unknown, CALLS, `all ${CALLS} calls failed as unknown threadIds`);
  is(await threads(), 0, 'and left no thread in the table');

  const first = await call('codex', { prompt: '[[say:one]]' });
  const tid = first.json && first.json.result && first.json.result.structuredContent.threadId;
  ok(tid, 'a new conversation started');
  is(await threads(), 1, 'it stays in the table: the app-server has it loaded');
  const again = await call('codex-reply', { threadId: tid, prompt: '[[say:two]]' });
  is(again.json && again.json.result && again.json.result.content[0].text, 'two', 'codex-reply on it goes on');
  const resumes = h.readJsonl(p.log).filter((m) => m.method === 'thread/resume' && m.params.threadId === tid);
  is(resumes.length, 0, 'without a thread/resume');
  is(await threads(), 1, 'still one thread');

  const died = await call('codex', { prompt: '[[die]]' });
  ok(died.json && died.json.result && died.json.result.isError, 'a call whose app-server dies fails');
  is(await threads(), 0, 'and with the app-server gone no thread is left loaded: the table is empty');
  const back = await call('codex-reply', { threadId: tid, prompt: '[[say:three]]' });
  is(back.json && back.json.result && back.json.result.content[0].text, 'three', 'the first conversation goes on, resumed by the new app-server');
  is(await threads(), 1, 'and is in the table again');
});
