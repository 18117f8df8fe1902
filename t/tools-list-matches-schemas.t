// Proves: tools/list returns exactly the tool definitions in schemas/*.json, unchanged, each with a valid unique name, a description, an object inputSchema and an object outputSchema, on one page.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { isDeepStrictEqual } = require('node:util');
const { ok, is, like, diag, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const schemaDir = path.join(h.TOP, 'schemas');
  const files = fs.readdirSync(schemaDir).filter((f) => f.endsWith('.json')).sort();
  ok(files.length > 0, `schemas/ holds tool definitions (${files.join(', ')})`);
  const defs = new Map();
  for (const f of files) {
    const def = JSON.parse(fs.readFileSync(path.join(schemaDir, f), 'utf8'));
    is(def.name, path.basename(f, '.json'), `schemas/${f} defines the tool named after the file`);
    defs.set(def.name, def);
  }

  const p = await h.fakeRawProxy('tools', { initialize: false });
  await p.initialize('2025-11-25');
  const r = await p.request('tools/list', {});
  ok(!('error' in r), 'tools/list succeeds');
  const result = r.result || {};
  is(Object.keys(result).sort(), ['tools'], 'the result has tools and nothing else (no nextCursor)');
  const tools = Array.isArray(result.tools) ? result.tools : [];
  is(tools.map((t) => t.name).sort(), [...defs.keys()].sort(), 'the tools are exactly those of schemas/*.json');
  is(new Set(tools.map((t) => t.name)).size, tools.length, 'tool names are unique');

  for (const t of tools) {
    const want = defs.get(t.name);
    const same = isDeepStrictEqual(t, want);
    ok(same, `${t.name}: deep-equal to schemas/${t.name}.json`);
    if (!same) diag(`got:  ${JSON.stringify(t)}\nwant: ${JSON.stringify(want)}`);
    like(t.name, /^[A-Za-z0-9_.-]{1,128}$/, `${t.name}: the name is 1-128 of [A-Za-z0-9_.-]`);
    ok(typeof t.description === 'string' && t.description.length > 0, `${t.name}: has a description`);
    const is_obj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
    ok(is_obj(t.inputSchema) && t.inputSchema.type === 'object', `${t.name}: inputSchema is an object schema of type object`);
    ok(is_obj(t.inputSchema) && is_obj(t.inputSchema.properties), `${t.name}: inputSchema has properties`);
    ok(is_obj(t.outputSchema) && t.outputSchema.type === 'object', `${t.name}: outputSchema is an object schema of type object`);
    const req = (t.inputSchema && t.inputSchema.required) || [];
    ok(req.every((k) => t.inputSchema.properties && k in t.inputSchema.properties), `${t.name}: every required input is a declared property`);
    const oreq = (t.outputSchema && t.outputSchema.required) || [];
    ok(oreq.every((k) => t.outputSchema.properties && k in t.outputSchema.properties), `${t.name}: every required output is a declared property`);
  }

  // The same answer every time.
  const again = await p.request('tools/list');
  ok(isDeepStrictEqual(again.result, r.result), 'a second tools/list (no params) gives the same tools');
  is((await p.close()).code, 0, 'the proxy exits 0 on EOF');
});
