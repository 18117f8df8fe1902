// Proves: on the fake app-server's v1 mode (codex 0.77's v1 API) the proxy detects v1 from thread/list's "unknown variant" refusal, and the codex tool runs newConversation, addConversationListener and sendUserMessage; the result is the agent's text with the conversationId as threadId, and the rollout codex would write holds the turn.
'use strict';
const fs = require('node:fs');
const { ok, is, like, main } = require('./lib/tap.js');
const h = require('./lib/harness.js');

main(async () => {
  const p = await h.fakeRawProxy('v1-new', { fake: ['--api', 'v1'] });
  const r = await p.request('tools/call', { name: 'codex', arguments: { prompt: 'hello v1' } });
  ok(r.result && !r.result.isError, 'the call succeeded');
  is(h.textOf(r.result), 'You said: hello v1', 'with the agent\'s answer');
  const tid = r.result && r.result.structuredContent && r.result.structuredContent.threadId;
  is(r.result && r.result.structuredContent, { threadId: tid, content: 'You said: hello v1' }, 'structuredContent has the threadId and the text');

  const log = h.readJsonl(p.log).filter((l) => l.method !== undefined);
  is(log.map((l) => l.method), ['initialize', 'initialized', 'thread/list', 'newConversation', 'addConversationListener', 'sendUserMessage'],
    'the app-server was asked: initialize, the thread/list probe, then the v1 requests in order');
  like(p.stderr, /api v1 \(detected: it has no thread\/list\)/, 'the proxy says it detected v1');
  const created = log.find((l) => l.method === 'newConversation');
  ok(created && !('sandbox' in created.params) && !('approvalPolicy' in created.params), 'newConversation carried no settings that were not asked for');
  const listen = log.find((l) => l.method === 'addConversationListener');
  is(listen && listen.params, { conversationId: tid }, 'the listener is for the new conversation');
  const send = log.find((l) => l.method === 'sendUserMessage');
  is(send && send.params, { conversationId: tid, items: [{ type: 'text', data: { text: 'hello v1' } }] }, 'sendUserMessage carried the prompt as a v1 text item');

  const rec = JSON.parse(fs.readFileSync(`${p.dir}/fake-sessions/${tid}.json`, 'utf8'));
  const rollout = h.readJsonl(rec.rollout);
  like(rec.rollout, new RegExp(`/sessions/\\d{4}/\\d\\d/\\d\\d/rollout-[0-9T-]+-${tid}\\.jsonl$`), 'the rollout is where codex keeps it');
  is(rollout.map((l) => l.type === 'event_msg' ? `event_msg:${l.payload.type}` : l.type),
    ['session_meta', 'response_item', 'event_msg:user_message', 'turn_context', 'response_item', 'event_msg:agent_message'],
    'it holds the session meta, the prompt, the turn context and the answer');
  is(h.readJsonl(p.log).filter((l) => l.event === 'start').length, 1, 'one app-server was started');
});
