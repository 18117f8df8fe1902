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
 * The connections of the HTTP front and their limits, which hold before
 * any authentication: headers are bounded, a connection must send each
 * request within --request-timeout, at most --max-connections are open,
 * and when descriptors run out the listener pauses rather than spin.
 *
 * libevent 2.1 counts no connections. Each one's bufferevent is made here
 * (evhttp_set_bevcb), and right after, from the loop, its evhttp connection
 * (the bufferevent's callback argument) gets a close callback: libevent
 * calls it when it frees a connection it accepted, whoever closes, so the
 * count is exact. A pass-through bufferevent_filter, whose free would be
 * observable too, will not do: it passes on a reply only when data comes
 * while it writes (evhttp enables writing after adding the reply), and says
 * "written" once the data is in the bufferevent below, so a reply that
 * closes the connection could be cut. The stream code, which needs to know
 * of the close too, asks here (http_conn_watch).
 */

#include <sys/resource.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/bufferevent.h>
#include <event2/http.h>
#include <event2/listener.h>

#include "proxy.h"

#define HTTP_FD_RESERVE		32	/* descriptors kept for the rest */
#define HTTP_DEFAULT_CONNS	256
#define HTTP_PAUSE_S		1	/* after accept(2) failed */
#define HTTP_QUIET_S		60	/* between two logs of it */

struct http_conn {
	struct bufferevent	*bev;
	struct evhttp_connection *evcon;	/* once attached */
	struct event		*attach;	/* finds evcon, from the loop */
	struct event		*deadline;	/* for the request being read */
	void			(*lost)(void *);	/* http_conn_watch */
	void			*lost_arg;
	int			 refused;	/* no TLS for it: close at once */
	int			 held;		/* our reference on bev */
	TAILQ_ENTRY(http_conn)	 entry;
};

static TAILQ_HEAD(, http_conn) http_conns = TAILQ_HEAD_INITIALIZER(http_conns);
static u_int			 http_nconns;
static u_int			 http_maxconns;
static struct evconnlistener	*http_listener;
static struct event		*http_pause;
static int			 http_starved;	/* accept(2) failing, logged */
static time_t			 http_starved_at; /* when that was logged */

static struct bufferevent *http_conn_new(struct event_base *, void *);
static void	 http_conn_attach_cb(evutil_socket_t, short, void *);
static void	 http_conn_closed_cb(struct evhttp_connection *, void *);
static void	 http_conn_free(struct http_conn *);
static void	 http_orphan_cb(evutil_socket_t, short, void *);
static struct http_conn *http_conn_find(struct evhttp_request *);
static void	 http_conn_arm(struct http_conn *);
static void	 http_conn_expired_cb(evutil_socket_t, short, void *);
static void	 http_conn_replied_cb(struct evhttp_request *, void *);
static void	 http_accept_error_cb(struct evconnlistener *, void *);
static void	 http_pause_cb(evutil_socket_t, short, void *);
static void	 http_listen_update(void);
static u_int	 http_conns_limit(void);

/* Put the limits on the server h and its listening socket s. */
void
http_conns_setup(struct evhttp *h, struct evhttp_bound_socket *s)
{
	evhttp_set_max_headers_size(h, opts.max_header_size);
	evhttp_set_bevcb(h, http_conn_new, NULL);
	http_maxconns = http_conns_limit();
	http_listener = evhttp_bound_socket_get_listener(s);
	evconnlistener_set_error_cb(http_listener, http_accept_error_cb);
	http_pause = evtimer_new(proxy_base, http_pause_cb, NULL);
}

/* The listener is going away (a drain): leave it alone from now on. */
void
http_conns_stop(void)
{
	http_listener = NULL;
	evtimer_del(http_pause);
}

/* Before evhttp_free, which closes the connections: stop watching. */
void
http_conns_free(void)
{
	http_listener = NULL;
	while (!TAILQ_EMPTY(&http_conns))
		http_conn_free(TAILQ_FIRST(&http_conns));
	if (http_pause != NULL)
		event_free(http_pause);
	http_pause = NULL;
}

/* The request is being answered: no deadline until the answer is out. */
void
http_conn_request(struct evhttp_request *req)
{
	struct http_conn	*c;

	if ((c = http_conn_find(req)) == NULL)
		return;
	/* Answers may take long (a turn, an SSE stream). */
	evtimer_del(c->deadline);
	evhttp_request_set_on_complete_cb(req, http_conn_replied_cb, c);
}

/* Tell lost(arg) when req's connection goes (lost NULL: tell no one). */
void
http_conn_watch(struct evhttp_request *req, void (*lost)(void *), void *arg)
{
	struct http_conn	*c;

	if ((c = http_conn_find(req)) == NULL)
		return;
	c->lost = lost;
	c->lost_arg = arg;
}

/*
 * The connection of unanswered request req went: libevent let go of it (it
 * has no connection any more), so it is ours to free, once libevent is done
 * with the connection.
 */
void
http_conn_orphan(struct evhttp_request *req)
{
	if (req != NULL && evhttp_request_get_connection(req) == NULL)
		event_base_once(proxy_base, -1, EV_TIMEOUT, http_orphan_cb,
		    req, NULL);
}

/* Free a request its connection let go of (see http_conn_orphan). */
static void
http_orphan_cb(evutil_socket_t fd, short events, void *arg)
{
	evhttp_request_free(arg);
}

/* The connection of a request, or NULL. */
static struct http_conn *
http_conn_find(struct evhttp_request *req)
{
	struct evhttp_connection	*evcon;
	struct http_conn		*c;

	if ((evcon = evhttp_request_get_connection(req)) == NULL)
		return (NULL);
	TAILQ_FOREACH(c, &http_conns, entry) {
		if (c->evcon == evcon)
			return (c);
	}
	return (NULL);
}

/* The most connections open at once: the option, or what fits the limit. */
static u_int
http_conns_limit(void)
{
	struct rlimit	rl;
	rlim_t		room = RLIM_INFINITY;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		room = rl.rlim_cur > 2 * HTTP_FD_RESERVE ? rl.rlim_cur -
		    HTTP_FD_RESERVE : rl.rlim_cur / 2;
	if (opts.max_connections == 0)
		return (room < HTTP_DEFAULT_CONNS ? (u_int)room :
		    HTTP_DEFAULT_CONNS);
	if ((rlim_t)opts.max_connections > room)
		log_warnx("--max-connections %d: the descriptor limit leaves "
		    "room for about %llu; past that, accepting pauses",
		    opts.max_connections, (unsigned long long)room);
	return (opts.max_connections);
}

/* A new connection's bufferevent: counted, and with a deadline. */
static struct bufferevent *
http_conn_new(struct event_base *base, void *arg)
{
	struct http_conn	*c;

	if (http_starved) {
		log_info("accepting connections again");
		http_starved = 0;
	}
	c = xcalloc(1, sizeof *c);
	if (http_tls_on() && (c->bev = http_tls_bufferevent(base)) == NULL) {
		/* NULL would make evhttp serve it in plain text. */
		log_warnx("cannot set up TLS for a connection; closing it");
		c->refused = 1;
	}
	if (c->bev == NULL)
		c->bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL) {
		free(c);
		return (NULL);
	}
	/* Held until attached: evhttp may free it before that on failure. */
	bufferevent_incref(c->bev);
	c->held = 1;
	c->attach = event_new(base, -1, 0, http_conn_attach_cb, c);
	c->deadline = evtimer_new(base, http_conn_expired_cb, c);
	TAILQ_INSERT_TAIL(&http_conns, c, entry);
	http_nconns++;
	/* evhttp makes the connection once this returns: attach then. */
	event_active(c->attach, EV_TIMEOUT, 1);
	http_conn_arm(c);
	http_listen_update();
	return (c->bev);
}

