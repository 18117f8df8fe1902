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
 * The streams of an HTTP session: each POSTed request's answer, and the
 * GET stream for messages tied to no request. An answer is plain JSON
 * until the session has something else to say on it first, or does not
 * answer at once; then it is an SSE stream whose events are kept, so that
 * a client that lost it can resume it by Last-Event-ID.
 *
 * The set owns its streams and http_streams_reap() alone frees them: a
 * stream is forgotten once its response reached a client, or with the set.
 */

#include <sys/time.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "proxy.h"

#define HTTP_REPLAY_MAX		2000	/* events a stream keeps for a resume */
#define HTTP_PENDING_MAX	1000	/* messages waiting for a GET stream */

struct http_event {
	u_int			 seq;
	char			*text;		/* the JSON message */
	TAILQ_ENTRY(http_event)	 entry;
};

struct http_stream {
	struct http_streams	*set;
	u_int			 num;
	json_object		*request_id;	/* NULL for the GET stream */
	struct evhttp_request	*req;		/* NULL while no client listens */
	int			 sse;		/* the answer is an event stream */
	int			 done;		/* the response is among events */
	int			 finished;	/* it reached a client: forget it */
	u_int			 next_seq;
	u_int			 kept;
	struct timeval		 started;
	struct http_lag		 lag;		/* its client, if it falls behind */
	TAILQ_HEAD(http_events, http_event) events;
	TAILQ_ENTRY(http_stream) entry;
};

static struct http_stream *http_stream_new(struct http_streams *,
		     json_object *, int);
static struct http_stream *http_stream_find(struct http_streams *, u_int);
static void	 http_stream_free(struct http_stream *);
static void	 http_stream_attach(struct http_stream *,
		     struct evhttp_request *);
