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
 * The Streamable HTTP leg of MCP 2026-07-28. A POST whose body claims that
 * revision in _meta (or whose MCP-Protocol-Version names it) carries one
 * request and all of its context: no session, no event ids, no resumption.
 * Its headers must mirror the body (http_headers.c). The request gets an
 * MCP session of its own, and the POST's response is its only stream: the
 * answer alone as JSON, or SSE with the request's progress and log messages
 * that ends with the answer. A client that closes the stream before the
 * answer cancels the call: its turn is interrupted upstream. A call that
 * runs on a thread names it in an Mcp-Thread-Id response header, for a
 * load balancer to stick the thread to this instance: the response starts
 * (and its early events wait) until the thread is known, the answer comes
 * or it has waited a keepalive's time (15 s, looked at every 15 s),
 * whichever is first.
 */

#include <sys/time.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "proxy.h"

/* One modern POST: its request, its session and its response stream. */
struct http_call {
	struct evhttp_request	*req;		/* NULL once the client is gone */
	struct mcp_session	*mcp;
	json_object		*id;
	int			 sse;		/* the response is an SSE stream */
	struct evbuffer		*held;		/* events before it starts */
	int			 named;		/* its thread is in a header */
	int			 dispatching;	/* in mcp_session_input */
	int			 answered;
	struct timeval		 started;
	struct http_lag		 lag;		/* its client, if it falls behind */
	TAILQ_ENTRY(http_call)	 entry;
};

static TAILQ_HEAD(, http_call) http_calls = TAILQ_HEAD_INITIALIZER(http_calls);

static void	 http_call_send(void *, json_object *, json_object *);
static void	 http_call_thread(void *, const char *);
static void	 http_call_sse(struct http_call *);
static void	 http_call_answer(struct http_call *, json_object *);
static void	 http_call_event(struct http_call *, json_object *);
static void	 http_call_chunk(struct http_call *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
static void	 http_call_lost(void *);
static void	 http_call_free(struct http_call *);
static int	 http_call_status(json_object *);
static void	 http_modern_post(struct evhttp_request *, const char *, size_t,
		     json_object *);
static void	 http_answer(struct evhttp_request *, int, json_object *);

static const struct mcp_front http_call_front = {
	http_call_send,
	http_call_thread
};

/*
 * Serve a POST as 2026-07-28 if it is one: its body claims the revision
 * in _meta, or its MCP-Protocol-Version header names it. 0 if it is not,
 * for the 2025 leg to serve (its body untouched).
 */
int
http_modern(struct evhttp_request *req)
{
	struct evbuffer	*body = evhttp_request_get_input_buffer(req);
	const char	*version, *err;
	json_object	*msg;
	size_t		 len = evbuffer_get_length(body);
	char		*text;
	int		 header;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST)
		return (0);
	version = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "MCP-Protocol-Version");
	header = version != NULL && modern_version_known(version);
	if (!header && evbuffer_search(body, "\"" META_VERSION "\"",
	    strlen(META_VERSION) + 2, NULL).pos == -1)
		return (0);
	text = xmalloc(len + 1);
	evbuffer_copyout(body, text, len);
	text[len] = '\0';
	msg = json_parse(text, len, &err);
	if (!header && !modern_claimed(json_obj(msg, "params"))) {
		json_object_put(msg);
		free(text);
		return (0);
	}
	http_modern_post(req, text, len, msg);
	json_object_put(msg);
	free(text);
	return (1);
}

/* Answer req with a JSON-RPC message (borrowed) alone, and its status. */
static void
http_answer(struct evhttp_request *req, int status, json_object *msg)
{
	struct evbuffer	*b = evbuffer_new();

	evbuffer_add_printf(b, "%s", json_text(msg));
	http_reply(req, status, NULL, "application/json", b);
}

/*
 * The HTTP status of an answer: 404 for -32601, 400 for the modern codes,
 * 503 for a limit.
 */
static int
http_call_status(json_object *msg)
{
	json_object	*code = json_path(msg, "error.code");

	switch (code != NULL ? json_object_get_int(code) : 0) {
	case RPC_METHOD_NOT_FOUND:
		return (404);
	case RPC_HEADER_MISMATCH:
	case RPC_MISSING_CAPABILITY:
	case RPC_UNSUPPORTED_VERSION:
		return (400);
	case RPC_OVERLOADED:
		return (503);
	default:
		return (200);
	}
}

