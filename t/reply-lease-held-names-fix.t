// Proves: when another codex app-server (0.169 and 0.171) holds a conversation's writer lease, codex-reply from a second proxy on the same CODEX_HOME is an isError that names the cause (one writer per conversation, codex's own words) and the fix (--share-upstream), once --resume-retry has run out; the conversation is not harmed: its own proxy continues it.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const mock = await h.mockModel();
  for (const version of ['0.169', '0.171']) {
    const home = h.codexHome(mock);
    const a = await h.codexSession({ version, mock, home });
    const b = await h.codexSession({ version, mock, home, args: ['--resume-retry', '1'] });
    const first = await a.client.callTool({ name: 'codex', arguments: { prompt: 'alpha' } });
    const threadId = first.structuredContent.threadId;
    const r = await b.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt: 'beta' } });
    ok(r.isError, `${version}: the second proxy's reply is an error`);
    like(h.textOf(r), new RegExp(`conversation ${threadId} is open in another codex app-server, and codex lets one app-server at a time write to a conversation \\(thread ${threadId} already has an active writer\\)`), `${version}: it names the cause`);
    like(h.textOf(r), /run every codex-mcp-proxy of this CODEX_HOME with --share-upstream/, `${version}: and the fix`);
    const own = await a.client.callTool({ name: 'codex-reply', arguments: { threadId, prompt: '[[history]]' } });
    is(h.textOf(own), 'History: alpha | [[history]]', `${version}: the first proxy continues the conversation`);
    await a.client.close();
    await b.client.close();
  }
});
