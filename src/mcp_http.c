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
 * request is answered as JSON, or, for tools/call and tasks/result, as an
 * SSE stream that carries the call's progress, log messages and
 * elicitations before its result. GET opens the session's stream for
 * messages tied to no request, or resumes a stream by Last-Event-ID. DELETE
 * ends a session. A client that goes away cancels nothing: its stream keeps
 * its events for a resume.
 */

#include <sys/socket.h>
#include <sys/time.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "proxy.h"

#define HTTP_KEEPALIVE_S	15	/* a comment on idle SSE streams */
#define HTTP_SWEEP_S		5	/* how often idle sessions are looked for */
#define HTTP_REPLAY_MAX		2000	/* events a stream keeps for a resume */
#define HTTP_PENDING_MAX	1000	/* messages waiting for a GET stream */

struct http_event {
	u_int			 seq;
	char			*text;		/* the JSON message */
	TAILQ_ENTRY(http_event)	 entry;
};

struct http_stream {
	struct http_session	*hs;
	u_int			 num;
	json_object		*request_id;	/* NULL for the GET stream */
	struct evhttp_request	*req;		/* NULL once the client left */
	int			 sse;
	int			 done;		/* the response went out */
	u_int			 next_seq;
	u_int			 kept;
	struct timeval		 started;
	TAILQ_HEAD(, http_event) events;
	TAILQ_ENTRY(http_stream) entry;
};

struct http_session {
	char			 id[33];
	struct mcp_session	*mcp;
	time_t			 active;	/* last request */
	u_int			 next_stream;
	struct http_stream	*get;		/* the GET stream, if open */
	json_object		*pending;	/* messages for the next GET */
	TAILQ_HEAD(, http_stream) streams;
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
static struct http_stream *http_stream_new(struct http_session *,
		     struct evhttp_request *, json_object *, int);
static void	 http_stream_free(struct http_stream *);
static void	 http_stream_attach(struct http_stream *,
		     struct evhttp_request *);
static void	 http_stream_write(struct http_stream *, u_int, const char *);
static void	 http_stream_deliver(struct http_stream *, const char *);
static void	 http_stream_end(struct http_stream *);
static void	 http_closed_cb(struct evhttp_connection *, void *);
static void	 http_sweep_cb(evutil_socket_t, short, void *);
static int	 http_wants(struct evhttp_request *, const char *,
		     const char *);
static void	 http_stream_replay(struct http_stream *, u_int);
static void	 http_stream_keep(struct http_stream *, const char *);
static void	 http_session_flush(struct http_session *);
static void	 http_health(struct evhttp_request *);

static const struct mcp_front http_front = { http_send };

/* Answer with a status and, unless code is 0, a JSON-RPC error body. */
void
http_reply_error(struct evhttp_request *req, int status, const char *reason,
    int code, const char *message)
{
	struct evbuffer	*body = evbuffer_new();
	json_object	*msg, *err;
	const char	*text;

	if (code != 0) {
		err = json_object_new_object();
		json_object_object_add(err, "code", json_object_new_int(code));
		json_set_str(err, "message", message);
		msg = json_object_new_object();
		json_set_str(msg, "jsonrpc", "2.0");
		json_object_object_add(msg, "id", NULL);
		json_object_object_add(msg, "error", err);
		text = json_text(msg);
		evbuffer_add(body, text, strlen(text));
		json_object_put(msg);
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Content-Type", "application/json");
	}
	metrics_http(status, req, evbuffer_get_length(body));
	evhttp_send_reply(req, status, reason, body);
	evbuffer_free(body);
}

/* Does header name carry value (a media type, ignoring parameters)? */
static int
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
	http_tls_setup(http);
	if ((http_socket = evhttp_bind_socket_with_handle(http, host,
	    port)) == NULL)
		fatalx("cannot listen on %s port %d", host, port);
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
	event_free(http_sweep);
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
	u = evhttp_uri_parse(uri);
	path = u != NULL ? evhttp_uri_get_path(u) : NULL;
	if (path == NULL)
		http_reply_error(req, 400, "Bad Request", 0, NULL);
	else if (strcmp(path, "/healthz") == 0)
		http_health(req);
	else if (!http_access(req))
		;		/* answered: 401 or 403 */
	else if (strcmp(path, "/metrics") == 0)
		metrics_serve(req);
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
	const char		*sid, *version;

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
	switch (evhttp_request_get_command(req)) {
	case EVHTTP_REQ_POST:
		http_post(req, hs);
		break;
	case EVHTTP_REQ_GET:
		if (hs == NULL)
			http_reply_error(req, 400, "Bad Request", RPC_INVALID_REQUEST,
			    "Mcp-Session-Id header is required");
		else
			http_get(req, hs);
		break;
	case EVHTTP_REQ_DELETE:
		if (hs == NULL)
			http_reply_error(req, 400, "Bad Request", RPC_INVALID_REQUEST,
			    "Mcp-Session-Id header is required");
		else {
			http_session_end(hs, "the client ended the session");
			metrics_http(200, req, 0);
			evhttp_send_reply(req, 200, "OK", NULL);
		}
		break;
	default:
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "GET, POST, DELETE");
		http_reply_error(req, 405, "Method Not Allowed", 0, NULL);
		break;
	}
}

