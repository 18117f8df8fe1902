/*
 * Copyright (c) 2026 The codex-mcp-proxy authors
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/*
 * The Streamable HTTP front: MCP at /mcp for many sessions at once, each
 * with its own MCP session and all sharing the one app-server. A POST of a
 * request is answered as JSON, or as an SSE stream when the answer carries
 * more than the response (progress, log messages, elicitations) or does not
 * come at once (see http_stream.c). GET opens the session's stream for
 * messages tied to no request, or resumes a stream by Last-Event-ID. DELETE
 * ends a session. A client that goes away cancels nothing: its stream keeps
 * its events for a resume. A POST of MCP 2026-07-28 has no session and is
 * http_modern.c's. /healthz and /metrics are status.c's.
 */

#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <openssl/crypto.h>

#include "proxy.h"

#define HTTP_SWEEP_S		5	/* how often idle sessions are looked for */

struct http_session {
	char			 id[33];
	struct mcp_session	*mcp;
	time_t			 active;	/* last request */
	struct http_streams	 streams;
	TAILQ_ENTRY(http_session) entry;
};

static TAILQ_HEAD(, http_session) http_sessions =
    TAILQ_HEAD_INITIALIZER(http_sessions);
static struct evhttp		*http;
static struct evhttp_bound_socket *http_socket;
static struct event		*http_sweep;
static u_int			 http_nsessions;

static void	 http_request_cb(struct evhttp_request *, void *);
static void	 http_mcp(struct evhttp_request *);
static void	 http_post(struct evhttp_request *, struct http_session *);
static void	 http_get(struct evhttp_request *, struct http_session *);
static void	 http_send(void *, json_object *, json_object *);
static struct http_session *http_session_new(void);
static void	 http_session_end(struct http_session *, const char *);
static struct http_session *http_session_find(const char *);
static void	 http_sweep_cb(evutil_socket_t, short, void *);

static const struct mcp_front http_front = { http_send, NULL };

/* Answer with a status and, if body is not NULL, that body (freed). */
void
http_reply(struct evhttp_request *req, int status, const char *reason,
    const char *type, struct evbuffer *body)
{
	size_t	n = body != NULL ? evbuffer_get_length(body) : 0;

	if (body != NULL)
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Content-Type", type);
	metrics_http(status, req, n);
	evhttp_send_reply(req, status, reason, body);
	if (body != NULL)
		evbuffer_free(body);
}

/* Answer with a status and, unless code is 0, a JSON-RPC error body. */
void
http_reply_error(struct evhttp_request *req, int status, const char *reason,
    int code, const char *message)
{
	struct evbuffer	*body = NULL;
	json_object	*msg;

	if (code != 0) {
		msg = rpc_error(1, NULL, code, message);
		body = evbuffer_new();
		evbuffer_add_printf(body, "%s", json_text(msg));
		json_object_put(msg);
	}
	http_reply(req, status, reason, "application/json", body);
}

/* Does header name carry value (a media type, ignoring parameters)? */
int
http_wants(struct evhttp_request *req, const char *name, const char *value)
{
	const char	*h = evhttp_find_header(
			    evhttp_request_get_input_headers(req), name);
	size_t		 n = strlen(value);

	for (; h != NULL && *h != '\0'; h++) {
		if (strncasecmp(h, value, n) == 0 &&
		    (h[n] == '\0' || h[n] == ';' || h[n] == ',' ||
		    isspace((unsigned char)h[n])))
			return (1);
		if ((h = strchr(h, ',')) == NULL)
			break;
		while (h[1] == ' ')
			h++;
	}
	return (0);
}

