// Proves: on real codex 0.169 and 0.171 an output-schema reaches the model as the response's JSON-schema format, and the answer comes back parsed in structuredContent.output beside threadId and content (the text as always), conforming to the tool's declared outputSchema; an answer that is not JSON says so and has no output; releases that cannot hold an answer to a schema (real 0.77's v2 and v1) refuse the call with isError before anything reaches the model.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const SCHEMA = {
  type: 'object',
  properties: { ok: { type: 'boolean' }, count: { type: 'integer' } },
  required: ['ok', 'count'],
  additionalProperties: false,
};

main(async () => {
  for (const version of ['0.169', '0.171']) {
    const s = await h.codexSession({ version });
    const r = await h.callToolChecked(s.client, 'codex', { prompt: '[[say:{"ok":true,"count":3}]]', 'output-schema': SCHEMA });
    ok(!r.isError, `${version}: codex with an output-schema succeeded`);
    const req = s.mock.requests[s.mock.requests.length - 1];
    is(req.format && req.format.type, 'json_schema', `${version}: the model was asked for a JSON-schema format`);
    is(req.format && req.format.schema, SCHEMA, `${version}: with the schema given`);
    is(r.structuredContent.output, { ok: true, count: 3 }, `${version}: structuredContent.output is the parsed answer`);
    is(r.structuredContent.content, '{"ok":true,"count":3}', `${version}: content is still the answer's text`);
    ok(typeof r.structuredContent.threadId === 'string', `${version}: beside the threadId`);
    is(r.schemaError, null, `${version}: the result conforms to the declared outputSchema`);

    const tid = r.structuredContent.threadId;
    const prose = await h.callToolChecked(s.client, 'codex-reply', { threadId: tid, prompt: '[[say:not json at all]]', 'output-schema': SCHEMA });
    ok(!prose.isError, `${version}: a reply whose answer is not JSON is no error`);
    ok(!('output' in prose.structuredContent), `${version}: it has no output`);
    like(h.textOf(prose), /^not json at all\n\n\[codex-mcp-proxy: the answer is not JSON.*no output\]$/, `${version}: and says why`);
    is(prose.schemaError, null, `${version}: and still conforms to the declared outputSchema`);
  }

  const old = await h.codexSession({ version: '0.77' });
  const before = old.mock.requests.length;
  const refused = await old.client.callTool({ name: 'codex', arguments: { prompt: 'hi', 'output-schema': SCHEMA } });
  ok(refused.isError === true, '0.77 (v2): an output-schema is refused');
  like(h.textOf(refused), /cannot hold its answer to output-schema.*nothing was sent to codex/, '0.77 (v2): saying the release cannot');
  is(old.mock.requests.length, before, '0.77 (v2): nothing reached the model');

  const v1 = await h.fakeRawProxy('schema-v1', { fake: ['--api', 'v1'] });
  const r1 = await v1.request('tools/call', { name: 'codex', arguments: { prompt: 'hi', 'output-schema': SCHEMA } });
  ok(r1.result.isError === true, 'v1: an output-schema is refused');
  like(h.textOf(r1.result), /app-server API v1\) cannot hold its answer to output-schema/, 'v1: saying the API cannot');
  ok(!h.readJsonl(v1.log).some((m) => m.method === 'newConversation'), 'v1: no conversation was started');
});
