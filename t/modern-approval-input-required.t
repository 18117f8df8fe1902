// Proves: in MCP 2026-07-28 on the fake app-server (v2), a tools/call whose request declared form elicitation and that needs codex's approval is answered at once with resultType input_required (a form elicitation in inputRequests naming the command and cwd, the approval choices, a sealed requestState) and no server-to-client request; the retry with inputResponses and that requestState answers codex exactly (accept, acceptForSession, decline, cancel) and carries the rest of the turn to its complete result; a request without the elicitation capability gets the headless decline, noted in its result.
'use strict';
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

const meta = (caps) => ({
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': caps,
});
const CASES = require('./lib/approval-answers.js');

main(async () => {
  const p = await h.fakeRawProxy('modern-approval', { initialize: false });
  const work = h.scratch('approval-work');
  const args = { prompt: '[[approval]]', cwd: work, 'approval-policy': 'untrusted' };
  for (const [i, [what, answer, decision]] of CASES.entries()) {
    p.send({ jsonrpc: '2.0', id: `ask-${i}`, method: 'tools/call',
      params: { name: 'codex', arguments: args, _meta: meta({ elicitation: {} }) } });
    const first = (await p.response(`ask-${i}`)).result || {};
    is(first.resultType, 'input_required', `${what}: the call is answered input_required`);
    const keys = Object.keys(first.inputRequests || {});
    is(keys.length, 1, `${what}: with one input request`);
    const ask = (first.inputRequests || {})[keys[0]] || {};
    is(ask.method, 'elicitation/create', `${what}: an elicitation`);
    is(ask.params && ask.params.mode, 'form', `${what}: in form mode`);
    like(ask.params && ask.params.message, /touch x/, `${what}: naming the command`);
    ok(ask.params && ask.params.message.includes(work), `${what}: and the cwd`);
    is(ask.params && ask.params.requestedSchema.properties.decision.enum,
      ['accept', 'acceptForSession', 'decline', 'cancel'], `${what}: offering the approval choices`);
    like(first.requestState, /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, `${what}: with a sealed requestState`);
    ok(!('content' in first) && !('ttlMs' in first), `${what}: and no content or cache hints`);
    p.send({ jsonrpc: '2.0', id: `retry-${i}`, method: 'tools/call', params: {
      name: 'codex', arguments: args, inputResponses: { [keys[0]]: answer }, requestState: first.requestState,
      _meta: meta({ elicitation: {} }) } });
    const r = (await p.response(`retry-${i}`)).result || {};
    is(r.resultType, 'complete', `${what}: the retry gets the turn's complete result`);
    is(h.textOf(r), `decision: ${JSON.stringify(decision)}`, `${what}: codex got ${decision}`);
    const answers = h.readJsonl(p.log).filter((l) => l.method === undefined && l.event === undefined);
    is(answers[i] && answers[i].result, { decision }, `${what}: the fake's approval request was answered {decision: ${decision}}`);
  }
  ok(!p.messages.some((m) => m.method === 'elicitation/create'), 'no elicitation/create request was ever sent');
  is(h.readJsonl(p.log).filter((l) => l.method === 'turn/start').length, CASES.length, 'one turn per call: retries start none');

  p.send({ jsonrpc: '2.0', id: 'headless', method: 'tools/call',
    params: { name: 'codex', arguments: args, _meta: meta({}) } });
  const r = (await p.response('headless')).result || {};
  is(r.resultType, 'complete', 'without elicitation: a complete result, no input_required');
  is(h.textOf(r).split('\n')[0], 'decision: "decline"', 'codex was told decline');
  like(h.textOf(r), /codex-mcp-proxy declined codex's request to run a command \(`[^`]*touch x[^`]*`\): this client cannot be asked/,
    'and the result says the proxy declined because the client cannot be asked');
});