/* Start serving HTTP on host:port. */
void
mcp_http_start(const char *host, int port)
{
	struct timeval	tv;
	int		on = 1;

	if ((http = evhttp_new(proxy_base)) == NULL)
		fatalx("cannot create the HTTP server");
	evhttp_set_max_body_size(http, opts.max_message);
	/* Let every method through: /mcp answers the others with 405. */
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_DELETE | EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT |
	    EVHTTP_REQ_PATCH | EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE |
	    EVHTTP_REQ_CONNECT);
	evhttp_set_gencb(http, http_request_cb, NULL);
	http_tls_setup();
	if ((http_socket = evhttp_bind_socket_with_handle(http, host,
	    port)) == NULL)
		fatalx("cannot listen on %s port %d", host, port);
	http_conns_setup(http, http_socket);
	/* Accepted sockets inherit it: no Nagle delay on small SSE events. */
	if (setsockopt(evhttp_bound_socket_get_fd(http_socket), IPPROTO_TCP,
	    TCP_NODELAY, &on, sizeof on) == -1)
		log_warn("%s: TCP_NODELAY", __func__);
	log_info("serving MCP over HTTP%s at %s:%d/mcp", http_tls_on() ?
	    "S" : "", host, port);
	http_sweep = event_new(proxy_base, -1, EV_PERSIST, http_sweep_cb,
	    NULL);
	tv.tv_sec = HTTP_SWEEP_S;
	tv.tv_usec = 0;
	evtimer_add(http_sweep, &tv);
}

/* Stop accepting connections (a drain); the open ones go on. */
void
mcp_http_stop_listening(void)
{
	if (http != NULL && http_socket != NULL) {
		http_conns_stop();
		evhttp_del_accept_socket(http, http_socket);
		http_socket = NULL;
	}
}

/* End every session and free the server. */
void
mcp_http_free(void)
{
	struct http_session	*hs;

	if (http == NULL)
		return;
	while ((hs = TAILQ_FIRST(&http_sessions)) != NULL)
		http_session_end(hs, "the proxy is shutting down");
	http_modern_free();
	event_free(http_sweep);
	http_conns_free();
	evhttp_free(http);
	http = NULL;
}

/* How many sessions are open. */
u_int
mcp_http_sessions(void)
{
	return (http_nsessions);
}

/* Every request: the endpoints, then the checks every /mcp request passes. */
static void
http_request_cb(struct evhttp_request *req, void *arg)
{
	const char	*uri = evhttp_request_get_uri(req);
	const char	*path;
	struct evhttp_uri *u;

	metrics_http_in(req);
	http_conn_request(req);
	u = evhttp_uri_parse(uri);
	path = u != NULL ? evhttp_uri_get_path(u) : NULL;
	if (path == NULL)
		http_reply_error(req, 400, "Bad Request", 0, NULL);
	else if (strcmp(path, "/healthz") == 0)
		status_health(req);
	else if (!http_access(req))
		;		/* answered: 401 or 403 */
	else if (strcmp(path, "/metrics") == 0)
		status_metrics(req);
	else if (strcmp(path, "/mcp") == 0)
		http_mcp(req);
	else
		http_reply_error(req, 404, "Not Found", 0, NULL);
	if (u != NULL)
		evhttp_uri_free(u);
}

/* /mcp: find the session and dispatch on the method. */
static void
http_mcp(struct evhttp_request *req)
{
	struct evkeyvalq	*in = evhttp_request_get_input_headers(req);
	struct http_session	*hs = NULL;
	enum evhttp_cmd_type	 cmd = evhttp_request_get_command(req);
	const char		*sid, *version;

	if (http_modern(req))
		return;		/* a 2026-07-28 POST: no session */
	sid = evhttp_find_header(in, "Mcp-Session-Id");
	if (sid != NULL && (hs = http_session_find(sid)) == NULL) {
		http_reply_error(req, 404, "Not Found", RPC_INVALID_REQUEST,
		    "Session not found");
		return;
	}
	version = evhttp_find_header(in, "MCP-Protocol-Version");
	if (version != NULL && !mcp_version_known(version)) {
		http_reply_error(req, 400, "Bad Request", RPC_INVALID_REQUEST,
		    "Unsupported MCP-Protocol-Version");
		return;
	}
	if (hs != NULL)
		hs->active = time(NULL);
	if (hs == NULL && (cmd == EVHTTP_REQ_GET || cmd == EVHTTP_REQ_DELETE)) {
		http_reply_error(req, 400, "Bad Request", RPC_INVALID_REQUEST,
		    "Mcp-Session-Id header is required");
		return;
	}
	switch (cmd) {
	case EVHTTP_REQ_POST:
		http_post(req, hs);
		break;
	case EVHTTP_REQ_GET:
		http_get(req, hs);
		break;
	case EVHTTP_REQ_DELETE:
		http_session_end(hs, "the client ended the session");
		http_reply(req, 200, "OK", NULL, NULL);
		break;
	default:
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "GET, POST, DELETE");
		http_reply_error(req, 405, "Method Not Allowed", 0, NULL);
		break;
	}
}

