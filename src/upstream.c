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
 * The upstream codex app-server: a child process speaking newline-delimited
 * JSON-RPC on its stdin and stdout (its stderr goes to our log), or one
 * that listens, reached over a WebSocket (--upstream unix:// ws:// wss://).
 * It is started or connected on demand, handshaken (initialize), given
 * proxy-allocated request ids, and restarted or reconnected with a backoff.
 * Either transport hands upstream_message one whole message at a time.
 */

#include <sys/time.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "proxy.h"

#define UPSTREAM_EOF_GRACE_MS	300	/* wait for the exit status after EOF */
#define UPSTREAM_STOP_MS	2000	/* from closing stdin to SIGTERM, SIGKILL */
#define UPSTREAM_POLL_MS	25	/* how often a stop checks the group */
#define UPSTREAM_STABLE_S	10	/* a ready run this long resets the backoff */
#define UPSTREAM_BACKOFF_MS	500
#define UPSTREAM_BACKOFF_MAX_MS	30000
#define UPSTREAM_SHARE_TRIES	5	/* connects to a shared one restarting */
#define UPSTREAM_SHARE_GAP_MS	200	/* ...this far apart */
#define UPSTREAM_STDERR_MAX	2048	/* longest stderr line kept whole */
#define UPSTREAM_READ_MAX	65536	/* bytes of stdout read at a time */

enum upstream_state {
	UP_DOWN,
	UP_BACKOFF,
	UP_STARTING,
	UP_READY,
	UP_CLOSING,	/* its stdout closed: waiting for its exit status */
	UP_STOPPING
};

struct pending {
	int64_t			 id;
	char			*method;
	upstream_cb		 cb;
	void			*arg;
	TAILQ_ENTRY(pending)	 entry;
};

struct waiter {
	upstream_ready_cb	 cb;
	void			*arg;
	TAILQ_ENTRY(waiter)	 entry;
};

struct upstream {
	char				*cmd;
	char				*url;	/* a listening one, or NULL */
	struct ws			*ws;	/* the connection to it */
	const struct upstream_handlers	*h;
	void				*arg;
	enum upstream_state		 state;
	u_int				 generation;

	struct proc			*proc;
	pid_t				 pgid;	/* the child's group, until empty */
	struct bufferevent		*in;	/* the child's stdin */
	struct bufferevent		*out;	/* the child's stdout */
	struct bufferevent		*err;	/* the child's stderr */
	struct lines			 out_lines;
	struct lines			 err_lines;
	char				*last_stderr;

	int64_t				 next_id;
	TAILQ_HEAD(, pending)		 pending;
	TAILQ_HEAD(, waiter)		 waiters;

	struct event			*timer;
	struct timeval			 spawned;
	int				 failures;
	int				 was_ready;	/* this run got ready */
	int				 served;	/* and answered a call */
	int				 holds;		/* clients behind: no reading */
	struct timeval			 stop_started;
	int				 stop_signal;
	void				 (*stopped)(void *);
	void				*stopped_arg;
};

static void	 upstream_open(struct upstream *);
static void	 upstream_spawn(struct upstream *);
static void	 upstream_connect(struct upstream *);
static void	 upstream_handshake(struct upstream *);
static void	 upstream_ws_open(void *);
static void	 upstream_ws_message(void *, char *, size_t);
static void	 upstream_ws_closed(void *, const char *);
static int	 upstream_backoff(struct upstream *);
static void	 upstream_timer_cb(evutil_socket_t, short, void *);
static void	 upstream_read_cb(struct bufferevent *, void *);
static void	 upstream_stderr_cb(struct bufferevent *, void *);
static int	 upstream_stderr_telling(const char *);
static void	 upstream_event_cb(struct bufferevent *, short, void *);
static void	 upstream_exit_cb(struct proc *, int, void *);
static void	 upstream_response(struct upstream *, json_object *);
static void	 upstream_initialized(void *, const struct upstream_reply *);
static void	 upstream_lost(struct upstream *, const char *);
static void	 upstream_close_pipes(struct upstream *);
static void	 upstream_fail_pending(struct upstream *, const char *);
static void	 upstream_fail_waiters(struct upstream *, const char *);
static void	 upstream_fail_all(struct upstream *, const char *);
static void	 upstream_write(struct upstream *, json_object *);
static void	 upstream_arm(struct upstream *, int);
static void	 upstream_stop_tick(struct upstream *);

static const struct ws_handlers upstream_ws_handlers = {
	upstream_ws_open, upstream_ws_message, upstream_ws_closed
};

/*
 * Create an upstream that runs cmd, or connects to --upstream's URL, and
 * reports to the handlers h (with arg); nothing starts until it is needed.
 */
struct upstream *
upstream_new(const char *cmd, const struct upstream_handlers *h, void *arg)
{
	struct upstream	*up;

	up = xcalloc(1, sizeof *up);
	up->cmd = xstrdup(cmd);
	up->url = xstrdup_null(opts.upstream_url);
	up->h = h;
	up->arg = arg;
	up->state = UP_DOWN;
	up->next_id = 1;
	TAILQ_INIT(&up->pending);
	TAILQ_INIT(&up->waiters);
	up->timer = evtimer_new(proxy_base, upstream_timer_cb, up);
	return (up);
}

/* Free an upstream that has been shut down. */
void
upstream_free(struct upstream *up)
{
	upstream_fail_all(up, "the proxy is shutting down");
	upstream_close_pipes(up);
	if (up->proc != NULL)
		proc_forget(up->proc);
	event_free(up->timer);
	free(up->last_stderr);
	free(up->url);
	free(up->cmd);
	free(up);
}

/* Which spawn of the app-server this is; threads loaded by another are not. */
u_int
upstream_generation(struct upstream *up)
{
	return (up->generation);
}

/* Can calls be served now (ready, or able to start at once)? */
int
upstream_usable(struct upstream *up)
{
	return (up->state == UP_READY);
}

/* The state, in a word; a listening one's in the words of a connection. */
const char *
upstream_state_name(struct upstream *up)
{
	static const char	*names[] = {
		"down", "backoff", "starting", "ready", "closing", "stopping"
	};
	static const char	*connection[] = {
		"disconnected", "reconnecting", "connecting", "ready",
		"closing", "stopping"
	};

	return (up->url != NULL ? connection[up->state] : names[up->state]);
}

/* Arm the timer for ms milliseconds. */
static void
upstream_arm(struct upstream *up, int ms)
{
	struct timeval	tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(up->timer, &tv);
}

/* How long to wait before the next start, in ms, after so many failures. */
static int
upstream_backoff(struct upstream *up)
{
	int	delay;

	if (up->failures < 2)
		return (0);
	delay = UPSTREAM_BACKOFF_MS << (up->failures - 2 > 6 ? 6 :
	    up->failures - 2);
	return (delay > UPSTREAM_BACKOFF_MAX_MS ? UPSTREAM_BACKOFF_MAX_MS :
	    delay);
}

/* Start the app-server now, or after the backoff if it keeps dying. */
void
upstream_start(struct upstream *up)
{
	int	delay;

	if (up->state != UP_DOWN)
		return;
	if ((delay = upstream_backoff(up)) == 0) {
		upstream_open(up);
		return;
	}
	if (up->url != NULL)
		log_info("%s: app-server unreachable %d times in a row; "
		    "connecting again in %d ms", __func__, up->failures, delay);
	else
		log_info("%s: app-server died %d times in a row; restarting "
		    "in %d ms", __func__, up->failures, delay);
	up->state = UP_BACKOFF;
	upstream_arm(up, delay);
}

/* Spawn the child or connect to the listening app-server. */
static void
upstream_open(struct upstream *up)
{
	if (up->url != NULL)
		upstream_connect(up);
	else
		upstream_spawn(up);
}

/* Connect to the app-server at --upstream's URL; initialize once open. */
static void
upstream_connect(struct upstream *up)
{
	char	*cause;

	metrics_upstream_start();
	up->was_ready = up->served = 0;
	up->generation++;
	up->state = UP_STARTING;
	gettimeofday(&up->spawned, NULL);
	log_info("connecting to the codex app-server at %s", up->url);
	if (opts.share_upstream && share_ensure(&cause) != 0) {
		upstream_lost(up, cause);
		free(cause);
		return;
	}
	up->ws = upstream_ws_connect(up->url, &upstream_ws_handlers, up,
	    &cause);
	if (up->ws == NULL) {
		upstream_lost(up, cause);
		free(cause);
		return;
	}
	upstream_arm(up, opts.start_timeout * 1000);
}

/* The WebSocket is open: the handshake of JSON-RPC. */
static void
upstream_ws_open(void *arg)
{
	upstream_handshake(arg);
}

/* A whole message over the WebSocket. */
static void
upstream_ws_message(void *arg, char *text, size_t len)
{
	upstream_message(arg, text, len);
}

/* The WebSocket is over: the end of a stop, or the app-server is lost. */
static void
upstream_ws_closed(void *arg, const char *why)
{
	struct upstream	*up = arg;

	ws_free(up->ws);
	up->ws = NULL;
	if (up->state == UP_STOPPING)
		upstream_stop_tick(up);
	else
		upstream_lost(up, why);
}

/* Spawn the child and send initialize. */
static void
upstream_spawn(struct upstream *up)
{
	int	 in, out, err;

	up->proc = proc_spawn(up->cmd, &in, &out, &err, upstream_exit_cb, up);
	if (up->proc == NULL) {
		log_warn("%s: cannot start %s", __func__, up->cmd);
		up->failures++;
		up->state = UP_DOWN;
		upstream_fail_all(up, "cannot start the codex app-server");
		return;
	}
	up->pgid = proc_pid(up->proc);
	metrics_upstream_start();
	up->was_ready = up->served = 0;
	up->generation++;
	up->state = UP_STARTING;
	gettimeofday(&up->spawned, NULL);
	memset(&up->out_lines, 0, sizeof up->out_lines);
	memset(&up->err_lines, 0, sizeof up->err_lines);
	free(up->last_stderr);
	up->last_stderr = NULL;
	log_info("started codex app-server (pid %ld): %s",
	    (long)proc_pid(up->proc), up->cmd);

	up->in = bufferevent_socket_new(proxy_base, in, BEV_OPT_CLOSE_ON_FREE);
	up->out = bufferevent_socket_new(proxy_base, out, BEV_OPT_CLOSE_ON_FREE);
	up->err = bufferevent_socket_new(proxy_base, err, BEV_OPT_CLOSE_ON_FREE);
	if (up->in == NULL || up->out == NULL || up->err == NULL)
		fatalx("bufferevent_socket_new failed");
	bufferevent_setcb(up->in, NULL, NULL, upstream_event_cb, up);
	bufferevent_setcb(up->out, upstream_read_cb, NULL, upstream_event_cb,
	    up);
	bufferevent_setcb(up->err, upstream_stderr_cb, NULL, upstream_event_cb,
	    up);
	bufferevent_enable(up->in, EV_WRITE);
	/* Whole pipefuls: a turn streams many small lines. */
	bufferevent_set_max_single_read(up->out, UPSTREAM_READ_MAX);
	if (up->holds == 0)
		bufferevent_enable(up->out, EV_READ);
	bufferevent_enable(up->err, EV_READ);
	upstream_handshake(up);
	upstream_arm(up, opts.start_timeout * 1000);
}

/* Send initialize, the first request to a new app-server. */
static void
upstream_handshake(struct upstream *up)
{
	json_object	*params, *info;

	params = json_object_new_object();
	info = json_object_new_object();
	json_set_str(info, "name", PROXY_NAME);
	json_set_str(info, "title", "Codex MCP proxy");
	json_set_str(info, "version", PACKAGE_VERSION);
	json_object_object_add(params, "clientInfo", info);
	upstream_request(up, "initialize", params, upstream_initialized, up);
}

/* The handshake answered: say initialized and tell the handler. */
static void
upstream_initialized(void *arg, const struct upstream_reply *r)
{
	struct upstream	*up = arg;
	json_object	*msg;
	const char	*agent;
	char		*why;

	if (r->result == NULL) {
		if (up->state != UP_STARTING)
			return;
		xasprintf(&why, "initialize failed: %s", r->message);
		upstream_lost(up, why);
		free(why);
		return;
	}
	msg = rpc_notification(0, "initialized", NULL);
	upstream_write(up, msg);
	json_object_put(msg);
	agent = json_str(r->result, "userAgent");
	up->h->initialized(up->arg, agent != NULL ? agent : "no user agent");
}

/* The handler is done with the handshake: the app-server is ready. */
void
upstream_set_ready(struct upstream *up)
{
	struct waiter	*w;

	if (up->state != UP_STARTING)
		return;
	evtimer_del(up->timer);
	up->state = UP_READY;
	up->was_ready = 1;
	while ((w = TAILQ_FIRST(&up->waiters)) != NULL) {
		TAILQ_REMOVE(&up->waiters, w, entry);
		w->cb(w->arg, NULL);
		free(w);
	}
}

/*
 * Call cb once the app-server is ready (at once if it is), starting it if
 * needed; cb gets an error message if it cannot be started.
 */
void
upstream_ready(struct upstream *up, upstream_ready_cb cb, void *arg)
{
	struct waiter	*w;

	if (up->state == UP_READY) {
		cb(arg, NULL);
		return;
	}
	if (up->state == UP_STOPPING) {
		cb(arg, "the proxy is shutting down");
		return;
	}
	w = xcalloc(1, sizeof *w);
	w->cb = cb;
	w->arg = arg;
	TAILQ_INSERT_TAIL(&up->waiters, w, entry);
	if (up->state == UP_BACKOFF && up->url != NULL) {
		/* A call does not wait out a reconnection's backoff. */
		evtimer_del(up->timer);
		up->state = UP_DOWN;
		upstream_open(up);
	} else
		upstream_start(up);
}

/*
 * Send a request (taking params); cb gets the reply exactly once. Returns -1
 * without calling cb when the app-server is not running.
 */
int
upstream_request(struct upstream *up, const char *method, json_object *params,
    upstream_cb cb, void *arg)
{
	return (upstream_request_traced(up, method, params, NULL, cb, arg));
}

/* As upstream_request, with a W3C traceparent if not NULL. */
int
upstream_request_traced(struct upstream *up, const char *method,
    json_object *params, const char *traceparent, upstream_cb cb, void *arg)
{
	struct pending	*p;
	json_object	*msg, *trace;

	if ((up->in == NULL && up->ws == NULL) || (up->state != UP_READY &&
	    up->state != UP_STARTING)) {
		json_object_put(params);
		return (-1);
	}
	p = xcalloc(1, sizeof *p);
	p->id = up->next_id++;
	p->method = xstrdup(method);
	p->cb = cb;
	p->arg = arg;
	TAILQ_INSERT_TAIL(&up->pending, p, entry);

	msg = rpc_request(0, p->id, method, params);
	if (traceparent != NULL) {
		trace = json_object_new_object();
		json_set_str(trace, "traceparent", traceparent);
		json_object_object_add(msg, "trace", trace);
	}
	upstream_write(up, msg);
	json_object_put(msg);
	return (0);
}

/*
 * A client cannot keep up (on) or can again (off): while any cannot, the
 * app-server's stdout is not read, so its pipe fills and it waits, rather
 * than the proxy's memory growing. Holds are counted. A listening
 * app-server is read on: it serves other clients too, and codex's transport
 * disconnects a WebSocket or unix client whose outbound queue (128
 * messages) fills, which would fail every call on it.
 */
void
upstream_hold(struct upstream *up, int on)
{
	up->holds += on ? 1 : -1;
	if (up->ws != NULL && on && up->holds == 1)
		log_debug("%s: the client lags; reading on: a listening "
		    "app-server may drop a connection that stops reading",
		    __func__);
	if (up->out == NULL)
		return;
	if (up->holds > 0)
		bufferevent_disable(up->out, EV_READ);
	else
		bufferevent_enable(up->out, EV_READ);
	log_debug("%s: %s the app-server's output (%d)", __func__,
	    up->holds > 0 ? "holding" : "reading", up->holds);
}

/* Answer a request the app-server sent us (taking result). */
void
upstream_respond(struct upstream *up, json_object *id, json_object *result)
{
	json_object	*msg = rpc_result(0, id, result);

	upstream_write(up, msg);
	json_object_put(msg);
}

/* Answer a request the app-server sent us with an error. */
void
upstream_respond_error(struct upstream *up, json_object *id, int code,
    const char *message)
{
	json_object	*msg = rpc_error(0, id, code, message);

	upstream_write(up, msg);
	json_object_put(msg);
}

/* Write one message: a line to the child's stdin, or a WebSocket text. */
static void
upstream_write(struct upstream *up, json_object *msg)
{
	struct evbuffer	*out;
	const char	*text;

	if ((up->in == NULL && up->ws == NULL) || up->state == UP_CLOSING)
		return;
	text = json_text(msg);
	trace_tap("p2s", NULL, up->generation, msg, NULL, 0);
	if (up->ws != NULL) {
		ws_send(up->ws, text, strlen(text));
		return;
	}
	out = bufferevent_get_output(up->in);
	evbuffer_add(out, text, strlen(text));
	evbuffer_add(out, "\n", 1);
}

/* Read whole lines from the child's stdout. */
static void
upstream_read_cb(struct bufferevent *bev, void *arg)
{
	struct upstream	*up = arg;
	char		*line;
	size_t		 len;
	int		 n;

	while (up->out == bev) {
		n = lines_next(&up->out_lines, bufferevent_get_input(bev),
		    opts.max_message, &line, &len);
		if (n == LINES_NONE)
			break;
		if (n == LINES_TOOLONG) {
			log_warnx("app-server sent a message over %zu bytes; "
			    "restarting it", opts.max_message);
			upstream_lost(up, "it sent a message larger than "
			    "--max-message-size");
			break;
		}
		upstream_message(up, line, len);
	}
}

/*
 * Handle one message from the app-server, whichever transport brought it
 * (taking line, a line or a WebSocket text).
 */
void
upstream_message(struct upstream *up, char *line, size_t len)
{
	json_object	*msg, *id;
	const char	*method, *err;

	/* The handler may take a hot message whole, untraced. */
	if (len == 0 || (!trace_on() && up->h->line(up->arg, line, len))) {
		free(line);
		return;
	}
	/* What goes on to the client must be valid UTF-8. */
	line = utf8_fix(line, &len);
	msg = json_parse(line, len, &err);
	trace_tap("s2p", NULL, up->generation, msg, line, len);
	if (msg == NULL || !json_object_is_type(msg, json_type_object)) {
		/* Like the app-server itself, skip what is not a message. */
		log_warnx("app-server wrote a line that is not a JSON-RPC "
		    "message (%s): %.80s", err != NULL ? err : "not an object",
		    line);
		json_object_put(msg);
		free(line);
		return;
	}
	method = json_str(msg, "method");
	id = json_obj(msg, "id");
	if (method == NULL && id != NULL)
		upstream_response(up, msg);
	else if (method != NULL && id != NULL)
		up->h->request(up->arg, id, method, json_obj(msg, "params"));
	else if (method != NULL)
		up->h->notification(up->arg, method, json_obj(msg, "params"));
	else
		log_warnx("app-server sent a message with neither method nor "
		    "id: %.80s", line);
	json_object_put(msg);
	free(line);
}

/* Match a response to its pending request and hand it over. */
static void
upstream_response(struct upstream *up, json_object *msg)
{
	struct upstream_reply	 r;
	struct pending		*p;
	json_object		*id = json_obj(msg, "id"), *err;
	int64_t			 n;

	if (!json_object_is_type(id, json_type_int)) {
		log_warnx("app-server answered an id we never used: %s",
		    json_text(id));
		return;
	}
	n = json_object_get_int64(id);
	TAILQ_FOREACH(p, &up->pending, entry) {
		if (p->id == n)
			break;
	}
	if (p == NULL) {
		/* Requests failed by a shutdown may still be answered. */
		if (up->state != UP_STOPPING)
			log_warnx("app-server answered unknown request %lld",
			    (long long)n);
		return;
	}
	TAILQ_REMOVE(&up->pending, p, entry);
	if (up->state == UP_READY)
		up->served = 1;

	memset(&r, 0, sizeof r);
	if ((err = json_obj(msg, "error")) != NULL) {
		r.code = json_object_get_int(json_typed(err, "code",
		    json_type_int, NULL));
		r.message = json_str(err, "message");
		if (r.message == NULL)
			r.message = "unknown error";
		log_debug("%s: %s failed: %d %s", __func__, p->method, r.code,
		    r.message);
	} else {
		r.result = json_obj(msg, "result");
		if (r.result == NULL) {
			/* json-c has no object for null: hand over {}. */
			r.result = json_object_new_object();
			json_object_object_add(msg, "result", r.result);
		}
	}
	p->cb(p->arg, &r);
	free(p->method);
	free(p);
}

/* Log the child's stderr, line by line. */
static void
upstream_stderr_cb(struct bufferevent *bev, void *arg)
{
	struct upstream	*up = arg;
	char		*line;
	size_t		 len;
	int		 n;

	for (;;) {
		n = lines_next(&up->err_lines, bufferevent_get_input(bev),
		    UPSTREAM_STDERR_MAX, &line, &len);
		if (n == LINES_NONE)
			break;
		if (n == LINES_TOOLONG) {
			log_info("codex: (a %zu byte line, not shown)", len);
			continue;
		}
		if (len > 0)
			log_info("codex: %s", line);
		if (upstream_stderr_telling(line)) {
			free(up->last_stderr);
			up->last_stderr = line;
		} else
			free(line);
	}
}

/*
 * Does a stderr line say something? Blank lines and the backtrace codex
 * prints after its error line ("Stack backtrace:", "   8: <unknown>",
 * "      at src/main.rs:3:5", "note: run with `RUST_BACKTRACE=1` ...") do
 * not, so that the error line is the one a failed start is reported with.
 */
static int
upstream_stderr_telling(const char *line)
{
	const char	*s = line + strspn(line, " \t");
	size_t		 digits;

	if (*s == '\0' || strncasecmp(s, "stack backtrace:", 16) == 0)
		return (0);
	if (strncmp(s, "note: ", 6) == 0 && strstr(s, "backtrace") != NULL)
		return (0);
	if (s == line)
		return (1);
	digits = strspn(s, "0123456789");
	return (strncmp(s, "at ", 3) != 0 && (digits == 0 || s[digits] != ':'));
}

/* A pipe closed or failed. */
static void
upstream_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct upstream	*up = arg;

	if (bev == up->err) {
		/* stderr closed: the exit or stdout will tell the rest. */
		bufferevent_disable(bev, EV_READ);
		return;
	}
	if (up->state == UP_STOPPING)
		return;
	if (bev == up->in) {
		upstream_lost(up, "its stdin closed");
		return;
	}
	/* stdout closed: no more calls; the exit status may follow. */
	bufferevent_disable(bev, EV_READ);
	log_debug("%s: app-server closed its stdout", __func__);
	up->state = UP_CLOSING;
	upstream_arm(up, UPSTREAM_EOF_GRACE_MS);
}

