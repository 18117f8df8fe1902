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
 * The stdio front: one MCP session on stdin and stdout, one JSON-RPC
 * message per line. stdout carries nothing else.
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proxy.h"

static struct bufferevent	*stdio_in;
static struct bufferevent	*stdio_out;
static struct mcp_session	*stdio_session;
static struct lines		 stdio_lines;
static void			(*stdio_flushed)(void *);
static void			*stdio_flushed_arg;
static int			 stdio_behind;	/* a backlog is held */

static void	 stdio_send(void *, json_object *, json_object *);
static void	 stdio_read_cb(struct bufferevent *, void *);
static void	 stdio_write_cb(struct bufferevent *, void *);
static void	 stdio_event_cb(struct bufferevent *, short, void *);

static const struct mcp_front stdio_front = { stdio_send, NULL };

/* Start serving MCP on stdin and stdout. */
void
mcp_stdio_start(void)
{
	evutil_make_socket_nonblocking(STDIN_FILENO);
	evutil_make_socket_nonblocking(STDOUT_FILENO);
	stdio_in = bufferevent_socket_new(proxy_base, STDIN_FILENO, 0);
	stdio_out = bufferevent_socket_new(proxy_base, STDOUT_FILENO, 0);
	if (stdio_in == NULL || stdio_out == NULL)
		fatalx("cannot watch stdin and stdout");
	bufferevent_setcb(stdio_in, stdio_read_cb, NULL, stdio_event_cb, NULL);
	bufferevent_setcb(stdio_out, NULL, stdio_write_cb, stdio_event_cb,
	    NULL);
	bufferevent_setwatermark(stdio_out, EV_WRITE, MCP_BACKLOG_LOW, 0);
	if (bufferevent_enable(stdio_in, EV_READ) == -1 ||
	    bufferevent_enable(stdio_out, EV_WRITE) == -1)
		fatalx("cannot watch stdin and stdout");
	stdio_session = mcp_session_new(&stdio_front, NULL);
	mcp_session_name(stdio_session, "stdio");
}

/* Write one message as one line (stdio has one stream for everything). */
static void
stdio_send(void *ctx, json_object *msg, json_object *related)
{
	struct evbuffer	*out = bufferevent_get_output(stdio_out);
	size_t		 before = evbuffer_get_length(out);

	json_write(out, msg);
	evbuffer_add(out, "\n", 1);
	metrics_bytes_out(evbuffer_get_length(out) - before);
	if (!stdio_behind && evbuffer_get_length(out) > MCP_BACKLOG_HIGH) {
		stdio_behind = 1;
		mcp_backlog(1);
	}
}

/* Read whole lines from stdin and hand them to the session. */
static void
stdio_read_cb(struct bufferevent *bev, void *arg)
{
	char	*line;
	size_t	 len;
	int	 n;

	while (stdio_session != NULL) {
		n = lines_next(&stdio_lines, bufferevent_get_input(bev),
		    opts.max_message, &line, &len);
		if (n == LINES_NONE)
			break;
		if (n == LINES_TOOLONG) {
			mcp_session_toolarge(stdio_session, len);
			continue;
		}
		metrics_bytes_in(len + 1);
		mcp_session_input(stdio_session, line, len);
		free(line);
	}
}

/* stdout drained to the low mark: let codex go on; all: finish a stop. */
static void
stdio_write_cb(struct bufferevent *bev, void *arg)
{
	void	(*done)(void *) = stdio_flushed;

	if (stdio_behind && evbuffer_get_length(bufferevent_get_output(
	    stdio_out)) <= MCP_BACKLOG_LOW) {
		stdio_behind = 0;
		mcp_backlog(0);
	}
	if (done == NULL ||
	    evbuffer_get_length(bufferevent_get_output(stdio_out)) > 0)
		return;
	stdio_flushed = NULL;
	done(stdio_flushed_arg);
}

/* EOF or an error on stdin or stdout: the client is gone. */
static void
stdio_event_cb(struct bufferevent *bev, short what, void *arg)
{
	if (bev == stdio_in) {
		bufferevent_disable(stdio_in, EV_READ);
		proxy_shutdown(what & BEV_EVENT_EOF ? "stdin closed" :
		    "cannot read stdin");
		return;
	}
	/* Nobody reads our output any more. */
	evbuffer_drain(bufferevent_get_output(stdio_out),
	    evbuffer_get_length(bufferevent_get_output(stdio_out)));
	bufferevent_disable(stdio_out, EV_WRITE);
	proxy_shutdown("stdout closed");
	stdio_write_cb(bev, NULL);
}

/* Stop reading, end the session and call done once stdout is flushed. */
void
mcp_stdio_stop(void (*done)(void *), void *arg)
{
	bufferevent_disable(stdio_in, EV_READ);
	if (stdio_session != NULL) {
		mcp_session_close(stdio_session);
		stdio_session = NULL;
	}
	if (evbuffer_get_length(bufferevent_get_output(stdio_out)) == 0 ||
	    !(bufferevent_get_enabled(stdio_out) & EV_WRITE)) {
		done(arg);
		return;
	}
	stdio_flushed = done;
	stdio_flushed_arg = arg;
}

/* Free the stdio front. */
void
mcp_stdio_free(void)
{
	bufferevent_free(stdio_in);
	bufferevent_free(stdio_out);
}
