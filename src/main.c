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
 * codex-mcp-proxy: an MCP server in front of the Codex app-server. This file
 * sets up the event loop and signals, starts the front (stdio, or HTTP with
 * --listen) and the app-server, and stops everything in order.
 */

#include <sys/stat.h>
#include <sys/time.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proxy.h"

#define SHUTDOWN_LIMIT_S	10	/* past the drain, give up waiting */
#define DRAIN_POLL_MS		250

struct event_base	*proxy_base;
struct options		 opts;

static int		 proxy_stopping;
static struct event	*proxy_deadline;
static struct event	*proxy_drain;
static struct timeval	 proxy_drain_end;

static int	 kernel_can_watch(int);
static struct event_base *make_base(void);
static void	 signal_cb(evutil_socket_t, short, void *);
static void	 hup_cb(evutil_socket_t, short, void *);
static void	 deadline_cb(evutil_socket_t, short, void *);
static void	 drain_cb(evutil_socket_t, short, void *);
static void	 proxy_stop(void);
static void	 upstream_stopped(void *);
static void	 front_stopped(void *);

/*
 * Can the kernel's own event method, epoll or kqueue, watch this
 * descriptor? Pipes, sockets and FIFOs it can. Regular files it cannot:
 * epoll refuses them (EPERM), and kqueue reports one readable only until
 * its end, so the EOF that stops the proxy would never be seen. Devices
 * such as /dev/null it cannot: epoll refuses them, and kqueue has no
 * filter for most (libevent then fails, or ignores the error and waits
 * forever). Terminals epoll and the BSDs' kqueue can, macOS's kqueue
 * cannot.
 */
static int
kernel_can_watch(int fd)
{
	struct stat	st;

	if (fstat(fd, &st) == -1)
		return (1);
	if (S_ISREG(st.st_mode))
		return (0);
	if (!S_ISCHR(st.st_mode))
		return (1);
#ifdef __APPLE__
	return (0);
#else
	return (isatty(fd));
#endif
}

/*
 * A base that can watch stdin and stdout, whatever they are: poll (or
 * select) when epoll or kqueue could not. On macOS poll fails on devices
 * too, so there only select is left, as tmux does there.
 */
static struct event_base *
make_base(void)
{
	struct event_config	*cfg;
	struct event_base	*base;

	cfg = event_config_new();
	if (opts.listen_host == NULL && (!kernel_can_watch(STDIN_FILENO) ||
	    !kernel_can_watch(STDOUT_FILENO))) {
		event_config_avoid_method(cfg, "epoll");
		event_config_avoid_method(cfg, "kqueue");
#ifdef __APPLE__
		event_config_avoid_method(cfg, "poll");
#endif
	}
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	if (base == NULL)
		fatalx("cannot create the event loop");
	log_debug("%s: event method %s", __func__, event_base_get_method(base));
	return (base);
}

/* SIGTERM or SIGINT: stop (draining first over HTTP). */
static void
signal_cb(evutil_socket_t sig, short events, void *arg)
{
	proxy_shutdown(sig == SIGTERM ? "SIGTERM" : "SIGINT");
}

/* SIGHUP: reopen the log and trace files, for log rotation. */
static void
hup_cb(evutil_socket_t sig, short events, void *arg)
{
	log_reopen();
	trace_reopen();
}

/* Shutdown took too long: leave anyway. */
static void
deadline_cb(evutil_socket_t fd, short events, void *arg)
{
	log_warnx("shutdown took too long; exiting");
	event_base_loopexit(proxy_base, NULL);
}

/*
 * Stop: over HTTP, first stop accepting and let running calls finish for
 * up to --drain-timeout; then answer what still runs, shut the app-server
 * down, close the front, and leave the event loop.
 */
void
proxy_shutdown(const char *why)
{
	struct timeval	tv;

	if (proxy_stopping)
		return;
	proxy_stopping = 1;
	log_info("shutting down: %s", why);
	proxy_deadline = evtimer_new(proxy_base, deadline_cb, NULL);
	tv.tv_sec = SHUTDOWN_LIMIT_S + (opts.listen_host != NULL ?
	    opts.drain_timeout : 0);
	tv.tv_usec = 0;
	evtimer_add(proxy_deadline, &tv);
	if (opts.listen_host == NULL || bridge_running() == 0) {
		proxy_stop();
		return;
	}
	mcp_http_stop_listening();
	log_info("draining: %u call%s still running, waiting up to %d s",
	    bridge_running(), bridge_running() == 1 ? "" : "s",
	    opts.drain_timeout);
	gettimeofday(&proxy_drain_end, NULL);
	proxy_drain_end.tv_sec += opts.drain_timeout;
	proxy_drain = event_new(proxy_base, -1, EV_PERSIST, drain_cb, NULL);
	tv.tv_sec = 0;
	tv.tv_usec = DRAIN_POLL_MS * 1000;
	evtimer_add(proxy_drain, &tv);
}

