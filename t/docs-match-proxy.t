// Proves: the README and the manual page match the proxy: every option of its -h usage is in README.md; the man page's OPTIONS are in ASCII order of their long names; DESCRIPTION and the README's tool table name every tool the proxy offers, and every argument of each tool is in its row of the table and in the man page's list for it; every JSON block of the README parses, and each host config that starts the proxy sets env.PATH; every src/ file the README names exists.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const README = fs.readFileSync(path.join(h.TOP, 'README.md'), 'utf8');
const PAGE = fs.readFileSync(path.join(h.TOP, 'man', 'codex-mcp-proxy.1'), 'utf8');

// The section of the man page under .Sh name, up to the next .Sh.
function section(name) {
  const start = PAGE.indexOf(`\n.Sh ${name}\n`);
  const end = PAGE.indexOf('\n.Sh ', start + 1);
  return start < 0 ? '' : PAGE.slice(start, end < 0 ? undefined : end);
}

// The tools' definitions, from the schemas the proxy embeds.
function toolDefs() {
  const dir = path.join(h.TOP, 'schemas');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))).sort((a, b) => (a.name < b.name ? -1 : 1));
}

// The names of the tools.
function toolNames() {
  return toolDefs().map((d) => d.name);
}

// The man page's text about tool t: its .Ss subsection (the first that names it).
function toolSection(t) {
  const start = PAGE.search(new RegExp(`\n\.Ss ${t}(?: ,|\n)|\n\.Ss [^\n]*, ${t}\n`));
  const end = PAGE.slice(start + 1).search(/\n\.S[sh] /);
  return start < 0 ? '' : PAGE.slice(start, end < 0 ? undefined : start + 1 + end);
}

main(async () => {
  const usage = spawnSync(h.PROXY, ['-h'], { encoding: 'utf8' }).stdout;
  const longs = [...new Set(usage.match(/--[a-z][a-z0-9-]*/g) || [])];
  const shorts = [...new Set((usage.match(/\[-[A-Za-z]+(?=[\] ])/g) || []).flatMap((o) => o.slice(2).split('')))];
  ok(longs.length > 20 && shorts.length >= 4, `the usage lists ${longs.length} long and ${shorts.length} short options`);
  for (const o of longs) ok(new RegExp(`${o}(?![a-z0-9-])`).test(README), `${o} is in README.md`);
  for (const c of shorts) ok(new RegExp(`\`-${c}\``).test(README), `-${c} is in README.md`);

  // OPTIONS: the .It entries of the list after "The options are as follows".
  const list = PAGE.slice(PAGE.indexOf('\n.Bl -tag', PAGE.indexOf('The options are as follows')));
  const entries = list.slice(0, list.indexOf('\n.El\n')).split('\n').filter((l) => l.startsWith('.It '));
  const names = entries.map((l) => (/Fl \\?-([a-z][a-z0-9-]*)/.exec(l) || [, l])[1]);
  const sorted = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  ok(names.length > 20, `OPTIONS has ${names.length} entries`);
  is(names, sorted, 'the OPTIONS entries are in ASCII order of their (first) long name');

  const tools = toolNames();
  is(tools.length, 6, `the proxy offers six tools (${tools.join(', ')})`);
  const description = section('DESCRIPTION');
  ok(/offers six tools/.test(description), 'DESCRIPTION says it offers six tools');
  for (const t of tools) {
    ok(description.includes(`\n.Ic ${t} `) || description.includes(`\n.Ic ${t}\n`), `DESCRIPTION names ${t}`);
    ok(new RegExp(`^\\| \`${t}\`[ ,|]|^\\| [^|\\n]*\`${t}\``, 'm').test(README), `the README's tool table has ${t}`);
  }

  for (const def of toolDefs()) {
    const row = (new RegExp(`^\\| [^|\\n]*\`${def.name}\`[^|\\n]*\\|([^|\\n]*)\\|`, 'm').exec(README) || [, ''])[1];
    const man = toolSection(def.name);
    for (const arg of Object.keys(def.inputSchema.properties || {})) {
      ok(row.includes(`\`${arg}\``), `the README's tool table lists ${def.name}'s argument ${arg}`);
      ok(new RegExp(`\\n\\.It Cm (?:[^\\n]* , )?${arg}(?: ,|\\n)`).test(man) || (def.name === 'codex-reply' && /As for\n\.Ic codex/.test(man) &&
        new RegExp(`\\n\\.It Cm (?:[^\\n]* , )?${arg}(?: ,|\\n)`).test(toolSection('codex'))) ||
        new RegExp(`\\.Cm ${arg}\\b`).test(man), `the man page describes ${def.name}'s argument ${arg}`);
    }
  }

  const blocks = [...README.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  ok(blocks.length >= 2, `README.md has ${blocks.length} JSON blocks`);
  for (const [i, text] of blocks.entries()) {
    let config = null;
    try { config = JSON.parse(text); } catch (err) { ok(false, `JSON block ${i + 1} parses: ${err.message}`); continue; }
    ok(true, `JSON block ${i + 1} parses`);
    for (const [name, server] of Object.entries(config.mcpServers || {})) {
      if (server.command === undefined) continue;
      ok(server.env && typeof server.env.PATH === 'string' && server.env.PATH.includes('/bin'),
        `JSON block ${i + 1}: server ${name} (${server.command}) sets env.PATH, as a desktop host needs`);
    }
  }

  const files = [...new Set(README.match(/\bsrc\/[a-z_]+\.c\b/g) || [])];
  for (const f of files) ok(fs.existsSync(path.join(h.TOP, f)), `the README's ${f} exists`);
});
