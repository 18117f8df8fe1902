// Proves: codex-archive takes a conversation out of codex-list (codex 0.50 v1, 0.77 v2, 0.77 forced v1, 0.169 and 0.171 v2); on 0.169 and 0.171 codex-unarchive brings it back and codex-reply continues it, elsewhere codex-unarchive is a clear isError; archiving an unknown id or a thread with a running turn is an isError that fits the tool's outputSchema, and the running turn completes.
'use strict';
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const CONFIGS = [
  { label: '0.50', version: '0.50', args: [], unarchive: false },
  { label: '0.77', version: '0.77', args: [], unarchive: false },
  { label: '0.77 --api v1', version: '0.77', args: ['--api', 'v1'], unarchive: false },
  { label: '0.169', version: '0.169', args: [], unarchive: true },
  { label: '0.171', version: '0.171', args: [], unarchive: true },
];
const UNKNOWN = '01a2137d-962b-7651-bc96-ad62dd2843c0';

main(async () => {
  for (const { label, version, args, unarchive } of CONFIGS) {
    const t0 = Date.now();
    const { client, mock, pid } = await h.codexSession({ version, args });

    // The ids (and threads) of a codex-list call; null if it is no proper list.
    const list = async (filters = {}) => {
      const r = await h.callToolChecked(client, 'codex-list', filters);
      if (r.isError || r.schemaError || !r.structuredContent) {
        diag(`${label}: codex-list ${JSON.stringify(filters)}: ${JSON.stringify(r)}`);
        return { ids: null, threads: [] };
      }
      return { ids: r.structuredContent.threads.map((t) => t.threadId), threads: r.structuredContent.threads };
    };

    const keep = (await client.callTool({ name: 'codex', arguments: { prompt: 'the one to keep' } })).structuredContent.threadId;
    await h.sleep(30);
    const gone = (await client.callTool({ name: 'codex', arguments: { prompt: 'the one to archive' } })).structuredContent.threadId;
    is((await list()).ids, [gone, keep], `${label}: both conversations are listed`);

    // Archive one.
    const a = await h.callToolChecked(client, 'codex-archive', { threadId: gone });
    ok(!a.isError, `${label}: codex-archive succeeded`);
    is(a.schemaError, null, `${label}: its result matches codex-archive's outputSchema`);
    is(a.structuredContent, { threadId: gone, archived: true }, `${label}: it says the conversation is archived`);
    is(h.textOf(a), `Archived conversation ${gone}`, `${label}: and its text names it`);
    is((await list()).ids, [keep], `${label}: the archived conversation is gone from the list`);

    if (unarchive) {
      const arch = await list({ archived: true });
      is(arch.ids, [gone], `${label}: it is listed among the archived ones`);
      is(arch.threads.map((t) => t.archived), [true], `${label}: marked archived:true`);
      const u = await h.callToolChecked(client, 'codex-unarchive', { threadId: gone });
      ok(!u.isError, `${label}: codex-unarchive succeeded`);
      is(u.schemaError, null, `${label}: its result matches codex-unarchive's outputSchema`);
      is(u.structuredContent, { threadId: gone, archived: false }, `${label}: it says the conversation is no longer archived`);
      const back = await list();
      is(back.ids && back.ids.slice().sort(), [gone, keep].sort(), `${label}: both are in the normal list again`);
      ok(back.threads.length === 2 && back.threads.every((t) => t.archived === false), `${label}: neither marked archived`);
      is((await list({ archived: true })).ids, [], `${label}: and none is archived any more`);
      const before = mock.requests.length;
      const r = await client.callTool({ name: 'codex-reply', arguments: { threadId: gone, prompt: '[[history]]' } });
      ok(!r.isError, `${label}: codex-reply on the unarchived conversation succeeded`);
      is(h.textOf(r), 'History: the one to archive | [[history]]', `${label}: and continued it with its history`);
      is(mock.requests.length, before + 1, `${label}: the reply reached the model once`);
    } else {
      const u = await h.callToolChecked(client, 'codex-unarchive', { threadId: gone });
      diag(`${label}: codex-unarchive: ${h.textOf(u)}`);
      ok(u.isError === true, `${label}: codex-unarchive is an error on this release`);
      like(h.textOf(u), /(cannot|could not) unarchive/, `${label}: which says it cannot unarchive`);
      is(u.schemaError, null, `${label}: the error result does not break codex-unarchive's outputSchema`);
      is((await list()).ids, [keep], `${label}: the conversation stays out of the list`);
    }

    // An id codex never gave.
    const unknown = await h.callToolChecked(client, 'codex-archive', { threadId: UNKNOWN });
    diag(`${label}: codex-archive of an unknown id: ${h.textOf(unknown)}`);
    ok(unknown.isError === true, `${label}: archiving an unknown id is an error`);
    like(h.textOf(unknown), new RegExp(UNKNOWN), `${label}: which names the id`);
    is(unknown.schemaError, null, `${label}: the error result does not break codex-archive's outputSchema`);

    // A thread with a turn running.
    const slow = '[[slow:20:100]]';
    const running = client.callTool({ name: 'codex-reply', arguments: { threadId: keep, prompt: slow } });
    ok(await h.waitUntil(() => mock.requests.some((q) => q.last_user === slow)), `${label}: the slow turn reached the model`);
    const busy = await h.callToolChecked(client, 'codex-archive', { threadId: keep });
    diag(`${label}: codex-archive of a busy thread: ${h.textOf(busy)}`);
    ok(busy.isError === true, `${label}: archiving a thread with a running turn is an error`);
    like(h.textOf(busy), new RegExp(`thread ${keep} is busy`), `${label}: which says the thread is busy`);
    is(busy.schemaError, null, `${label}: the error result does not break codex-archive's outputSchema`);
    const done = await running;
    ok(!done.isError, `${label}: the running turn completed`);
    is(h.textOf(done), Array.from({ length: 20 }, (_, i) => `tick ${i + 1} `).join(''), `${label}: with all of its text`);
    ok(((await list()).ids || []).includes(keep), `${label}: the busy thread was not archived`);
    ok(h.alive(pid), `${label}: the proxy is still running`);

    await client.close();
    diag(`${label}: ${Date.now() - t0} ms`);
  }
});