/* POST: one JSON-RPC message. */
static void
http_post(struct evhttp_request *req, struct http_session *hs)
{
	struct evbuffer		*body = evhttp_request_get_input_buffer(req);
	struct http_stream	*st;
	json_object		*msg, *id;
	const char		*err, *method;
	char			*text;
	size_t			 len;
	u_int			 num;
	int			 sse;

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
	method = json_str(msg, "method");
	id = json_obj(msg, "id");
	if (method != NULL && strcmp(method, "initialize") == 0 && id != NULL) {
		if (hs != NULL) {
			http_reply_error(req, 400, "Bad Request", RPC_INVALID_REQUEST,
			    "Invalid request: the session is already "
			    "initialized");
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
		metrics_http(202, req, 0);
		evhttp_send_reply(req, 202, "Accepted", NULL);
		mcp_session_input(hs->mcp, text, len);
		goto out;
	}
	sse = strcmp(method, "tools/call") == 0 ||
	    strcmp(method, "tasks/result") == 0;
	num = http_stream_new(hs, req, id, sse)->num;
	mcp_session_input(hs->mcp, text, len);
	/* Answered at once, the stream is gone; if not, the answer comes as SSE. */
	TAILQ_FOREACH(st, &hs->streams, entry) {
		if (st->num == num && !st->done && !st->sse) {
			st->sse = 1;
			http_stream_attach(st, req);
		}
	}
 out:
	json_object_put(msg);
	free(text);
}

/* GET: the session's own stream, or the resumption of a stream. */
static void
http_get(struct evhttp_request *req, struct http_session *hs)
{
	struct evkeyvalq	*in = evhttp_request_get_input_headers(req);
	struct http_stream	*st;
	const char		*last;
	u_int			 num, seq;

	if (!http_wants(req, "Accept", "text/event-stream")) {
		http_reply_error(req, 406, "Not Acceptable", RPC_INVALID_REQUEST,
		    "Accept must list text/event-stream");
		return;
	}
	last = evhttp_find_header(in, "Last-Event-ID");
	if (last != NULL && sscanf(last, "%u-%u", &num, &seq) == 2) {
		TAILQ_FOREACH(st, &hs->streams, entry) {
			if (st->num == num)
				break;
		}
		if (st == NULL || st->req != NULL) {
			http_reply_error(req, 404, "Not Found", RPC_INVALID_REQUEST,
			    "no such stream to resume, or it is still open");
			return;
		}
		http_stream_attach(st, req);
		http_stream_replay(st, seq);
		return;
	}
	if (hs->get != NULL && hs->get->req != NULL) {
		http_reply_error(req, 409, "Conflict", RPC_INVALID_REQUEST,
		    "this session already has a GET stream");
		return;
	}
	if (hs->get == NULL)
		hs->get = http_stream_new(hs, NULL, NULL, 1);
	http_stream_attach(hs->get, req);
	http_session_flush(hs);
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
	hs->next_stream = 1;
	hs->pending = json_object_new_array();
	TAILQ_INIT(&hs->streams);
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

	TAILQ_FOREACH(hs, &http_sessions, entry) {
		if (strcmp(hs->id, id) == 0)
			return (hs);
	}
	return (NULL);
}

/* End a session: close its streams; its calls run on unheard. */
static void
http_session_end(struct http_session *hs, const char *why)
{
	struct http_stream	*st;

	log_info("http session %.8s... ends: %s", hs->id, why);
	while ((st = TAILQ_FIRST(&hs->streams)) != NULL) {
		if (st->req != NULL && st->sse)
			http_stream_end(st);
		else if (st->req != NULL)
			http_reply_error(st->req, 404, "Not Found", 0, NULL);
		http_stream_free(st);
	}
	TAILQ_REMOVE(&http_sessions, hs, entry);
	http_nsessions--;
	mcp_session_close(hs->mcp);
	json_object_put(hs->pending);
	free(hs);
}

/* A stream for the request id (NULL: the GET stream), attached to req. */
static struct http_stream *
http_stream_new(struct http_session *hs, struct evhttp_request *req,
    json_object *request_id, int sse)
{
	struct http_stream	*st;

	st = xcalloc(1, sizeof *st);
	st->hs = hs;
	st->num = hs->next_stream++;
	st->request_id = json_object_get(request_id);
	st->sse = sse;
	gettimeofday(&st->started, NULL);
	TAILQ_INIT(&st->events);
	TAILQ_INSERT_TAIL(&hs->streams, st, entry);
	if (req != NULL)
		http_stream_attach(st, req);
	return (st);
}

/* Free a stream and the events it kept. */
static void
http_stream_free(struct http_stream *st)
{
	struct http_event	*ev;

	if (st->req != NULL)
		evhttp_connection_set_closecb(
		    evhttp_request_get_connection(st->req), NULL, NULL);
	while ((ev = TAILQ_FIRST(&st->events)) != NULL) {
		TAILQ_REMOVE(&st->events, ev, entry);
		free(ev->text);
		free(ev);
	}
	if (st->hs->get == st)
		st->hs->get = NULL;
	TAILQ_REMOVE(&st->hs->streams, st, entry);
	json_object_put(st->request_id);
	free(st);
}

/*
 * Give a stream its (new) connection. An SSE stream starts its reply at
 * once and, for 2025-11-25 clients, opens with a priming event.
 */
static void
http_stream_attach(struct http_stream *st, struct evhttp_request *req)
{
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);
	struct evbuffer		*b;

	st->req = req;
	evhttp_connection_set_closecb(evhttp_request_get_connection(req),
	    http_closed_cb, st);
	if (!st->sse)
		return;
	evhttp_add_header(out, "Content-Type", "text/event-stream");
	evhttp_add_header(out, "Cache-Control", "no-cache");
	metrics_http(200, req, 0);
	evhttp_send_reply_start(req, 200, "OK");
	if (st->next_seq == 0 && mcp_session_tasks(st->hs->mcp)) {
		b = evbuffer_new();
		evbuffer_add_printf(b, "id: %u-0\ndata: \n\n", st->num);
		evhttp_send_reply_chunk(req, b);
		evbuffer_free(b);
	}
}