/* The timer: backoff over, start timeout, EOF grace, or a stop check. */
static void
upstream_timer_cb(evutil_socket_t fd, short events, void *arg)
{
	struct upstream	*up = arg;
	char		*why;

	switch (up->state) {
	case UP_BACKOFF:
		up->state = UP_DOWN;
		upstream_open(up);
		break;
	case UP_STARTING:
		xasprintf(&why, "it did not answer initialize within %d s",
		    opts.start_timeout);
		upstream_lost(up, why);
		free(why);
		break;
	case UP_CLOSING:
		upstream_lost(up, "it closed its stdout");
		break;
	case UP_STOPPING:
		upstream_stop_tick(up);
		break;
	case UP_DOWN:
	case UP_READY:
		break;
	}
}

/*
 * One step of a stop: done once the whole group has exited; otherwise
 * SIGTERM the group after a while, SIGKILL it later, and at last give up.
 */
static void
upstream_stop_tick(struct upstream *up)
{
	struct timeval	 now, spent;
	long		 ms;

	gettimeofday(&now, NULL);
	timersub(&now, &up->stop_started, &spent);
	ms = spent.tv_sec * 1000 + spent.tv_usec / 1000;
	if (up->url != NULL && up->ws != NULL && ms < UPSTREAM_STOP_MS) {
		/* The closing handshake has this long. */
		upstream_arm(up, UPSTREAM_POLL_MS);
		return;
	}
	if (up->pgid == 0 || proc_group_gone(up->pgid) ||
	    ms >= 2 * UPSTREAM_STOP_MS + 1000) {
		if (up->pgid != 0 && !proc_group_gone(up->pgid))
			log_warnx("app-server group %ld would not exit",
			    (long)up->pgid);
		up->pgid = 0;
		evtimer_del(up->timer);
		upstream_close_pipes(up);
		up->state = UP_DOWN;
		if (up->stopped != NULL)
			up->stopped(up->stopped_arg);
		return;
	}
	if (ms >= 2 * UPSTREAM_STOP_MS && up->stop_signal != SIGKILL) {
		log_info("app-server still running; sending SIGKILL");
		up->stop_signal = SIGKILL;
		proc_kill_group(up->pgid, SIGKILL);
	} else if (ms >= UPSTREAM_STOP_MS && up->stop_signal == 0) {
		log_info("app-server still running; sending SIGTERM");
		up->stop_signal = SIGTERM;
		proc_kill_group(up->pgid, SIGTERM);
	}
	upstream_arm(up, UPSTREAM_POLL_MS);
}