/* While draining: go on once the calls are done or the time is up. */
static void
drain_cb(evutil_socket_t fd, short events, void *arg)
{
	struct timeval	now;

	gettimeofday(&now, NULL);
	if (bridge_running() > 0 && timercmp(&now, &proxy_drain_end, <))
		return;
	if (bridge_running() > 0)
		log_info("drain time is up; interrupting %u call%s",
		    bridge_running(), bridge_running() == 1 ? "" : "s");
	event_del(proxy_drain);
	proxy_stop();
}

/* Answer what runs and stop the app-server. */
static void
proxy_stop(void)
{
	bridge_shutdown();
	dialect_shutdown(upstream_stopped, NULL);
}

/* The app-server is down: close the front. */
static void
upstream_stopped(void *arg)
{
	if (opts.listen_host != NULL) {
		mcp_http_stop_listening();
		front_stopped(NULL);
	} else
		mcp_stdio_stop(front_stopped, NULL);
}

/* All written: leave the loop. */
static void
front_stopped(void *arg)
{
	event_base_loopexit(proxy_base, NULL);
}

int
main(int argc, char **argv)
{
	struct event	*ev_term, *ev_int, *ev_hup;
	char		*cause;

	self_find(argv[0]);
	options_parse(argc, argv);
	redact_init(opts.redact, opts.nredact);
	if (opts.serve_replay != NULL)
		return (replay_main(opts.serve_replay));
	log_open(opts.log_file, opts.verbose);
	if (opts.keeper)
		keeper_run(STDIN_FILENO);
	if (opts.share_serve != NULL)
		return (share_serve(opts.share_serve));
	if (opts.share_upstream &&
	    (opts.upstream_url = share_init(&cause)) == NULL)
		fatalx("--share-upstream: %s", cause);
	if (opts.listen_host != NULL)
		access_init();	/* the token file: a wrong one stops us now */
	request_state_init(opts.request_state_key);
	signal(SIGPIPE, SIG_IGN);
	keeper_start();	/* before the event loop and the front */

	proxy_base = make_base();
	keeper_started();
	ev_term = evsignal_new(proxy_base, SIGTERM, signal_cb, NULL);
	ev_int = evsignal_new(proxy_base, SIGINT, signal_cb, NULL);
	ev_hup = evsignal_new(proxy_base, SIGHUP, hup_cb, NULL);
	evsignal_add(ev_term, NULL);
	evsignal_add(ev_int, NULL);
	evsignal_add(ev_hup, NULL);
	if (opts.trace_file != NULL)
		trace_open(opts.trace_file, opts.trace_deltas);
	proc_init();
	threads_init();
	tools_init();
	reply_init();

	log_info("%s %s starting; upstream: %s", PROXY_NAME, PACKAGE_VERSION,
	    opts.upstream_url != NULL ? opts.upstream_url : opts.upstream_cmd);
	if (opts.listen_host != NULL)
		mcp_http_start(opts.listen_host, opts.listen_port);
	else
		mcp_stdio_start();
	bridge_init();

	event_base_dispatch(proxy_base);

	if (opts.listen_host != NULL) {
		mcp_http_free();
		http_tls_free();
		access_free();
	} else
		mcp_stdio_free();
	dialect_free();
	upstream_ws_free();
	tools_free();
	reply_free_all();
	ext_tasks_free();
	threads_free();
	proc_free();
	if (proxy_deadline != NULL)
		event_free(proxy_deadline);
	if (proxy_drain != NULL)
		event_free(proxy_drain);
	event_free(ev_term);
	event_free(ev_int);
	event_free(ev_hup);
	event_base_free(proxy_base);
	trace_close();
	redact_free();
	options_free();
	log_info("exiting");
	log_close();
	return (0);
}