/* Free a request its connection let go of (see http_closed_cb). */
static void
http_orphan_cb(evutil_socket_t fd, short events, void *arg)
{
	evhttp_request_free(arg);
}

/*
 * The client's connection went away: keep the stream for a resume. The
 * unfinished reply's request is no longer the connection's to free, but
 * ours: free it once libevent is done with the connection.
 */
static void
http_closed_cb(struct evhttp_connection *evcon, void *arg)
{
	struct http_stream	*st = arg;

	log_debug("http stream %u of %.8s... lost its client", st->num,
	    st->hs->id);
	if (st->req != NULL && st->sse)
		event_base_once(proxy_base, -1, EV_TIMEOUT, http_orphan_cb,
		    st->req, NULL);
	st->req = NULL;
	if (st->done)
		http_stream_free(st);
}

/* Write one event (an SSE message) to the stream's connection. */
static void
http_stream_write(struct http_stream *st, u_int seq, const char *text)
{
	struct evbuffer	*b;

	if (st->req == NULL)
		return;
	b = evbuffer_new();
	evbuffer_add_printf(b, "id: %u-%u\nevent: message\ndata: %s\n\n",
	    st->num, seq, text);
	metrics_bytes_out(evbuffer_get_length(b));
	evhttp_send_reply_chunk(st->req, b);
	evbuffer_free(b);
}

/* Keep an event for a resume (the oldest go past a limit), and write it. */
static void
http_stream_keep(struct http_stream *st, const char *text)
{
	struct http_event	*ev;

	ev = xcalloc(1, sizeof *ev);
	ev->seq = ++st->next_seq;
	ev->text = xstrdup(text);
	TAILQ_INSERT_TAIL(&st->events, ev, entry);
	if (++st->kept > HTTP_REPLAY_MAX) {
		ev = TAILQ_FIRST(&st->events);
		TAILQ_REMOVE(&st->events, ev, entry);
		free(ev->text);
		free(ev);
		st->kept--;
	}
	http_stream_write(st, st->next_seq, text);
}

/* Send again what came after seq, then end the stream if it is done. */
static void
http_stream_replay(struct http_stream *st, u_int after)
{
	struct http_event	*ev;

	TAILQ_FOREACH(ev, &st->events, entry) {
		if (ev->seq > after)
			http_stream_write(st, ev->seq, ev->text);
	}
	if (st->done)
		http_stream_end(st);
}