/* The child exited. */
static void
upstream_exit_cb(struct proc *p, int status, void *arg)
{
	struct upstream	*up = arg;
	char		*why;

	up->proc = NULL;
	if (WIFEXITED(status))
		xasprintf(&why, "it exited with status %d",
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		xasprintf(&why, "it was killed by signal %d", WTERMSIG(status));
	else
		xasprintf(&why, "it stopped (status %#x)", status);
	if (up->state == UP_STOPPING) {
		log_info("codex app-server stopped: %s", why);
		upstream_stop_tick(up);
	} else
		upstream_lost(up, why);
	free(why);
}

/*
 * The app-server is gone or unusable: kill it (or drop the connection) and
 * fail its requests. A run that never got ready also fails the calls
 * waiting for it and counts towards the backoff, as does one that got ready
 * but died soon without answering a call; calls that came after a ready
 * one's stdout closed wait for the next start. A listening one is
 * reconnected to in the background, after the backoff.
 */
static void
upstream_lost(struct upstream *up, const char *why)
{
	struct timeval	 now, ran;
	char		*reason;
	int		 starting = !up->was_ready, again;

	if (up->state == UP_DOWN || up->state == UP_BACKOFF ||
	    up->state == UP_STOPPING)
		return;
	gettimeofday(&now, NULL);
	timersub(&now, &up->spawned, &ran);
	if (up->was_ready && (up->served || ran.tv_sec >= UPSTREAM_STABLE_S))
		up->failures = 0;
	else
		up->failures++;

	if (up->url != NULL)
		xasprintf(&reason, "the codex app-server at %s %s %s", up->url,
		    starting ? "cannot be reached:" : "was lost:", why);
	else if (up->last_stderr != NULL)
		xasprintf(&reason, "the codex app-server %s %s (last stderr: "
		    "%s)", starting ? "failed to start:" : "stopped:", why,
		    up->last_stderr);
	else
		xasprintf(&reason, "the codex app-server %s %s",
		    starting ? "failed to start:" : "stopped:", why);
	log_warnx("%s", reason);

	evtimer_del(up->timer);
	/* Whatever is left of it goes: an orphan would hold thread leases. */
	if (up->pgid != 0)
		proc_kill_group(up->pgid, SIGKILL);
	up->pgid = 0;
	if (up->proc != NULL) {
		proc_forget(up->proc);
		up->proc = NULL;
	}
	upstream_close_pipes(up);
	up->state = UP_DOWN;
	upstream_fail_pending(up, reason);
	/*
	 * A shared app-server that just died may still take a connection
	 * and drop it: the calls waiting for it wait for a few more tries.
	 */
	again = opts.share_upstream && starting &&
	    up->failures <= UPSTREAM_SHARE_TRIES;
	if (starting && !again)
		upstream_fail_waiters(up, reason);
	up->h->lost(up->arg, reason);
	free(reason);
	if (up->url != NULL && up->state == UP_DOWN) {
		up->state = UP_BACKOFF;
		upstream_arm(up, again ? UPSTREAM_SHARE_GAP_MS :
		    upstream_backoff(up));
	} else if (!TAILQ_EMPTY(&up->waiters))
		upstream_start(up);
}

/* Free the pipes to the child, or the connection. */
static void
upstream_close_pipes(struct upstream *up)
{
	if (up->ws != NULL)
		ws_free(up->ws);
	up->ws = NULL;
	if (up->in != NULL)
		bufferevent_free(up->in);
	if (up->out != NULL)
		bufferevent_free(up->out);
	if (up->err != NULL)
		bufferevent_free(up->err);
	up->in = up->out = up->err = NULL;
}

/* Fail every pending request with a reason. */
static void
upstream_fail_pending(struct upstream *up, const char *why)
{
	struct upstream_reply	 r;
	struct pending		*p;

	memset(&r, 0, sizeof r);
	r.code = RPC_UPSTREAM_GONE;
	r.message = why;
	while ((p = TAILQ_FIRST(&up->pending)) != NULL) {
		TAILQ_REMOVE(&up->pending, p, entry);
		p->cb(p->arg, &r);
		free(p->method);
		free(p);
	}
}

/* Fail every call waiting for the app-server to be ready. */
static void
upstream_fail_waiters(struct upstream *up, const char *why)
{
	struct waiter	*w;

	while ((w = TAILQ_FIRST(&up->waiters)) != NULL) {
		TAILQ_REMOVE(&up->waiters, w, entry);
		w->cb(w->arg, why);
		free(w);
	}
}

/* Fail every pending request and every waiter with a reason. */
static void
upstream_fail_all(struct upstream *up, const char *why)
{
	upstream_fail_pending(up, why);
	upstream_fail_waiters(up, why);
}

/*
 * Stop the app-server: close its stdin, then SIGTERM and SIGKILL its whole
 * process group if it lingers. done is called once it has exited.
 */
void
upstream_shutdown(struct upstream *up, void (*done)(void *), void *arg)
{
	up->stopped = done;
	up->stopped_arg = arg;
	evtimer_del(up->timer);
	up->state = UP_STOPPING;
	up->stop_signal = 0;
	upstream_fail_all(up, "the proxy is shutting down");
	gettimeofday(&up->stop_started, NULL);
	if (up->in != NULL) {
		bufferevent_free(up->in);
		up->in = NULL;
	}
	if (up->ws != NULL && ws_close(up->ws) != 0) {
		ws_free(up->ws);
		up->ws = NULL;
	}
	upstream_stop_tick(up);
}