/*
 * Attach to the evhttp connection made around the bufferevent (nothing
 * can have run on it yet), or close it if it could get no TLS. If evhttp
 * failed to make it, it has let the bufferevent go, callbacks cleared
 * first, and our reference was the last: forget the connection.
 */
static void
http_conn_attach_cb(evutil_socket_t fd, short events, void *arg)
{
	struct http_conn	*c = arg;
	void			*evcon;

	bufferevent_getcb(c->bev, NULL, NULL, NULL, &evcon);
	bufferevent_decref(c->bev);
	c->held = 0;
	if (evcon == NULL) {
		http_conn_free(c);
		return;
	}
	if (c->refused) {
		http_conn_free(c);
		evhttp_connection_free(evcon);
		return;
	}
	c->evcon = evcon;
	evhttp_connection_set_closecb(c->evcon, http_conn_closed_cb, c);
}

/* libevent frees the connection: tell the watcher, forget it. */
static void
http_conn_closed_cb(struct evhttp_connection *evcon, void *arg)
{
	struct http_conn	*c = arg;

	if (c->lost != NULL)
		c->lost(c->lost_arg);
	http_conn_free(c);
}

/* Forget a connection (libevent frees it), and maybe accept again. */
static void
http_conn_free(struct http_conn *c)
{
	if (c->evcon != NULL)
		evhttp_connection_set_closecb(c->evcon, NULL, NULL);
	if (c->held)
		bufferevent_decref(c->bev);
	TAILQ_REMOVE(&http_conns, c, entry);
	http_nconns--;
	event_free(c->attach);
	event_free(c->deadline);
	free(c);
	http_listen_update();
}