/* Finish an SSE reply; a stream that is done is then forgotten. */
static void
http_stream_end(struct http_stream *st)
{
	struct evhttp_request	*req = st->req;

	if (req == NULL)
		return;
	evhttp_connection_set_closecb(evhttp_request_get_connection(req),
	    NULL, NULL);
	st->req = NULL;
	metrics_latency(&st->started);
	evhttp_send_reply_end(req);
	if (st->done && st->hs->get != st)
		http_stream_free(st);
}

/* Answer a JSON-mode request with one message, and forget the stream. */
static void
http_stream_deliver(struct http_stream *st, const char *text)
{
	struct evhttp_request	*req = st->req;
	struct evbuffer		*b;

	st->done = 1;
	if (req != NULL) {
		evhttp_connection_set_closecb(
		    evhttp_request_get_connection(req), NULL, NULL);
		st->req = NULL;
		b = evbuffer_new();
		evbuffer_add(b, text, strlen(text));
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Content-Type", "application/json");
		metrics_http(200, req, evbuffer_get_length(b));
		metrics_latency(&st->started);
		evhttp_send_reply(req, 200, "OK", b);
		evbuffer_free(b);
	}
	http_stream_free(st);
}

/* Send what waited for the GET stream. */
static void
http_session_flush(struct http_session *hs)
{
	size_t	i, n = json_object_array_length(hs->pending);

	for (i = 0; i < n; i++)
		http_stream_keep(hs->get, json_object_get_string(
		    json_object_array_get_idx(hs->pending, i)));
	json_object_put(hs->pending);
	hs->pending = json_object_new_array();
}

/*
 * The MCP session sends msg: on the stream of the request it relates to
 * (ending it with the response), else on the GET stream, else kept until
 * a GET stream opens.
 */
static void
http_send(void *ctx, json_object *msg, json_object *related)
{
	struct http_session	*hs = ctx;
	struct http_stream	*st = NULL;
	const char		*text = json_text(msg);
	int			 response;

	response = related != NULL && json_id_equal(json_obj(msg, "id"),
	    related) && (json_object_object_get_ex(msg, "result", NULL) ||
	    json_object_object_get_ex(msg, "error", NULL));
	if (related != NULL) {
		TAILQ_FOREACH(st, &hs->streams, entry) {
			if (!st->done && st->request_id != NULL &&
			    json_id_equal(st->request_id, related))
				break;
		}
	}
	if (st != NULL && !st->sse && response) {
		http_stream_deliver(st, text);
		return;
	}
	if (st != NULL && st->sse) {
		if (response)
			st->done = 1;
		http_stream_keep(st, text);
		if (response)
			http_stream_end(st);
		return;
	}
	if (hs->get != NULL && hs->get->req != NULL) {
		http_stream_keep(hs->get, text);
		return;
	}
	if (json_object_array_length(hs->pending) >= HTTP_PENDING_MAX)
		json_object_array_del_idx(hs->pending, 0, 1);
	json_object_array_add(hs->pending, json_object_new_string(text));
}

/* Keep idle SSE connections alive and end sessions idle too long. */
static void
http_sweep_cb(evutil_socket_t fd, short events, void *arg)
{
	struct http_session	*hs, *hs1;
	struct http_stream	*st;
	struct evbuffer		*b;
	time_t			 now = time(NULL);
	static u_int		 ticks;
	int			 keepalive;

	keepalive = ++ticks % (HTTP_KEEPALIVE_S / HTTP_SWEEP_S) == 0;
	TAILQ_FOREACH_SAFE(hs, &http_sessions, entry, hs1) {
		TAILQ_FOREACH(st, &hs->streams, entry) {
			if (!keepalive || st->req == NULL || !st->sse)
				continue;
			b = evbuffer_new();
			evbuffer_add_printf(b, ": keepalive\n\n");
			evhttp_send_reply_chunk(st->req, b);
			evbuffer_free(b);
		}
		if (opts.session_idle > 0 &&
		    now - hs->active > opts.session_idle &&
		    !mcp_session_busy(hs->mcp))
			http_session_end(hs, "idle");
	}
}

/* /healthz: 200 while the app-server is usable, 503 otherwise. */
static void
http_health(struct evhttp_request *req)
{
	struct evbuffer	*b = evbuffer_new();
	const char	*state = dialect_state_name();
	int		 ok = dialect_usable();

	evbuffer_add_printf(b, "{\"status\":\"%s\",\"upstream\":\"%s\"}\n",
	    ok ? "ok" : "unavailable", state);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "application/json");
	metrics_http(ok ? 200 : 503, req, evbuffer_get_length(b));
	evhttp_send_reply(req, ok ? 200 : 503, ok ? "OK" :
	    "Service Unavailable", b);
	evbuffer_free(b);
}
