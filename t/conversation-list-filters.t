// Proves: codex-list's cwd filter keeps exactly the conversations of that directory, search keeps exactly those whose first prompt has the word, and archived:true lists the archived ones on codex 0.169 and 0.171 but is a clear isError where the release cannot (0.50 v1, 0.77 v2, 0.77 forced v1).
'use strict';
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const CONFIGS = [
  { label: '0.50', version: '0.50', args: [], archivedList: false },
  { label: '0.77', version: '0.77', args: [], archivedList: false },
  { label: '0.77 --api v1', version: '0.77', args: ['--api', 'v1'], archivedList: false },
  { label: '0.169', version: '0.169', args: [], archivedList: true },
  { label: '0.171', version: '0.171', args: [], archivedList: true },
];

main(async () => {
  for (const { label, version, args, archivedList } of CONFIGS) {
    const t0 = Date.now();
    const { client, pid } = await h.codexSession({ version, args });
    const dirA = h.scratch('cwd-a');
    const dirB = h.scratch('cwd-b');
    const dirNone = h.scratch('cwd-none');

    // Oldest first: Kiwi in A, Mango in B, Mango in A, Papaya in B.
    const specs = [
      { key: 'kiwiA', prompt: 'Kiwi salad for the first directory', cwd: dirA },
      { key: 'mangoB', prompt: 'Mango smoothie in the second directory', cwd: dirB },
      { key: 'mangoA', prompt: 'More Mango, back in the first directory', cwd: dirA },
      { key: 'papayaB', prompt: 'Papaya only in the second directory', cwd: dirB },
    ];
    const id = {};
    for (const { key, prompt, cwd } of specs) {
      const r = await client.callTool({ name: 'codex', arguments: { prompt, cwd } });
      id[key] = r.structuredContent.threadId;
      await h.sleep(30);
    }

    // The ids a codex-list call returns (null and a diagnostic if it is no proper list).
    const list = async (filters) => {
      const r = await h.callToolChecked(client, 'codex-list', filters);
      if (r.isError || r.schemaError || !r.structuredContent) {
        diag(`${label}: codex-list ${JSON.stringify(filters)}: ${JSON.stringify(r)}`);
        return { ids: null, threads: [], r };
      }
      const threads = r.structuredContent.threads;
      return { ids: threads.map((t) => t.threadId), threads, r };
    };

    is((await list({})).ids, [id.papayaB, id.mangoA, id.mangoB, id.kiwiA], `${label}: unfiltered, all four, newest first`);

    const inA = await list({ cwd: dirA });
    is(inA.ids, [id.mangoA, id.kiwiA], `${label}: cwd A gives exactly A's two conversations`);
    ok(inA.threads.length > 0 && inA.threads.every((t) => t.cwd === dirA), `${label}: each of them says it ran in A`);
    const inB = await list({ cwd: dirB });
    is(inB.ids, [id.papayaB, id.mangoB], `${label}: cwd B gives exactly B's two conversations`);
    ok(inB.threads.length > 0 && inB.threads.every((t) => t.cwd === dirB), `${label}: each of them says it ran in B`);
    const none = await list({ cwd: dirNone });
    is(none.ids, [], `${label}: a directory without conversations gives none`);
    like(h.textOf(none.r), /^No conversations\.\n/, `${label}: and says so`);
    is((await list({ cwd: `${dirA}/` })).ids, [], `${label}: cwd matches exactly (A with a trailing slash is another path)`);

    is((await list({ search: 'Mango' })).ids, [id.mangoA, id.mangoB], `${label}: search "Mango" gives exactly the two Mango conversations`);
    const papaya = await list({ search: 'Papaya' });
    is(papaya.ids, [id.papayaB], `${label}: search "Papaya" gives exactly that one`);
    is(papaya.threads.map((t) => t.preview), ['Papaya only in the second directory'], `${label}: with its first prompt as preview`);
    is((await list({ search: 'Durian' })).ids, [], `${label}: a word in no prompt gives none`);
    is((await list({ cwd: dirA, search: 'Mango' })).ids, [id.mangoA], `${label}: cwd and search together: both must match`);
    if (!archivedList) {
      // Here the proxy filters the previews itself, ignoring case as codex-list's schema says.
      is((await list({ search: 'mANGO' })).ids, [id.mangoA, id.mangoB], `${label}: search ignores case`);
    }
    is((await list({ archived: false })).ids, [id.papayaB, id.mangoA, id.mangoB, id.kiwiA], `${label}: archived:false lists the active ones`);

    if (archivedList) {
      is((await list({ archived: true })).ids, [], `${label}: archived:true, before any archiving: none`);
      const a = await h.callToolChecked(client, 'codex-archive', { threadId: id.kiwiA });
      ok(!a.isError, `${label}: the Kiwi conversation was archived`);
      const arch = await list({ archived: true });
      is(arch.ids, [id.kiwiA], `${label}: archived:true lists exactly the archived one`);
      is(arch.threads.map((t) => t.archived), [true], `${label}: marked archived:true`);
      is((await list({ archived: true, cwd: dirB })).ids, [], `${label}: archived:true with cwd B: none`);
      is((await list({ archived: true, search: 'Kiwi' })).ids, [id.kiwiA], `${label}: archived:true with search "Kiwi": that one`);
      const active = await list({});
      is(active.ids, [id.papayaB, id.mangoA, id.mangoB], `${label}: the normal list no longer has it`);
      ok(active.threads.length === 3 && active.threads.every((t) => t.archived === false), `${label}: and marks the rest archived:false`);
    } else {
      const r = await h.callToolChecked(client, 'codex-list', { archived: true });
      ok(r.isError === true, `${label}: archived:true is an error on this release`);
      like(h.textOf(r), /cannot list archived conversations/, `${label}: which says it cannot list archived conversations`);
      is(r.schemaError, null, `${label}: the error result does not break codex-list's outputSchema`);
      ok(h.alive(pid), `${label}: the proxy is still running`);
      is((await list({})).ids, [id.papayaB, id.mangoA, id.mangoB, id.kiwiA], `${label}: and lists normally afterwards`);
    }

    await client.close();
    diag(`${label}: ${Date.now() - t0} ms`);
  }
});
