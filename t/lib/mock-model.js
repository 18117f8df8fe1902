'use strict';
// Mock of the OpenAI Responses API for driving the real `codex` binary offline.
//
// Library:    const { startMockModel } = require('./mock-model');
//             const mock = await startMockModel({ port: 0, log: '/tmp/requests.jsonl' });
//             mock.writeCodexHome(codexHome);  ...  await mock.close();
// Standalone: node t/lib/mock-model.js [--port N] [--log FILE]   (prints "listening PORT")
//
// codex POSTs to {base_url}/responses and reads a text/event-stream answer. The answer is
// chosen from a marker in the latest user message (the first marker in the text wins):
//   (none)           "You said: <message>", a few words per delta
//   [[say:TEXT]]     exactly TEXT (TEXT runs to the matching "]]"; nested [[ ]] are allowed)
//   [[slow:N:MS]]    N deltas "tick 1 ", "tick 2 ", ... MS ms apart
//   [[fail]]         a response.failed event with the message "mock failure". Both codex 0.77.0
//                    and 0.169.0 then fail the turn with
//                    "stream disconnected before completion: mock failure" (v2: an `error`
//                    notification and turn/completed status "failed"; 0.77 v1: codex/event/error,
//                    then task_complete with last_agent_message null). No retry, as
//                    stream_max_retries = 0; the same goes for [[http:CODE]].
//   [[http:CODE]]    HTTP status CODE with {"error":{"message":"mock http CODE","type":"mock"}}.
//                    codex does not show that body for 500: 0.77.0 reports "We're currently
//                    experiencing high demand, which may cause temporary errors." and 0.169.0 the
//                    same with a typographic apostrophe (We’re). 503 gives "unexpected status 503
//                    Service Unavailable: " + the raw body (0.77.0) or + "mock http 503, url: URL"
//                    (0.169.0); 400 gives the raw body; 429 "exceeded retry limit, last status:
//                    429 Too Many Requests" (both versions).
//   [[shell:CMD]]    a call of the offered shell tool: `exec_command` {"cmd":CMD} (0.169) or
//                    `shell` {"command":["bash","-lc",CMD]} (0.77)
//   [[history]]      "History: " + every user message text in the input, joined by " | ",
//                    skipping codex's injected ones (text starting with "<" or "# AGENTS.md")
//   [[big:N]]        N times "x", in deltas of at most 64 KiB
//   [[phases:P=TEXT|P=TEXT...]]  one assistant message item per part, in order, each with `phase` P
//                    (commentary, final_answer, ...) and text TEXT: codex 0.169 and 0.171 pass the phase on
//                    as the agentMessage item's phase
// When the last input item is a tool output (*_call_output) the answer is "Tool said: <output>".
//
// Every request is recorded in `requests` (also served at GET /_mock/requests as a JSON array), with
// what the tests check the model received: `images` (the image_url of each input_image in the latest
// user message: data: URLs, as codex sends local files too) and `format` (the request's text.format,
// where codex puts a turn's output schema as {type: "json_schema", schema, strict, name}).

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const MAX_DELTA = 64 * 1024;
const MARKER = /\[\[(say|slow|fail|http|shell|history|big|phases)(?::|\]\])/;

// Return the text between `start` and the "]]" that closes it, counting nested "[[".
function markerArg(text, start) {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text.startsWith('[[', i)) {
      depth++;
      i++;
    } else if (text.startsWith(']]', i)) {
      if (depth === 0) return text.slice(start, i);
      depth--;
      i++;
    }
  }
  return text.slice(start);
}

// Join the text parts of a message's (or tool output's) content.
function contentText(content) {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return content == null ? '' : JSON.stringify(content);
  return content.filter((p) => p && typeof p.text === 'string').map((p) => p.text).join('\n');
}

// The image_url of every input_image in the latest user message.
function lastUserImages(input) {
  const users = input.filter((it) => it && it.role === 'user' && (it.type === undefined || it.type === 'message'));
  const last = users[users.length - 1];
  if (!last || !Array.isArray(last.content)) return [];
  return last.content.filter((p) => p && p.type === 'input_image').map((p) => p.image_url);
}

// Texts of all user messages in the input, in order.
function userTexts(input) {
  return input
    .filter((it) => it && it.role === 'user' && (it.type === undefined || it.type === 'message'))
    .map((it) => contentText(it.content));
}