static void	 http_stream_detach(struct http_stream *);
static void	 http_stream_upgrade(struct http_stream *);
static void	 http_stream_start(struct http_stream *);
static size_t	 http_stream_chunk(struct http_stream *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
static void	 http_stream_keep(struct http_stream *, const char *);
static void	 http_stream_write(struct http_stream *, struct http_event *);
static void	 http_stream_end(struct http_stream *);
static void	 http_stream_reply(struct http_stream *, const char *, int);
static void	 http_streams_reap(struct http_streams *);
static void	 http_closed_cb(void *);

/* Start a session's empty set of streams; name and mcp outlive it. */
void
http_streams_init(struct http_streams *set, const char *name,
    struct mcp_session *mcp)
{
	TAILQ_INIT(&set->list);
	set->get = NULL;
	set->next = 1;
	set->name = name;
	set->mcp = mcp;
	set->pending = NULL;	/* made when first needed: most never are */
}

/* End the replies still open (the unanswered with 404) and free them all. */
void
http_streams_close(struct http_streams *set)
{
	struct http_stream	*st;
	struct evhttp_request	*req;

	TAILQ_FOREACH(st, &set->list, entry) {
		if (st->req != NULL && st->sse)
			http_stream_end(st);
		else if ((req = st->req) != NULL) {
			http_stream_detach(st);
			http_reply_error(req, 404, "Not Found", 0, NULL);
		}
		st->finished = 1;
	}
	http_streams_reap(set);
	json_object_put(set->pending);
	set->pending = NULL;
}

/* A comment on each open SSE stream, so idle connections stay up. */
void
http_streams_keepalive(struct http_streams *set)
{
	struct http_stream	*st;

	TAILQ_FOREACH(st, &set->list, entry) {
		if (st->req != NULL && st->sse)
			http_stream_chunk(st, ": keepalive\n\n");
	}
}

/* A stream for a POSTed request, answered plainly so far; its number. */
u_int
http_stream_open(struct http_streams *set, struct evhttp_request *req,
    json_object *request_id)
{
	struct http_stream	*st;

	st = http_stream_new(set, request_id, 0);
	http_stream_attach(st, req);
	return (st->num);
}

/* The request was not answered at once: its answer comes as SSE. */
void
http_stream_wait(struct http_streams *set, u_int num)
{
	struct http_stream	*st;

	if ((st = http_stream_find(set, num)) != NULL && !st->done)
		http_stream_upgrade(st);
}

/*
 * Send a message: on the stream of the request it relates to (which it
 * turns into SSE unless it is the response alone), else on the GET stream,
 * else kept until a GET stream opens. status is 0 unless msg is that
 * response: then the HTTP status of a plain answer (200, or 503 when a
 * limit refused the request).
 */
void
http_stream_send(struct http_streams *set, json_object *related,
    const char *text, int status)
{
	struct http_stream	*st = NULL;

	if (related != NULL) {
		TAILQ_FOREACH(st, &set->list, entry) {
			if (!st->done && st->request_id != NULL &&
			    json_id_equal(st->request_id, related))
				break;
		}
	}
	if (st != NULL) {
		if (status == 0)
			http_stream_upgrade(st);
		if (!st->sse)
			http_stream_reply(st, text, status);
		else {
			st->done = status != 0;
			http_stream_keep(st, text);
			if (status != 0)
				http_stream_end(st);
		}
		http_streams_reap(set);
		return;
	}
	if (set->get != NULL && set->get->req != NULL) {
		http_stream_keep(set->get, text);
		return;
	}
	if (set->pending == NULL)
		set->pending = json_object_new_array();
	if (json_object_array_length(set->pending) >= HTTP_PENDING_MAX)
		json_object_array_del_idx(set->pending, 0, 1);
	json_object_array_add(set->pending, json_object_new_string(text));
}

/* Open the GET stream on req and send what waited for it; -1 if open. */
int
http_stream_get(struct http_streams *set, struct evhttp_request *req)
{
	size_t	i, n;

	if (set->get != NULL && set->get->req != NULL)
		return (-1);
	if (set->get == NULL)
		set->get = http_stream_new(set, NULL, 1);
	http_stream_attach(set->get, req);
	n = set->pending != NULL ? json_object_array_length(set->pending) : 0;
	for (i = 0; i < n; i++)
		http_stream_keep(set->get, json_object_get_string(
		    json_object_array_get_idx(set->pending, i)));
	json_object_put(set->pending);
	set->pending = NULL;
	return (0);
}

/*
 * Resume stream num on req: send again what came after event seq, and
 * end it if its response is among them; -1 if there is no such stream
 * waiting for a client.
 */
int
http_stream_resume(struct http_streams *set, struct evhttp_request *req,
    u_int num, u_int seq)
{
	struct http_stream	*st;
	struct http_event	*ev;

	if ((st = http_stream_find(set, num)) == NULL || st->req != NULL ||
	    !st->sse)
		return (-1);
	http_stream_attach(st, req);
	TAILQ_FOREACH(ev, &st->events, entry) {
		if (ev->seq > seq)
			http_stream_write(st, ev);
	}
	if (st->done)
		http_stream_end(st);
	http_streams_reap(set);
	return (0);
}

/* A new stream in the set, for the request id (NULL: the GET stream). */
static struct http_stream *
http_stream_new(struct http_streams *set, json_object *request_id, int sse)
{
	struct http_stream	*st;

	st = xcalloc(1, sizeof *st);
	st->set = set;
	st->num = set->next++;
	st->request_id = json_object_get(request_id);
	st->sse = sse;
	gettimeofday(&st->started, NULL);
	TAILQ_INIT(&st->events);
	TAILQ_INSERT_TAIL(&set->list, st, entry);
	return (st);
}

/* The stream numbered num, or NULL. */
static struct http_stream *
http_stream_find(struct http_streams *set, u_int num)
{
	struct http_stream	*st;

	TAILQ_FOREACH(st, &set->list, entry) {
		if (st->num == num)
			return (st);
	}
	return (NULL);
}

/* Free every finished stream; the only place a stream is freed. */
static void
http_streams_reap(struct http_streams *set)
{
	struct http_stream	*st, *st1;

	TAILQ_FOREACH_SAFE(st, &set->list, entry, st1) {
		if (st->finished)
			http_stream_free(st);
	}
}

/* Take a stream out of its set and free it with the events it kept. */
static void
http_stream_free(struct http_stream *st)
{
	struct http_event	*ev;

	if (st->req != NULL)
		http_stream_detach(st);
	http_lag_end(&st->lag);
	while ((ev = TAILQ_FIRST(&st->events)) != NULL) {
		TAILQ_REMOVE(&st->events, ev, entry);
		free(ev->text);
		free(ev);
	}
	if (st->set->get == st)
		st->set->get = NULL;
	TAILQ_REMOVE(&st->set->list, st, entry);
	json_object_put(st->request_id);
	free(st);
}

/* Give a stream its (new) client; an SSE stream starts its reply. */
static void
http_stream_attach(struct http_stream *st, struct evhttp_request *req)
{
	st->req = req;
	http_conn_watch(req, http_closed_cb, st);
	if (st->sse)
		http_stream_start(st);
}

/* The stream lets go of its client's request (which goes on alone). */
static void
http_stream_detach(struct http_stream *st)
{
	http_conn_watch(st->req, NULL, NULL);
	st->req = NULL;
	http_lag_end(&st->lag);
}

/* Make a plain stream SSE, starting the reply if a client listens. */
static void
http_stream_upgrade(struct http_stream *st)
{
	if (st->sse)
		return;
	st->sse = 1;
	if (st->req != NULL)
		http_stream_start(st);
}

/* Start an SSE reply; for 2025-11-25 clients, with a priming event. */
static void
http_stream_start(struct http_stream *st)
{
	struct evkeyvalq	*out = evhttp_request_get_output_headers(st->req);

	evhttp_add_header(out, "Content-Type", "text/event-stream");
	evhttp_add_header(out, "Cache-Control", "no-cache");
	metrics_http(200, st->req, 0);
	evhttp_send_reply_start(st->req, 200, "OK");
	if (st->next_seq == 0 && mcp_session_tasks(st->set->mcp))
		http_stream_chunk(st, "id: %u-0\ndata: \n\n", st->num);
}

/* Write a piece of the SSE reply, if a client listens; its length. */
static size_t
http_stream_chunk(struct http_stream *st, const char *fmt, ...)
{
	struct evbuffer	*b;
	va_list		 ap;
	size_t		 n;

	if (st->req == NULL)
		return (0);
	b = evbuffer_new();
	va_start(ap, fmt);
	evbuffer_add_vprintf(b, fmt, ap);
	va_end(ap);
	n = evbuffer_get_length(b);
	evhttp_send_reply_chunk(st->req, b);
	evbuffer_free(b);
	/* A client that stops reading holds codex, not our memory. */
	http_lag_wrote(&st->lag, st->req);
	return (n);
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
	http_stream_write(st, TAILQ_LAST(&st->events, http_events));
}

/* Write one event (an SSE message) to the client, if one listens. */
static void
http_stream_write(struct http_stream *st, struct http_event *ev)
{
	metrics_bytes_out(http_stream_chunk(st, "id: %u-%u\nevent: message\n"
	    "data: %s\n\n", st->num, ev->seq, ev->text));
}

/* Finish the SSE reply to the client; with the response in it, finished. */
static void
http_stream_end(struct http_stream *st)
{
	struct evhttp_request	*req = st->req;

	if (req == NULL)
		return;
	http_stream_detach(st);
	metrics_latency(&st->started);
	evhttp_send_reply_end(req);
	if (st->done)
		st->finished = 1;
}

/* Answer a plain request with its response alone (status): finished. */
static void
http_stream_reply(struct http_stream *st, const char *text, int status)
{
	struct evhttp_request	*req = st->req;
	struct evbuffer		*b;

	st->done = st->finished = 1;
	if (req == NULL)
		return;
	http_stream_detach(st);
	b = evbuffer_new();
	evbuffer_add(b, text, strlen(text));
	metrics_latency(&st->started);
	http_reply(req, status, status == 503 ? "Service Unavailable" : "OK",
	    "application/json", b);
}

/*
 * The client's connection went away: keep the stream for a resume; an
 * unanswered request is ours to free (http_conn_orphan).
 */
static void
http_closed_cb(void *arg)
{
	struct http_stream	*st = arg;

	log_debug("http stream %u of %.8s... lost its client", st->num,
	    st->set->name);
	http_conn_orphan(st->req);
	st->req = NULL;
	http_lag_end(&st->lag);
}