/* Write a piece of the SSE response. */
static void
http_call_chunk(struct http_call *hc, const char *fmt, ...)
{
	struct evbuffer	*b = evbuffer_new();
	va_list		 ap;

	va_start(ap, fmt);
	evbuffer_add_vprintf(b, fmt, ap);
	va_end(ap);
	metrics_bytes_out(evbuffer_get_length(b));
	evhttp_send_reply_chunk(hc->req, b);
	evbuffer_free(b);
	/* A client that stops reading holds codex, not our memory. */
	http_lag_wrote(&hc->lag, hc->req);
}

/* Write msg (borrowed) as one SSE event, without an id (no resumption). */
static void
http_call_event(struct http_call *hc, json_object *msg)
{
	if (!hc->sse)
		evbuffer_add_printf(hc->held, "event: message\ndata: %s\n\n",
		    json_text(msg));
	else
		http_call_chunk(hc, "event: message\ndata: %s\n\n",
		    json_text(msg));
}

/* A modern POST of text (msg parsed from it, NULL if it is not JSON). */
static void
http_modern_post(struct evhttp_request *req, const char *text, size_t len,
    json_object *msg)
{
	struct http_call	*hc;
	json_object		*id = NULL, *error;
	static u_int		 calls;

	if (!http_wants(req, "Content-Type", "application/json")) {
		http_reply_error(req, 415, "Unsupported Media Type",
		    RPC_INVALID_REQUEST, "Content-Type must be "
		    "application/json");
		return;
	}
	if (msg == NULL || !json_object_is_type(msg, json_type_object) ||
	    !utf8_valid(text, len) || (json_object_object_get_ex(msg, "id",
	    &id) && !json_id_valid(id)) || (json_obj(msg, "method") != NULL &&
	    json_str(msg, "method") == NULL)) {
		http_reply_error(req, 400, "Bad Request", msg == NULL ?
		    RPC_PARSE_ERROR : RPC_INVALID_REQUEST, "Invalid request: "
		    "one JSON-RPC request or notification (an object, in UTF-8, "
		    "with a string method and a string or integer id) per POST");
		return;
	}
	if (json_str(msg, "method") == NULL) {
		http_reply_error(req, 400, "Bad Request", RPC_INVALID_REQUEST,
		    "Invalid request: MCP " MCP_MODERN_VERSION " servers send "
		    "no requests, so there is nothing to answer");
		return;
	}
	if (id == NULL) {
		/* A notification: a disconnect, not one, cancels over HTTP. */
		trace_tap("c2p", "http", 0, msg, text, len);
		http_reply(req, 202, "Accepted", NULL, NULL);
		return;
	}
	if ((error = http_headers_check(req, msg)) != NULL) {
		trace_tap("c2p", "http", 0, msg, text, len);
		trace_tap("p2c", "http", 0, error, NULL, 0);
		http_answer(req, 400, error);
		json_object_put(error);
		return;
	}
	hc = xcalloc(1, sizeof *hc);
	TAILQ_INSERT_TAIL(&http_calls, hc, entry);
	hc->req = req;
	hc->id = json_object_get(id);
	hc->held = evbuffer_new();
	gettimeofday(&hc->started, NULL);
	hc->mcp = mcp_session_new(&http_call_front, hc);
	hc->mcp->era = ERA_MODERN;
	snprintf(hc->mcp->name, sizeof hc->mcp->name, "post-%u", ++calls);
	http_conn_watch(req, http_call_lost, hc);
	hc->dispatching = 1;
	mcp_session_input(hc->mcp, text, len);
	hc->dispatching = 0;
	if (hc->answered)
		http_call_free(hc);
	else if (hc->named)
		http_call_sse(hc);
}

/* Start the SSE response, if it is not one yet, with the events held. */
static void
http_call_sse(struct http_call *hc)
{
	struct evkeyvalq	*out;
	size_t			 len = evbuffer_get_length(hc->held);

	if (hc->sse || hc->req == NULL)
		return;
	hc->sse = 1;
	out = evhttp_request_get_output_headers(hc->req);
	evhttp_add_header(out, "Content-Type", "text/event-stream");
	evhttp_add_header(out, "Cache-Control", "no-cache");
	evhttp_add_header(out, "X-Accel-Buffering", "no");
	metrics_http(200, hc->req, 0);
	evhttp_send_reply_start(hc->req, 200, "OK");
	if (len > 0) {
		metrics_bytes_out(len);
		evhttp_send_reply_chunk(hc->req, hc->held);
	}
}

