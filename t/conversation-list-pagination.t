// Proves: codex-list pages through every conversation exactly once, newest first, with the first prompts as previews, by following nextCursor at limit 2 (codex 0.50 v1, 0.77 v2, 0.77 forced v1, 0.169 v2), and a bogus cursor gives an answer, not a dead proxy.
'use strict';
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const CONFIGS = [
  { label: '0.50', version: '0.50', args: [] },
  { label: '0.77', version: '0.77', args: [] },
  { label: '0.77 --api v1', version: '0.77', args: ['--api', 'v1'] },
  { label: '0.169', version: '0.169', args: [] },
];

main(async () => {
  for (const { label, version, args } of CONFIGS) {
    const t0 = Date.now();
    const s = await h.codexSession({ version, args });
    const { client } = s;

    // Five conversations, oldest first.
    const made = [];
    for (let i = 1; i <= 5; i++) {
      const prompt = `page item ${i} of five`;
      const r = await client.callTool({ name: 'codex', arguments: { prompt } });
      made.push({ threadId: r.structuredContent.threadId, preview: prompt });
      await h.sleep(30);
    }
    const newestFirst = made.slice().reverse();

    // Follow nextCursor as long as there is one (at most 10 pages).
    const pages = [];
    let cursor;
    let clean = true;
    do {
      const r = await h.callToolChecked(client, 'codex-list', cursor ? { limit: 2, cursor } : { limit: 2 });
      const sc = r.structuredContent || {};
      pages.push({ ids: (sc.threads || []).map((t) => t.threadId), threads: sc.threads || [], next: sc.nextCursor, text: h.textOf(r) });
      if (r.isError || r.schemaError) {
        clean = false;
        diag(`${label}: page ${pages.length}: ${JSON.stringify(r)}`);
        break;
      }
      cursor = sc.nextCursor;
    } while (cursor && pages.length < 10);
    ok(clean, `${label}: every page is a result that matches codex-list's outputSchema`);
    ok(!pages[pages.length - 1].next, `${label}: the paging ends with a page without nextCursor (after ${pages.length} pages)`);
    const full = pages.filter((p) => p.ids.length > 0);
    is(full.map((p) => p.ids.length), [2, 2, 1], `${label}: the pages hold 2, 2 and 1 conversations`);
    // codex 0.50 gives a nextCursor on its last page too; following it gives an empty page.
    ok(pages.length - full.length <= 1 && pages.slice(0, full.length).every((p) => p.ids.length > 0),
      `${label}: at most one empty page, and only at the end`);
    ok(full.slice(0, -1).every((p) => typeof p.next === 'string' && p.next.length > 0), `${label}: every full page but the last has a nextCursor`);
    const all = pages.flatMap((p) => p.threads);
    is(all.map((t) => t.threadId), newestFirst.map((t) => t.threadId), `${label}: every conversation once, newest first`);
    is(all.map((t) => t.preview), newestFirst.map((t) => t.preview), `${label}: the previews are the prompts`);
    ok(all.every((t) => t.archived === false), `${label}: none is marked archived`);
    const lines = full.flatMap((p) => p.text.split('\n').filter((l) => /^[0-9a-f-]{36}  /.test(l)));
    is(lines.map((l) => l.slice(0, 36)), newestFirst.map((t) => t.threadId), `${label}: the text has one line per conversation, in the same order`);
    ok(lines.every((l, i) => l.endsWith(`  ${newestFirst[i].preview}`)), `${label}: each text line ends with its preview`);
    like(full[0].text, /More: pass cursor "/, `${label}: the text of the first page says how to get more`);

    // A cursor codex never gave: an answer (an error or a page), and the proxy lives on.
    let bogus;
    try {
      bogus = await h.callToolChecked(client, 'codex-list', { limit: 2, cursor: 'no-such-cursor|bogus' });
    } catch (err) {
      bogus = { thrown: String(err) };
    }
    diag(`${label}: bogus cursor: ${JSON.stringify(bogus).slice(0, 300)}`);
    // A JSON-RPC error counts, but not the SDK's own "connection closed" (-32000) or "timed out" (-32001).
    ok(bogus.thrown === undefined || (/^McpError: MCP error -32\d{3}:/.test(bogus.thrown) && !/MCP error -3200[01]:/.test(bogus.thrown)),
      `${label}: a bogus cursor gets a tool result or a JSON-RPC error from the proxy`);
    ok(bogus.thrown !== undefined || bogus.isError === true || bogus.schemaError === null,
      `${label}: a tool result for it is an isError or a list that matches the outputSchema`);
    ok(h.alive(s.pid), `${label}: the proxy is still running`);
    const again = await h.callToolChecked(client, 'codex-list', {});
    is((again.structuredContent && again.structuredContent.threads || []).map((t) => t.threadId),
      newestFirst.map((t) => t.threadId), `${label}: after it, a plain list still answers with all five`);

    await client.close();
    diag(`${label}: ${Date.now() - t0} ms`);
  }
});
