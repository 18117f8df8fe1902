// Proves: with approval-policy untrusted, real codex 0.169, 0.77 (auto) and 0.77 (--api v1) ask before `touch`; the proxy puts it to an elicitation-capable SDK client as a flat form elicitation/create naming the command and cwd while the call is in flight, and answering accept makes codex run it (the file appears, the result carries its output).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const { ElicitRequestSchema } = require('@modelcontextprotocol/sdk/types.js');

const CONFIGS = [
  { version: '0.169', args: [], name: '0.169', api: 'v2' },
  { version: '0.77', args: [], name: '0.77 (auto)', api: 'v2' },
  { version: '0.77', args: ['--api', 'v1'], name: '0.77 --api v1', api: 'v1' },
];
const PRIMITIVE = ['string', 'number', 'integer', 'boolean'];

// Is every property of this requestedSchema a flat primitive (or string enum)?
function flat(schema) {
  if (!schema || schema.type !== 'object' || !schema.properties) return false;
  return Object.values(schema.properties).every((p) => p && PRIMITIVE.includes(p.type) &&
    !('properties' in p) && !('items' in p) && !('$ref' in p) && !('anyOf' in p) && !('allOf' in p) &&
    (p.enum === undefined || (Array.isArray(p.enum) && p.enum.every((v) => typeof v === 'string'))));
}

main(async () => {
  const mock = await h.mockModel();
  for (const cfg of CONFIGS) {
    const { client, stderr } = await h.codexClientSession({ version: cfg.version, args: cfg.args, mock, capabilities: { elicitation: {} } });
    const events = [];
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      events.push({ kind: 'elicit', params: req.params });
      return { action: 'accept', content: { decision: 'accept' } };
    });
    const work = h.scratch('work');
    const r = await client.callTool({
      name: 'codex',
      arguments: { prompt: '[[shell:touch made.txt && echo hi]]', cwd: work, 'approval-policy': 'untrusted' },
    });
    events.push({ kind: 'result' });
    const asks = events.filter((e) => e.kind === 'elicit');
    is(asks.length, 1, `${cfg.name}: one elicitation/create was sent`);
    const e = asks[0] ? asks[0].params : {};
    ok(events.findIndex((x) => x.kind === 'elicit') === 0 && events.length === 2,
      `${cfg.name}: the elicitation came while the tool call was in flight (before its result)`);
    is(e.mode, 'form', `${cfg.name}: it is a form-mode elicitation`);
    like(e.message, /touch made\.txt/, `${cfg.name}: the message names the command`);
    ok(typeof e.message === 'string' && e.message.includes(work), `${cfg.name}: the message names the cwd`);
    const s = e.requestedSchema || {};
    is(Object.keys(s.properties || {}), ['decision'], `${cfg.name}: requestedSchema has one property, decision`);
    is(s.properties && s.properties.decision && s.properties.decision.enum,
      ['accept', 'acceptForSession', 'decline', 'cancel'], `${cfg.name}: decision is an enum accept|acceptForSession|decline|cancel`);
    ok(flat(s), `${cfg.name}: requestedSchema is flat (primitive or enum properties only)`);
    ok(!r.isError, `${cfg.name}: the call succeeded`);
    ok(fs.existsSync(path.join(work, 'made.txt')), `${cfg.name}: the approved command ran (the file exists)`);
    like(h.textOf(r), /^Tool said: [\s\S]*\bhi\b/, `${cfg.name}: the result text carries the command's output`);
    ok(!/codex-mcp-proxy declined/.test(h.textOf(r) || ''), `${cfg.name}: the result has no note of a proxy decline`);
    like(stderr(), new RegExp(`api ${cfg.api} \\(`), `${cfg.name}: the proxy spoke the ${cfg.api} API`);
  }
});
