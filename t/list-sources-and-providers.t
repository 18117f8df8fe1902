// Proves: codex-list asks the app-server for every source kind and every model provider from the state database (sourceKinds all, modelProviders [], useStateDbOnly true) unless the caller narrows them with sources or providers, which then go as given; threadIds goes as includedThreadIds and finds the conversations asked for whether the release filters by it (0.171) or not (0.169, where the proxy filters); on the v1 API the proxy applies all of these itself.
'use strict';
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const SEEDS = ['--seed', 'exec:mock:from codex exec', '--seed', 'cli:other:from another provider'];
const ALL_KINDS = ['cli', 'vscode', 'exec', 'appServer', 'subAgent', 'subAgentReview', 'subAgentCompact',
  'subAgentThreadSpawn', 'subAgentOther', 'unknown'];

// codex-list's threads for these arguments, as [preview, source, provider] sorted.
async function list(p, args) {
  const r = await p.request('tools/call', { name: 'codex-list', arguments: args });
  ok(!r.result.isError, `codex-list ${JSON.stringify(args)} succeeded`);
  return r.result.structuredContent.threads.map((t) => [t.preview, t.source, t.modelProvider]).sort();
}

main(async () => {
  for (const release of ['0.169', '0.171']) {
    const p = await h.fakeRawProxy(`list-${release}`, { fake: [...SEEDS, ...(release === '0.171' ? ['--release', '0.171'] : [])] });
    const mine = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'from the proxy' } });
    const tid = mine.result.structuredContent.threadId;
    is(await list(p, {}), [['from another provider', 'cli', 'other'], ['from codex exec', 'exec', 'mock'], ['from the proxy', 'vscode', 'mock']],
      `${release}: every source and provider is listed`);
    const asked = h.readJsonl(p.log).filter((m) => m.method === 'thread/list').pop().params;
    is(asked.sourceKinds, ALL_KINDS, `${release}: thread/list asked for every source kind`);
    is(asked.modelProviders, [], `${release}: and every provider`);
    is(asked.useStateDbOnly, true, `${release}: from the state database`);
    is(await list(p, { sources: ['exec', 'vscode'] }), [['from codex exec', 'exec', 'mock'], ['from the proxy', 'vscode', 'mock']],
      `${release}: sources narrows the list`);
    is(h.readJsonl(p.log).filter((m) => m.method === 'thread/list').pop().params.sourceKinds, ['exec', 'vscode'], `${release}: as given`);
    is(await list(p, { providers: ['other'] }), [['from another provider', 'cli', 'other']], `${release}: providers narrows the list`);
    is(await list(p, { threadIds: [tid] }), [['from the proxy', 'vscode', 'mock']], `${release}: threadIds finds the one asked for`);
    is(h.readJsonl(p.log).filter((m) => m.method === 'thread/list').pop().params.includedThreadIds, [tid], `${release}: sent as includedThreadIds`);
    const every = (await p.request('tools/call', { name: 'codex-list', arguments: {} })).result.structuredContent.threads;
    const oldest = every[every.length - 1].threadId;
    const reads = () => h.readJsonl(p.log).filter((m) => m.method === 'thread/read').length;
    const before = reads();
    is((await list(p, { threadIds: [oldest, '01a2137d-962b-7651-bc96-ad62dd2843c0'], limit: 1 })).length, 1,
      `${release}: threadIds finds a conversation past the first page, and skips an unknown id`);
    is(reads() - before, release === '0.171' ? 0 : 2,
      release === '0.171' ? '0.171: by includedThreadIds alone' : '0.169, which ignores includedThreadIds: by reading each id');
  }

  const v1 = await h.fakeRawProxy('list-v1', { fake: ['--api', 'v1'] });
  const one = await v1.request('tools/call', { name: 'codex', arguments: { prompt: 'first' } });
  await v1.request('tools/call', { name: 'codex', arguments: { prompt: 'second' } });
  const tid = one.result.structuredContent.threadId;
  is(await list(v1, {}), [['first', 'vscode', 'mock'], ['second', 'vscode', 'mock']], 'v1: both listed, with their source');
  is(h.readJsonl(v1.log).filter((m) => m.method === 'listConversations').pop().params.modelProviders, [], 'v1: for every provider');
  is(await list(v1, { threadIds: [tid] }), [['first', 'vscode', 'mock']], 'v1: threadIds is applied by the proxy');
  is(await list(v1, { sources: ['exec'] }), [], 'v1: so are sources');
  is(await list(v1, { providers: ['other'] }), [], 'v1: and providers');
});
