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
 * A streamed HTTP response whose client stops reading: once it has
 * MCP_BACKLOG_HIGH bytes unsent, codex is held (mcp_backlog) rather than
 * our memory growing, and it goes on when the client is down to
 * MCP_BACKLOG_LOW, or gone. Either era's SSE streams use it.
 */

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/http.h>

#include "proxy.h"

#define HTTP_LAG_MS	20	/* how often a lagging client is looked at */

static size_t	 http_lag_unsent(struct evhttp_request *);
static void	 http_lag_cb(evutil_socket_t, short, void *);

/* The bytes written to the client of req but not yet sent. */
static size_t
http_lag_unsent(struct evhttp_request *req)
{
	struct evhttp_connection	*evcon;

	if (req == NULL || (evcon = evhttp_request_get_connection(req)) == NULL)
		return (0);
	return (evbuffer_get_length(bufferevent_get_output(
	    evhttp_connection_get_bufferevent(evcon))));
}

/* Something was written to req: hold codex if its client lags too far. */
void
http_lag_wrote(struct http_lag *lag, struct evhttp_request *req)
{
	struct timeval	tv = { 0, HTTP_LAG_MS * 1000 };

	if (lag->timer != NULL || http_lag_unsent(req) <= MCP_BACKLOG_HIGH)
		return;
	lag->req = req;
	lag->timer = event_new(proxy_base, -1, EV_PERSIST, http_lag_cb, lag);
	evtimer_add(lag->timer, &tv);
	mcp_backlog(1);
}

/* While the client lags, look every HTTP_LAG_MS whether it caught up. */
static void
http_lag_cb(evutil_socket_t fd, short events, void *arg)
{
	struct http_lag	*lag = arg;

	if (http_lag_unsent(lag->req) <= MCP_BACKLOG_LOW)
		http_lag_end(lag);
}

/* The client caught up, or the response (or the client) is gone. */
void
http_lag_end(struct http_lag *lag)
{
	if (lag->timer == NULL)
		return;
	event_free(lag->timer);
	lag->timer = NULL;
	lag->req = NULL;
	mcp_backlog(0);
}
