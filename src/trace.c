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
 * The traffic trace (--trace): one JSON object per line for every message
 * at both edges, client to proxy (c2p), proxy to client (p2c), proxy to
 * app-server (p2s) and app-server to proxy (s2p), secrets redacted. Lines
 * collect in a buffer that a timer flushes, so the event loop never waits
 * on the file; a pipe is written only when it can take more.
 */

#include <sys/stat.h>
#include <sys/time.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "proxy.h"

#define TRACE_FLUSH_MS		50
#define TRACE_FLUSH_BYTES	(256 * 1024)
#define TRACE_MAX_BYTES		(64 * 1024 * 1024)	/* then drop lines */

static const char	*trace_path;
static int		 trace_fd = -1;
static int		 trace_pipe;	/* a pipe or socket: non-blocking */
static int		 trace_deltas = 1;
static struct evbuffer	*trace_buf;
static struct event	*trace_timer;
static struct event	*trace_writable;
static u_int		 trace_dropped;

static void	 trace_flush(void);
static void	 trace_timer_cb(evutil_socket_t, short, void *);
static int	 trace_is_delta(json_object *);
static void	 trace_msg(const char *, const char *, u_int, json_object *,
		     const char *, size_t);

/* Open the trace file ("-" for stderr). */
static void
trace_openfd(void)
{
	struct stat	st;

	if (strcmp(trace_path, "-") == 0)
		trace_fd = STDERR_FILENO;
	else if ((trace_fd = open(trace_path, O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC, 0600)) == -1)
		fatal("cannot open trace file %s", trace_path);
	trace_pipe = fstat(trace_fd, &st) == 0 && (S_ISFIFO(st.st_mode) ||
	    S_ISSOCK(st.st_mode)) && trace_fd != STDERR_FILENO;
	if (trace_pipe)
		evutil_make_socket_nonblocking(trace_fd);
}

/* Start tracing to path, with text deltas or without. */
void
trace_open(const char *path, int deltas)
{
	trace_path = path;
	trace_deltas = deltas;
	trace_openfd();
	trace_buf = evbuffer_new();
	trace_timer = evtimer_new(proxy_base, trace_timer_cb, NULL);
	if (trace_pipe)
		trace_writable = event_new(proxy_base, trace_fd, EV_WRITE,
		    trace_timer_cb, NULL);
}

/* Is the trace on? */
int
trace_on(void)
{
	return (trace_buf != NULL);
}

/* Reopen the trace file (after it was rotated). */
void
trace_reopen(void)
{
	if (!trace_on() || trace_fd == STDERR_FILENO)
		return;
	trace_flush();
	if (trace_writable != NULL) {
		event_free(trace_writable);
		trace_writable = NULL;
	}
	close(trace_fd);
	trace_openfd();
	if (trace_pipe)
		trace_writable = event_new(proxy_base, trace_fd, EV_WRITE,
		    trace_timer_cb, NULL);
	log_info("trace reopened");
}

/* Write what the buffer holds, as far as the file takes it. */
static void
trace_flush(void)
{
	while (evbuffer_get_length(trace_buf) > 0) {
		if (evbuffer_write(trace_buf, trace_fd) <= 0) {
			if (trace_pipe && (errno == EAGAIN ||
			    errno == EWOULDBLOCK)) {
				event_add(trace_writable, NULL);
				return;
			}
			log_warn("trace: cannot write %s", trace_path);
			evbuffer_drain(trace_buf, evbuffer_get_length(trace_buf));
			return;
		}
	}
}

/* The timer (or a pipe that can take more): flush. */
static void
trace_timer_cb(evutil_socket_t fd, short events, void *arg)
{
	trace_flush();
}

/* Is this a streaming delta (left out at level no-deltas)? */
static int
trace_is_delta(json_object *msg)
{
	const char	*method = json_str(msg, "method");

	return (method != NULL && (strcasestr(method, "delta") != NULL));
}

/*
 * The raw bytes of a line that did not parse, as a JSON string: valid
 * UTF-8 (NUL included) is kept, other bytes become \xNN.
 */