/* Give the connection --request-timeout to send its (next) request. */
static void
http_conn_arm(struct http_conn *c)
{
	struct timeval	tv;

	if (opts.request_timeout == 0)
		return;
	tv.tv_sec = opts.request_timeout;
	tv.tv_usec = 0;
	evtimer_add(c->deadline, &tv);
}

/* The request did not come in time: close, as evhttp does on a timeout. */
static void
http_conn_expired_cb(evutil_socket_t fd, short events, void *arg)
{
	struct http_conn	*c = arg;

	log_debug("http connection closed: no whole request within %d "
	    "seconds", opts.request_timeout);
	evhttp_connection_free(c->evcon);
}

/* The answer went out: the connection may send its next request. */
static void
http_conn_replied_cb(struct evhttp_request *req, void *arg)
{
	http_conn_arm(arg);
}

/*
 * accept(2) failed for another reason than a retry, most often for want
 * of descriptors (EMFILE, ENFILE): say so (once in HTTP_QUIET_S, however
 * often it comes and goes), and rather than retry at once, and spin, stop
 * accepting for a while.
 */
static void
http_accept_error_cb(struct evconnlistener *listener, void *arg)
{
	struct timeval	tv;
	int		err = EVUTIL_SOCKET_ERROR();

	if (!http_starved && time(NULL) - http_starved_at >= HTTP_QUIET_S) {
		log_warnx("cannot accept connections: %s; pausing, and "
		    "trying every %d s", strerror(err), HTTP_PAUSE_S);
		http_starved = 1;
		http_starved_at = time(NULL);
	}
	tv.tv_sec = HTTP_PAUSE_S;
	tv.tv_usec = 0;
	evtimer_add(http_pause, &tv);
	http_listen_update();
}

/* The pause is over: try to accept again. */
static void
http_pause_cb(evutil_socket_t fd, short events, void *arg)
{
	http_listen_update();
}

/* Accept while under the cap and not pausing; else let the kernel queue. */
static void
http_listen_update(void)
{
	if (http_listener == NULL)
		return;
	if (http_nconns < http_maxconns && !evtimer_pending(http_pause, NULL))
		evconnlistener_enable(http_listener);
	else
		evconnlistener_disable(http_listener);
}
