// App-servers that listen, for the --upstream unix:// ws:// wss:// tests: a real codex started with
// --listen (and stopped as a group), a free port, a TLS front before a WebSocket server, and the proxy
// in HTTP mode on such an upstream. (The scripted WebSocket fake is ws-fake.js.)
'use strict';

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const http = require('node:http');
const tls = require('node:tls');
const { spawn, execFileSync } = require('node:child_process');
const tap = require('./tap.js');
const h = require('./harness.js');


// Can a connection to this address ({port} or {path}) be opened now?
function connectable(where) {
  return new Promise((resolve) => {
    const s = net.connect(where.path ? { path: where.path } : { port: where.port, host: '127.0.0.1' });
    s.on('connect', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}

// The address a --listen URL (ws://127.0.0.1:PORT or unix://PATH) names, for connectable().
function addressOf(url) {
  return url.startsWith('unix://') ? { path: url.slice(7) } : { port: Number(new URL(url).port) };
}

// A real codex app-server of this release listening on url (with extra args, e.g. --ws-auth ...) in
// CODEX_HOME home, once it accepts connections; stop() kills its process group and waits.
async function listeningCodex({ version = '0.169', home, url, args = [] }) {
  const [node, launcher] = h.codexCommand(version).split(' ');
  const child = spawn(node, [launcher, 'app-server', '--listen', url, ...args], {
    env: h.childEnv({ CODEX_HOME: home }), stdio: ['ignore', 'ignore', 'pipe'], detached: true,
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const stop = async () => {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    await exited;
  };
  tap.cleanup(async (failed) => {
    await stop();
    if (failed) tap.diag(`codex ${version} on ${url} stderr:\n${stderr.slice(-2000)}`);
  });
  const up = await h.waitUntil(() => connectable(addressOf(url)), 30000);
  if (!up) throw new Error(`codex ${version} did not listen on ${url}: ${stderr.slice(-500)}`);
  return { child, pid: child.pid, stop, stderr: () => stderr };
}

// The process groups of the app-servers listening under dir: [pgid, ...].
function appServerGroups(dir) {
  const groups = new Set();
  for (const pid of fs.readdirSync('/proc').filter((f) => /^\d+$/.test(f))) {
    try {
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv[0] === 'sh' || !argv.includes('--listen') || !argv.some((a) => a.startsWith(`unix://${dir}`))) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z') groups.add(Number(fields[2]));
    } catch { /* gone */ }
  }
  return [...groups];
}

// A self-signed certificate for these names (DNS) in dir: {key, cert} as paths.
function selfSigned(dir, names = ['localhost']) {
  const key = path.join(dir, `${names[0]}-key.pem`);
  const cert = path.join(dir, `${names[0]}-cert.pem`);
  const san = names.map((n) => (/^[\d.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${names[0]}`,
    '-addext', `subjectAltName=${san}`, '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { key, cert };
}

// A TLS front on a free port that carries every connection's bytes to the TCP port target:
// {port, connections} (how many TLS handshakes it completed).
async function tlsFront({ key, cert, target }) {
  const front = { port: 0, connections: 0 };
  const srv = tls.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (sock) => {
    front.connections++;
    const back = net.connect(target, '127.0.0.1');
    sock.pipe(back).pipe(sock);
    sock.on('error', () => back.destroy());
    back.on('error', () => sock.destroy());
  });
  srv.on('tlsClientError', () => {});
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  front.port = srv.address().port;
  tap.cleanup(() => new Promise((resolve) => srv.close(resolve)));
  return front;
}

// The proxy in HTTP mode (--listen) with these args, env and --upstream url: {port, health(), stderr()}
// once /healthz answers at all (200 or 503).
async function httpProxyOn(url, { args = [], env = {} } = {}) {
  const port = await h.freePort();
  const child = spawn(h.PROXY, ['--listen', `127.0.0.1:${port}`, '--upstream', url, ...args], {
    env: h.childEnv(env), stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout.on('data', (d) => { stderr += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  tap.cleanup(async (failed) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(timer);
    }
    h.checkSanitizers(stderr, `proxy ${child.pid}`);
    if (failed) tap.diag(`proxy ${child.pid} stderr:\n${stderr.slice(-4000)}`);
  });
  // GET /healthz: {status, body} (the body parsed), or null if nothing answers.
  const health = () => new Promise((resolve) => {
    http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) }));
    }).on('error', () => resolve(null));
  });
  await h.waitUntil(async () => (await health()) !== null, 15000);
  return { child, port, url: `http://127.0.0.1:${port}/mcp`, health, stderr: () => stderr };
}

// What a --share-upstream proxy on codex release version needs: a CODEX_HOME
// for the mock, a runtime directory of its own (for its shared app-server),
// and the arguments with --share-idle idle: {home, runtime, env, args}.
function sharing(mock, version, idle = 1) {
  const home = h.codexHome(mock);
  const runtime = h.scratch('runtime');
  return { home, runtime, env: { CODEX_HOME: home, XDG_RUNTIME_DIR: runtime },
    args: ['--share-upstream', '--share-idle', String(idle), '--upstream-cmd', h.codexCommand(version)] };
}

module.exports = { freePort: h.freePort, sharing, connectable, listeningCodex, appServerGroups, selfSigned, tlsFront, httpProxyOn };