static json_object *
trace_raw(const char *raw, size_t len)
{
	struct evbuffer	*b = evbuffer_new();
	json_object	*s;
	size_t		 i = 0, n;
	int		 valid;

	while (i < len) {
		n = utf8_char(raw + i, len - i, &valid);
		if (valid) {
			evbuffer_add(b, raw + i, n);
			i += n;
		} else
			evbuffer_add_printf(b, "\\x%02x",
			    (unsigned char)raw[i++]);
	}
	n = evbuffer_get_length(b);
	s = json_object_new_string_len((const char *)evbuffer_pullup(b, -1), n);
	evbuffer_free(b);
	return (s);
}

/*
 * Record one message: dir is c2p, p2c, p2s or s2p; session names the MCP
 * session (NULL on the app-server side); conn is the app-server's spawn
 * (0 on the client side). msg is the message, or NULL with raw the len
 * bytes of text that did not parse.
 */
static void
trace_msg(const char *dir, const char *session, u_int conn, json_object *msg,
    const char *raw, size_t len)
{
	struct timeval	 tv;
	json_object	*tmp;
	const char	*text;

	if (!trace_on() || (!trace_deltas && trace_is_delta(msg)))
		return;
	if (evbuffer_get_length(trace_buf) > TRACE_MAX_BYTES) {
		if (trace_dropped++ == 0)
			log_warnx("trace: %s cannot keep up; dropping lines",
			    trace_path);
		return;
	}
	gettimeofday(&tv, NULL);
	evbuffer_add_printf(trace_buf, "{\"ts\":%lld%06ld,\"dir\":\"%s\"",
	    (long long)tv.tv_sec, (long)tv.tv_usec, dir);
	if (session != NULL) {
		tmp = json_object_new_string(session);
		text = json_text(tmp);
		evbuffer_add_printf(trace_buf, ",\"session\":%s", text);
		json_object_put(tmp);
	} else
		evbuffer_add_printf(trace_buf, ",\"session\":null");
	evbuffer_add_printf(trace_buf, ",\"conn\":%u", conn);
	if (msg != NULL) {
		evbuffer_add_printf(trace_buf, ",\"msg\":");
		redact_json(trace_buf, msg);
	} else {
		tmp = trace_raw(raw != NULL ? raw : "", raw != NULL ? len : 0);
		evbuffer_add_printf(trace_buf, ",\"raw\":");
		redact_json(trace_buf, tmp);
		json_object_put(tmp);
	}
	evbuffer_add(trace_buf, "}\n", 2);
	if (evbuffer_get_length(trace_buf) >= TRACE_FLUSH_BYTES)
		trace_flush();
	else if (!evtimer_pending(trace_timer, NULL)) {
		tv.tv_sec = 0;
		tv.tv_usec = TRACE_FLUSH_MS * 1000;
		evtimer_add(trace_timer, &tv);
	}
}

/*
 * Tap one message on an edge: into the trace, and with -vv into the log.
 * The arguments are trace_msg's.
 */
void
trace_tap(const char *dir, const char *session, u_int conn, json_object *msg,
    const char *raw, size_t len)
{
	static const char	*what[][2] = {
		{ "c2p", "client ->" }, { "p2c", "client <-" },
		{ "s2p", "upstream ->" }, { "p2s", "upstream <-" }
	};
	size_t			 i;

	if (trace_on())
		trace_msg(dir, session, conn, msg, raw, len);
	if (log_level() < 2)
		return;
	for (i = 0; i < sizeof what / sizeof what[0]; i++) {
		if (strcmp(what[i][0], dir) == 0)
			log_message(what[i][1], msg, raw);
	}
}

/* Flush what is left and close the trace. */
void
trace_close(void)
{
	int	flags;

	if (!trace_on())
		return;
	if (trace_pipe && (flags = fcntl(trace_fd, F_GETFL)) != -1)
		fcntl(trace_fd, F_SETFL, flags & ~O_NONBLOCK);
	trace_pipe = 0;
	trace_flush();
	if (trace_writable != NULL)
		event_free(trace_writable);
	event_free(trace_timer);
	evbuffer_free(trace_buf);
	trace_buf = NULL;
	if (trace_fd != STDERR_FILENO)
		close(trace_fd);
	trace_fd = -1;
}
