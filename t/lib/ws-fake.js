// A scripted WebSocket app-server for the faults a real codex will not make on demand: a WebSocket
// server on raw sockets (TCP or unix) that runs fake-appserver.js for each connection and carries its
// lines as text frames, one message per frame, and the client's frames back as lines.
//
//   startWsFake({ dir, unix, fake, fragment }) -> { url, events, children }
//     dir       the fake app-server's --state (threads and leases live on across connections)
//     unix      listen on dir/ws.sock (unix://) instead of a TCP port (ws://)
//     fake      more fake-appserver.js options
//     fragment  send each message in fragments of this many bytes, with a ping between fragments
//
// Markers in a message from the client (a prompt, say) act once that turn has started:
//   [[ws-garbage]]  a frame with the reserved opcode 3
//   [[ws-huge:N]]   a text frame of N bytes
//   [[ws-close]]    a close frame (1011 "fake going away"), then the socket is ended
// events: {event: 'connect'|'pong'|'close'|'unmasked'|'fragmented'|'gone', ...} in order; a 'close'
// has the code the client sent, a 'fragmented' the number of frames of a client's message.
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');
const tap = require('./tap.js');
const h = require('./harness.js');

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

// One frame from server to client (never masked).
function frame(opcode, payload, fin = true) {
  const body = Buffer.from(payload);
  let head;
  if (body.length < 126) head = Buffer.from([(fin ? 0x80 : 0) | opcode, body.length]);
  else if (body.length < 65536) {
    head = Buffer.alloc(4);
    head[0] = (fin ? 0x80 : 0) | opcode;
    head[1] = 126;
    head.writeUInt16BE(body.length, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = (fin ? 0x80 : 0) | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(body.length), 2);
  }
  return Buffer.concat([head, body]);
}

// Take the frames that are whole off the front of buf: [frames, rest].
function parseFrames(buf) {
  const frames = [];
  for (;;) {
    if (buf.length < 2) break;
    let len = buf[1] & 0x7f;
    let off = 2;
    if (len === 126) { if (buf.length < 4) break; len = buf.readUInt16BE(2); off = 4; }
    else if (len === 127) { if (buf.length < 10) break; len = Number(buf.readBigUInt64BE(2)); off = 10; }
    const masked = (buf[1] & 0x80) !== 0;
    const need = off + (masked ? 4 : 0) + len;
    if (buf.length < need) break;
    const payload = Buffer.from(buf.subarray(off + (masked ? 4 : 0), need));
    if (masked) for (let i = 0; i < len; i++) payload[i] ^= buf[off + (i % 4)];
    frames.push({ fin: (buf[0] & 0x80) !== 0, opcode: buf[0] & 0x0f, masked, payload });
    buf = buf.subarray(need);
  }
  return [frames, buf];
}

// Serve one connection: the handshake, then a fake app-server behind it.
function serve(sock, opts, fake) {
  let buf = Buffer.alloc(0);
  let child = null;
  let pending = null; // the fault waiting for turn/started
  let message = [];

  const send = (text) => {
    if (!opts.fragment || text.length <= opts.fragment) { sock.write(frame(1, text)); return; }
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += opts.fragment) {
      const last = i + opts.fragment >= bytes.length;
      sock.write(frame(i === 0 ? 1 : 0, bytes.subarray(i, i + opts.fragment), last));
      if (!last) sock.write(frame(9, `ping-${i}`));
    }
  };
  const fault = (what) => {
    if (what.startsWith('ws-garbage')) sock.write(Buffer.from([0x83, 0x02, 0x41, 0x42]));
    else if (what.startsWith('ws-huge:')) sock.write(frame(1, 'x'.repeat(Number(what.slice(8)))));
    else if (what.startsWith('ws-close')) {
      const body = Buffer.concat([Buffer.from([0x03, 0xf3]), Buffer.from('fake going away')]);
      sock.write(frame(8, body));
      sock.end();
    }
  };
  const start = () => {
    const log = path.join(opts.dir, 'fake.log');
    child = spawn('node', [path.join(h.TOP, 't', 'lib', 'fake-appserver.js'), '--state', opts.dir, '--log', log, ...(opts.fake || [])],
      { stdio: ['pipe', 'pipe', 'ignore'], env: h.childEnv() });
    fake.children.add(child);
    child.on('exit', () => fake.children.delete(child));
    child.stdin.on('error', () => {});
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      let i;
      while ((i = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, i);
        out = out.slice(i + 1);
        if (!line || sock.destroyed) continue;
        send(line);
        if (pending && line.includes('"turn/started"')) { fault(pending); pending = null; }
      }
    });
  };
  const onFrame = (f) => {
    if (!f.masked) fake.events.push({ event: 'unmasked' });
    if (f.opcode === 8) {
      fake.events.push({ event: 'close', code: f.payload.length >= 2 ? f.payload.readUInt16BE(0) : null });
      sock.end(frame(8, f.payload.subarray(0, 2)));
      return;
    }
    if (f.opcode === 9) { sock.write(frame(10, f.payload)); return; }
    if (f.opcode === 10) { fake.events.push({ event: 'pong', data: f.payload.toString() }); return; }
    message.push(f.payload);
    if (!f.fin) return;
    const text = Buffer.concat(message).toString();
    if (message.length > 1) fake.events.push({ event: 'fragmented', frames: message.length, bytes: text.length });
    message = [];
    const marker = /\[\[(ws-[a-z]+(?::\d+)?)\]\]/.exec(text);
    if (marker) pending = marker[1];
    if (child) child.stdin.write(`${text}\n`);
  };
  sock.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    if (!child) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString();
      buf = buf.subarray(end + 4);
      const key = /sec-websocket-key: *(\S+)/i.exec(head);
      fake.events.push({ event: 'connect', head });
      if (!key) { sock.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n'); return; }
      const accept = crypto.createHash('sha1').update(key[1] + GUID).digest('base64');
      sock.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      start();
    }
    const [frames, rest] = parseFrames(buf);
    buf = rest;
    frames.forEach(onFrame);
  });
  sock.on('error', () => {});
  sock.on('close', () => {
    fake.events.push({ event: 'gone' });
    if (child) child.stdin.end();
  });
}

// Start the fake; it stops (with its fake app-servers) when the test ends.
async function startWsFake(opts) {
  const fake = { events: [], children: new Set(), url: '' };
  const srv = net.createServer((sock) => serve(sock, opts, fake));
  if (opts.unix) {
    const sockPath = path.join(opts.dir, 'ws.sock');
    if (fs.existsSync(sockPath)) fs.unlinkSync(sockPath);
    await new Promise((resolve) => srv.listen(sockPath, resolve));
    fake.url = `unix://${sockPath}`;
  } else {
    await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
    fake.url = `ws://127.0.0.1:${srv.address().port}`;
  }
  fake.close = () => new Promise((resolve) => {
    for (const c of fake.children) c.kill('SIGKILL');
    srv.close(resolve);
  });
  tap.cleanup(() => fake.close());
  return fake;
}

module.exports = { startWsFake };