/*
 * POST: one JSON-RPC message. A request's answer is plain JSON if the
 * session gives it at once and nothing else first, else an SSE stream.
 */
static void
http_post(struct evhttp_request *req, struct http_session *hs)
{
	struct evbuffer		*body = evhttp_request_get_input_buffer(req);
	json_object		*msg, *id;
	const char		*err, *method;
	char			*text;
	size_t			 len;
	u_int			 num;

	if (!http_wants(req, "Content-Type", "application/json")) {
		http_reply_error(req, 415, "Unsupported Media Type",
		    RPC_INVALID_REQUEST, "Content-Type must be "
		    "application/json");
		return;
	}
	if (!http_wants(req, "Accept", "application/json") ||
	    !http_wants(req, "Accept", "text/event-stream")) {
		http_reply_error(req, 406, "Not Acceptable", RPC_INVALID_REQUEST,
		    "Accept must list application/json and text/event-stream");
		return;
	}
	len = evbuffer_get_length(body);
	text = xmalloc(len + 1);
	evbuffer_remove(body, text, len);
	text[len] = '\0';
	if ((msg = json_parse(text, len, &err)) == NULL ||
	    !json_object_is_type(msg, json_type_object)) {
		http_reply_error(req, 400, "Bad Request", msg == NULL && err != NULL ?
		    RPC_PARSE_ERROR : RPC_INVALID_REQUEST, msg == NULL &&
		    err != NULL ? "Parse error" : "Invalid request: one JSON-RPC "
		    "message (an object) per POST");
		goto out;
	}
	if (!utf8_valid(text, len)) {
		/* Refused here: no stream could take an answer to its id. */
		http_reply_error(req, 400, "Bad Request", RPC_INVALID_REQUEST,
		    "Invalid request: the message is not valid UTF-8");
		goto out;
	}
	if (json_object_object_get_ex(msg, "id", &id) && !json_id_valid(id)) {
		/* Answered here: the session could tie it to no stream. */
		http_reply_error(req, 400, "Bad Request", RPC_INVALID_REQUEST,
		    "Invalid request: id must be a string or an integer");
		goto out;
	}
	method = json_str(msg, "method");
	if (method != NULL && strcmp(method, "initialize") == 0 && id != NULL) {
		if (hs != NULL) {
			http_reply_error(req, 400, "Bad Request", RPC_INVALID_REQUEST,
			    "Invalid request: the session is already "
			    "initialized");
			goto out;
		}
		if (opts.max_sessions > 0 &&
		    http_nsessions >= (u_int)opts.max_sessions) {
			http_reply_error(req, 503, "Service Unavailable",
			    RPC_OVERLOADED, "too many sessions (--max-sessions); "
			    "try again when one has ended");
			goto out;
		}
		hs = http_session_new();
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Mcp-Session-Id", hs->id);
	} else if (hs == NULL) {
		http_reply_error(req, 400, "Bad Request", RPC_INVALID_REQUEST,
		    "Mcp-Session-Id header is required");
		goto out;
	}
	if (method == NULL || id == NULL) {
		/* A notification or a response: accepted, nothing to say. */
		http_reply(req, 202, "Accepted", NULL, NULL);
		mcp_session_input(hs->mcp, text, len);
		goto out;
	}
	num = http_stream_open(&hs->streams, req, id);
	mcp_session_input(hs->mcp, text, len);
	http_stream_wait(&hs->streams, num);
 out:
	json_object_put(msg);
	free(text);
}