// True for the user messages codex injects itself (environment context, AGENTS.md, ...).
function isInjected(text) {
  return /^\s*(<|# AGENTS\.md)/.test(text);
}

// Name each offered tool: `name` for function tools, `type` for built-ins.
function toolNames(tools) {
  return Array.isArray(tools) ? tools.map((t) => (t && (t.name || t.type)) || '?') : [];
}

// Decide what to answer, from the last input item and the latest user message.
function chooseBehaviour(input, lastUser, tools) {
  const last = input[input.length - 1];
  if (last && typeof last.type === 'string' && last.type.endsWith('_call_output')) {
    return { kind: 'text', text: `Tool said: ${contentText(last.output)}` };
  }
  const m = MARKER.exec(lastUser);
  if (!m) return { kind: 'text', text: `You said: ${lastUser}` };
  const arg = m[0].endsWith(':') ? markerArg(lastUser, m.index + m[0].length) : '';
  switch (m[1]) {
    case 'say':
      return { kind: 'text', text: arg };
    case 'slow': {
      const [n, ms] = arg.split(':').map(Number);
      return { kind: 'slow', n: n || 0, ms: ms || 0 };
    }
    case 'fail':
      return { kind: 'fail' };
    case 'http':
      return { kind: 'http', status: Number(arg) || 500 };
    case 'shell': {
      if (tools.includes('exec_command')) return { kind: 'shell', cmd: arg, tool: 'exec_command' };
      if (tools.includes('shell')) return { kind: 'shell', cmd: arg, tool: 'shell' };
      return { kind: 'text', text: `mock: no shell tool offered (tools: ${tools.join(', ')})` };
    }
    case 'phases':
      return {
        kind: 'phases',
        parts: arg.split('|').map((part) => ({ phase: part.slice(0, part.indexOf('=')), text: part.slice(part.indexOf('=') + 1) })),
      };
    case 'history': {
      const texts = userTexts(input).filter((t) => !isInjected(t));
      return { kind: 'text', text: `History: ${texts.join(' | ')}` };
    }
    default: // big
      return { kind: 'big', n: Number(arg) || 0 };
  }
}

// Split text into deltas of a few words each (concatenating them gives back the text).
function wordChunks(text) {
  return text.match(/\s*(\S+\s*){1,3}/g) || (text ? [text] : []);
}

// Split text into pieces of at most `size` characters.
function sizedChunks(text, size) {
  const out = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

// The text deltas for a text-producing behaviour.
function deltasFor(behaviour) {
  if (behaviour.kind === 'slow') return Array.from({ length: behaviour.n }, (_, i) => `tick ${i + 1} `);
  if (behaviour.kind === 'big') return sizedChunks('x'.repeat(behaviour.n), MAX_DELTA);
  return wordChunks(behaviour.text);
}

// Resolve after `ms`, or as soon as the client goes away.
function pause(res, ms) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.on('close', done);
  });
}

