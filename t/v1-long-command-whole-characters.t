// Proves: a v1 command too long for the proxy's command line (2 KiB) is cut between characters, not inside one: for each of three offsets of a long argument of multi-byte characters, the command the v1 dialect reports is valid UTF-8 and the start of the command's own text, its quote closed.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ok, is, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');
const { unitProgram } = require('./lib/unit-program.js');

const PROGRAM = unitProgram('DIALECT_EVENTS', 'dialect-events');

main(async () => {
  const dir = h.scratch('v1-long-command');
  const file = path.join(dir, 'events.jsonl');
  const args = ['x', 'xx', 'xxx'].map((lead) => `${lead}${'€'.repeat(1000)}`);
  fs.writeFileSync(file, args.map((arg, i) => JSON.stringify({
    method: 'codex/event/exec_command_begin',
    params: { id: String(i), conversationId: 't1', msg: { type: 'exec_command_begin', call_id: `c${i}`, turn_id: String(i), command: ['bash', '-lc', arg], cwd: '/tmp', parsed_cmd: [], source: 'agent' } },
  })).join('\n') + '\n');
  const r = spawnSync(PROGRAM, ['v1', file]);
  is(r.status, 0, 'the dialect program ran');
  const lines = r.stdout.toString('latin1').split('\n').filter((l) => l.startsWith('event command_begin'));
  is(lines.length, 3, 'three commands were reported');
  lines.forEach((line, i) => {
    const bytes = Buffer.from(line, 'latin1');
    ok(h.validUtf8(bytes), `offset ${i + 1}: the cut command is valid UTF-8`);
    const command = JSON.parse(bytes.toString('utf8').replace(/^.* command=/, ''));
    ok(command.length > 600 && command.endsWith("'") && `bash -lc '${args[i]}`.startsWith(command.slice(0, -1)),
      `offset ${i + 1}: it is the command's start, quoted (${Buffer.byteLength(command)} bytes)`);
  });
});