/* The call runs on thread id: name it, then start the response. */
static void
http_call_thread(void *ctx, const char *id)
{
	struct http_call	*hc = ctx;
	struct evkeyvalq	*out;

	if (hc->sse || hc->answered || hc->req == NULL)
		return;
	if (!hc->named) {
		out = evhttp_request_get_output_headers(hc->req);
		evhttp_add_header(out, "Mcp-Thread-Id", id);
		hc->named = 1;
	}
	if (!hc->dispatching)
		http_call_sse(hc);
}

/* The call's session sends msg: on the POST's response, nowhere else. */
static void
http_call_send(void *ctx, json_object *msg, json_object *related)
{
	struct http_call	*hc = ctx;

	if (hc->answered || hc->req == NULL)
		return;
	if (json_id_equal(json_obj(msg, "id"), hc->id) &&
	    (json_object_object_get_ex(msg, "result", NULL) ||
	    json_object_object_get_ex(msg, "error", NULL))) {
		http_call_answer(hc, msg);
		return;
	}
	http_call_event(hc, msg);
}

/* The answer: the whole response, or the last event of the stream. */
static void
http_call_answer(struct http_call *hc, json_object *msg)
{
	struct evhttp_request	*req = hc->req;

	hc->answered = 1;
	http_conn_watch(req, NULL, NULL);
	metrics_latency(&hc->started);
	if (!hc->dispatching || evbuffer_get_length(hc->held) > 0)
		http_call_sse(hc);
	if (!hc->sse)
		http_answer(req, http_call_status(msg), msg);
	else {
		http_call_event(hc, msg);
		evhttp_send_reply_end(req);
	}
	http_lag_end(&hc->lag);
	hc->req = NULL;
	if (!hc->dispatching)
		http_call_free(hc);
}

/* The client closed the stream before the answer: that cancels the call. */
static void
http_call_lost(void *arg)
{
	struct http_call	*hc = arg;

	log_info("%s: the client closed the stream of call %s; cancelling it",
	    hc->mcp->name, json_text(hc->id));
	http_lag_end(&hc->lag);
	http_conn_orphan(hc->req);
	hc->req = NULL;
	reply_cancel(hc->mcp, hc->id, NULL);
	if (!hc->dispatching)
		http_call_free(hc);
}

/* The call is over: its session sends nothing more. */
static void
http_call_free(struct http_call *hc)
{
	if (hc->req != NULL)
		http_conn_watch(hc->req, NULL, NULL);
	TAILQ_REMOVE(&http_calls, hc, entry);
	http_lag_end(&hc->lag);
	mcp_session_close(hc->mcp);
	json_object_put(hc->id);
	evbuffer_free(hc->held);
	free(hc);
}

/*
 * A comment on each call's SSE stream, so idle connections stay up; a
 * response that has waited for its thread a keepalive's time starts now.
 */
void
http_modern_keepalive(void)
{
	struct http_call	*hc;
	struct timeval		 now;

	gettimeofday(&now, NULL);
	TAILQ_FOREACH(hc, &http_calls, entry) {
		if (hc->req == NULL || hc->answered)
			continue;
		if (hc->sse)
			http_call_chunk(hc, ": keepalive\n\n");
		else if (now.tv_sec - hc->started.tv_sec >= HTTP_KEEPALIVE_S)
			http_call_sse(hc);
	}
}

/* The proxy is going: end the calls still open, unanswered. */
void
http_modern_free(void)
{
	struct http_call	*hc;
	struct evhttp_request	*req;

	while ((hc = TAILQ_FIRST(&http_calls)) != NULL) {
		if ((req = hc->req) != NULL) {
			http_conn_watch(req, NULL, NULL);
			hc->req = NULL;
			if (hc->sse)
				evhttp_send_reply_end(req);
			else
				http_reply_error(req, 503, "Service Unavailable",
				    0, NULL);
		}
		http_call_free(hc);
	}
}