// Write one SSE event (`event:` + `data:` lines) unless the client is gone.
function sendEvent(res, type, fields) {
  if (res.destroyed) return;
  res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`);
}

// Send a JSON response with the given status.
function sendJson(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

// A usage object shaped like the real API's.
function usage(input, output) {
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
}

// Start the mock server; resolves once it listens on 127.0.0.1.
function startMockModel(opts = {}) {
  const requests = [];
  let seq = 0;
  const nextId = (prefix) => `${prefix}_${++seq}`;

  // Stream one Response: created, the output item (with text deltas), then completed/failed.
  async function streamResponse(res, behaviour, nInput) {
    const id = nextId('resp');
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    sendEvent(res, 'response.created', { response: { id, object: 'response', status: 'in_progress', output: [] } });
    if (behaviour.kind === 'fail') {
      const error = { code: 'mock_failure', message: 'mock failure' };
      sendEvent(res, 'response.failed', { response: { id, object: 'response', status: 'failed', error } });
      res.end();
      return;
    }
    if (behaviour.kind === 'phases') {
      const items = behaviour.parts.map((part, i) => {
        const item = { type: 'message', id: nextId('msg'), role: 'assistant', status: 'completed', phase: part.phase, content: [{ type: 'output_text', text: part.text, annotations: [] }] };
        sendEvent(res, 'response.output_item.added', { output_index: i, item: { ...item, status: 'in_progress', content: [] } });
        sendEvent(res, 'response.output_text.delta', { item_id: item.id, output_index: i, content_index: 0, delta: part.text });
        sendEvent(res, 'response.output_item.done', { output_index: i, item });
        return item;
      });
      sendEvent(res, 'response.completed', { response: { id, object: 'response', status: 'completed', output: items, usage: usage(nInput, 1) } });
      res.end();
      return;
    }
    let item;
    if (behaviour.kind === 'shell') {
      const args = behaviour.tool === 'shell' ? { command: ['bash', '-lc', behaviour.cmd] } : { cmd: behaviour.cmd };
      item = { type: 'function_call', id: nextId('fc'), call_id: nextId('call'), name: behaviour.tool, arguments: JSON.stringify(args), status: 'completed' };
      sendEvent(res, 'response.output_item.added', { output_index: 0, item });
    } else {
      item = { type: 'message', id: nextId('msg'), role: 'assistant', status: 'in_progress', content: [] };
      sendEvent(res, 'response.output_item.added', { output_index: 0, item });
      let text = '';
      for (const [i, delta] of deltasFor(behaviour).entries()) {
        if (i > 0 && behaviour.kind === 'slow') await pause(res, behaviour.ms);
        if (res.destroyed) return;
        text += delta;
        sendEvent(res, 'response.output_text.delta', { item_id: item.id, output_index: 0, content_index: 0, delta });
      }
      item = { ...item, status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] };
    }
    sendEvent(res, 'response.output_item.done', { output_index: 0, item });
    sendEvent(res, 'response.completed', { response: { id, object: 'response', status: 'completed', output: [item], usage: usage(nInput, 1) } });
    res.end();
  }

  // Handle POST /responses: parse, record, then answer per the chosen behaviour.
  function handleResponses(req, res, raw) {
    let body;
    try {
      body = JSON.parse(raw);
    } catch (e) {
      return sendJson(res, 400, { error: { message: `mock: bad JSON body: ${e.message}`, type: 'invalid_request_error' } });
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return sendJson(res, 400, { error: { message: 'mock: body must be a JSON object', type: 'invalid_request_error' } });
    }
    const input = Array.isArray(body.input) ? body.input : [];
    const tools = toolNames(body.tools);
    const users = userTexts(input);
    const lastUser = users.length ? users[users.length - 1] : '';
    const lastItem = input[input.length - 1];
    const behaviour = chooseBehaviour(input, lastUser, tools);
    const record = {
      path: req.url,
      headers: req.headers,
      body,
      tools,
      input: body.input,
      n_input: input.length,
      last_user: lastUser,
      last_item_type: (lastItem && (lastItem.type || (lastItem.role && 'message'))) || null,
      behaviour,
      images: lastUserImages(input),
      format: (body.text && body.text.format) || null,
      t: Date.now() / 1000,
    };
    requests.push(record);
    if (opts.log) fs.appendFileSync(opts.log, `${JSON.stringify(record)}\n`);
    if (behaviour.kind === 'http') {
      return sendJson(res, behaviour.status, { error: { message: `mock http ${behaviour.status}`, type: 'mock' } });
    }
    return streamResponse(res, behaviour, input.length).catch(() => res.destroy());
  }

  // Route one HTTP request.
  function onRequest(req, res) {
    const url = req.url.split('?')[0];
    if (req.method === 'GET' && url === '/_mock/requests') return sendJson(res, 200, requests);
    if (req.method !== 'POST' || (url !== '/v1/responses' && url !== '/responses')) {
      return sendJson(res, 404, { error: { message: `mock: no route for ${req.method} ${url}`, type: 'mock' } });
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => handleResponses(req, res, Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => res.destroy());
  }

  const server = http.createServer(onRequest);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port || 0, '127.0.0.1', () => {
      const port = server.address().port;
      const url = `http://127.0.0.1:${port}/v1`;
      resolve({
        port,
        url,
        requests,
        // Stop listening and drop open connections (codex keeps them alive).
        close() {
          return new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          });
        },
        // Write DIR/config.toml pointing codex at this mock. extraToml goes between the top-level
        // keys and the provider table, so it may add top-level keys or whole tables (but must not
        // repeat a key written here). Returns the config path.
        writeCodexHome(dir, extraToml = '') {
          fs.mkdirSync(dir, { recursive: true });
          const file = path.join(dir, 'config.toml');
          fs.writeFileSync(file, [
            'model = "mock-model"',
            'model_provider = "mock"',
            'approval_policy = "never"',
            'sandbox_mode = "danger-full-access"',
            extraToml,
            '[model_providers.mock]',
            'name = "mock"',
            `base_url = "${url}"`,
            'wire_api = "responses"',
            'request_max_retries = 0',
            'stream_max_retries = 0',
            '',
          ].join('\n'));
          return file;
        },
      });
    });
  });
}

// Standalone entry point: parse --port/--log, print "listening PORT", exit on SIGTERM/SIGINT.
async function main(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') opts.port = Number(argv[++i]);
    else if (argv[i] === '--log') opts.log = argv[++i];
    else throw new Error(`usage: mock-model.js [--port N] [--log FILE] (unknown argument ${argv[i]})`);
  }
  const mock = await startMockModel(opts);
  const stop = () => mock.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`listening ${mock.port}\n`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  });
}

module.exports = { startMockModel };