/* GET: the session's own stream, or the resumption of a stream. */
static void
http_get(struct evhttp_request *req, struct http_session *hs)
{
	struct evkeyvalq	*in = evhttp_request_get_input_headers(req);
	const char		*last;
	u_int			 num, seq;

	if (!http_wants(req, "Accept", "text/event-stream")) {
		http_reply_error(req, 406, "Not Acceptable", RPC_INVALID_REQUEST,
		    "Accept must list text/event-stream");
		return;
	}
	last = evhttp_find_header(in, "Last-Event-ID");
	if (last != NULL && sscanf(last, "%u-%u", &num, &seq) == 2) {
		if (http_stream_resume(&hs->streams, req, num, seq) == -1)
			http_reply_error(req, 404, "Not Found",
			    RPC_INVALID_REQUEST, "no such stream to resume, "
			    "or it is still open");
		return;
	}
	if (http_stream_get(&hs->streams, req) == -1)
		http_reply_error(req, 409, "Conflict", RPC_INVALID_REQUEST,
		    "this session already has a GET stream");
}

/* Create a session with a random id and its MCP session. */
static struct http_session *
http_session_new(void)
{
	struct http_session	*hs;

	hs = xcalloc(1, sizeof *hs);
	xrandom_hex(hs->id, 16);
	hs->mcp = mcp_session_new(&http_front, hs);
	mcp_session_name(hs->mcp, hs->id);
	hs->active = time(NULL);
	http_streams_init(&hs->streams, hs->id, hs->mcp);
	TAILQ_INSERT_TAIL(&http_sessions, hs, entry);
	http_nsessions++;
	log_info("http session %.8s... opened", hs->id);
	return (hs);
}

/* The session with this id, or NULL. */
static struct http_session *
http_session_find(const char *id)
{
	struct http_session	*hs;

	if (strlen(id) != sizeof hs->id - 1)
		return (NULL);
	/* In constant time, like the token: ids are credentials too. */
	TAILQ_FOREACH(hs, &http_sessions, entry) {
		if (CRYPTO_memcmp(hs->id, id, sizeof hs->id - 1) == 0)
			return (hs);
	}
	return (NULL);
}

/* End a session: close its streams; its calls run on unheard. */
static void
http_session_end(struct http_session *hs, const char *why)
{
	log_info("http session %.8s... ends: %s", hs->id, why);
	http_streams_close(&hs->streams);
	TAILQ_REMOVE(&http_sessions, hs, entry);
	http_nsessions--;
	mcp_session_close(hs->mcp);
	free(hs);
}

/* The MCP session sends msg, related to a client request or not. */
static void
http_send(void *ctx, json_object *msg, json_object *related)
{
	struct http_session	*hs = ctx;
	int			 response, status;

	response = related != NULL && json_id_equal(json_obj(msg, "id"),
	    related) && (json_object_object_get_ex(msg, "result", NULL) ||
	    json_object_object_get_ex(msg, "error", NULL));
	/* A plain answer that a limit refused is a 503. */
	status = !response ? 0 : json_object_get_int(json_path(msg,
	    "error.code")) == RPC_OVERLOADED ? 503 : 200;
	http_stream_send(&hs->streams, related, json_text(msg), status);
}

/* Keep idle SSE connections alive and end sessions idle too long. */
static void
http_sweep_cb(evutil_socket_t fd, short events, void *arg)
{
	struct http_session	*hs, *hs1;
	time_t			 now = time(NULL);
	static u_int		 ticks;
	int			 keepalive;

	keepalive = ++ticks % (HTTP_KEEPALIVE_S / HTTP_SWEEP_S) == 0;
	if (keepalive)
		http_modern_keepalive();
	TAILQ_FOREACH_SAFE(hs, &http_sessions, entry, hs1) {
		if (keepalive)
			http_streams_keepalive(&hs->streams);
		if (opts.session_idle > 0 &&
		    now - hs->active > opts.session_idle &&
		    !mcp_session_busy(hs->mcp))
			http_session_end(hs, "idle");
	}
}
