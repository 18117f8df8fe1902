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
 * Fuzz target: the HTTP front's request parsing. A fresh HTTP front on a
 * loopback port, with the bearer token "fuzz-token", first gets an
 * initialize on a client connection; once it has answered, the input is
 * what the connection sends next (any number of requests, pipelined), with
 * each @SID@ in it replaced by the new session's id. The client reads what
 * comes back; FUZZ_HTTP_QUIET_MS after the last of it the client
 * half-closes (so that pipelined requests are all read first), and the
 * input is done when the proxy closes the connection or FUZZ_HTTP_MS
 * pass. Then the front is freed with all its sessions.
 */

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proxy.h"
#include "fuzz.h"

#define FUZZ_HTTP_MS	100
#define FUZZ_HTTP_QUIET_MS 2
#define FUZZ_HTTP_SID	"Mcp-Session-Id: "
#define FUZZ_HTTP_INIT	"{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\"," \
	"\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{}}}"

static int		 fuzz_http_done;
static int		 fuzz_http_sent;	/* the input is on its way */
static struct event	*fuzz_http_quiet;
static const uint8_t	*fuzz_http_data;
static size_t		 fuzz_http_size;

static void	 fuzz_http_input(struct bufferevent *, const char *, size_t);

static int	 fuzz_http_port(void);
static void	 fuzz_http_token(void);
static void	 fuzz_http_read_cb(struct bufferevent *, void *);
static void	 fuzz_http_write_cb(struct bufferevent *, void *);
static void	 fuzz_http_event_cb(struct bufferevent *, short, void *);
static void	 fuzz_http_timer_cb(evutil_socket_t, short, void *);
static void	 fuzz_http_quiet_cb(evutil_socket_t, short, void *);
static void	 fuzz_http_wait(void);

/* A free loopback port (the kernel's choice, then let go). */
static int
fuzz_http_port(void)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;
	int			fd, port;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		fatal("fuzz: no loopback port");
	port = ntohs(sin.sin_port);
	close(fd);
	return (port);
}

/* Once: a token file, so that the bearer check runs too. */
static void
fuzz_http_token(void)
{
	static char	 path[] = "/tmp/fuzz-http-token.XXXXXX";
	int		 fd;

	if (opts.auth_token_file != NULL)
		return;
	if ((fd = mkstemp(path)) == -1 || write(fd, "fuzz-token\n", 11) != 11)
		fatal("fuzz: token file");
	close(fd);
	opts.auth_token_file = path;
	opts.insecure_no_auth = 0;
	opts.listen_host = xstrdup("127.0.0.1");
	access_init();
	unlink(path);
}

/* Send the input, with the session id sid (len bytes) for each @SID@. */
static void
fuzz_http_input(struct bufferevent *bev, const char *sid, size_t len)
{
	const uint8_t	*p = fuzz_http_data, *end = p + fuzz_http_size, *at;

	fuzz_http_sent = 1;
	while ((at = memmem(p, end - p, "@SID@", 5)) != NULL) {
		bufferevent_write(bev, p, at - p);
		bufferevent_write(bev, sid, len);
		p = at + 5;
	}
	bufferevent_write(bev, p, end - p);
	if (fuzz_http_size == 0)
		fuzz_http_wait();
}

/* Half-close once the proxy has been quiet for a while. */
static void
fuzz_http_wait(void)
{
	struct timeval	tv = { 0, FUZZ_HTTP_QUIET_MS * 1000 };

	evtimer_add(fuzz_http_quiet, &tv);
}

/* Quiet: say the client is done sending. */
static void
fuzz_http_quiet_cb(evutil_socket_t fd, short what, void *arg)
{
	shutdown(*(int *)arg, SHUT_WR);
}

/* The initialize answer's session id starts the input; the rest is dropped. */
static void
fuzz_http_read_cb(struct bufferevent *bev, void *arg)
{
	struct evbuffer		*in = bufferevent_get_input(bev);
	struct evbuffer_ptr	 at, eol;
	char			 sid[128];
	size_t			 len;

	if (!fuzz_http_sent) {
		at = evbuffer_search(in, FUZZ_HTTP_SID, strlen(FUZZ_HTTP_SID),
		    NULL);
		if (at.pos == -1)
			return;
		evbuffer_ptr_set(in, &at, strlen(FUZZ_HTTP_SID), EVBUFFER_PTR_ADD);
		eol = evbuffer_search(in, "\r\n", 2, &at);
		if (eol.pos == -1)
			return;
		len = eol.pos - at.pos;
		if (len >= sizeof sid)
			len = sizeof sid - 1;
		evbuffer_drain(in, at.pos);
		evbuffer_remove(in, sid, len);
		fuzz_http_input(bev, sid, len);
	} else if (evtimer_pending(fuzz_http_quiet, NULL))
		fuzz_http_wait();
	evbuffer_drain(in, evbuffer_get_length(in));
}

/* All of the input sent: wait for the answers to stop. */
static void
fuzz_http_write_cb(struct bufferevent *bev, void *arg)
{
	if (fuzz_http_sent)
		fuzz_http_wait();
}

/* The proxy closed the connection: this input is done. */
static void
fuzz_http_event_cb(struct bufferevent *bev, short what, void *arg)
{
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		fuzz_http_done = 1;
}

/* Time is up for this input (an SSE stream stays open). */
static void
fuzz_http_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	fuzz_http_done = 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_in	 sin;
	struct bufferevent	*client;
	struct event		*timer;
	struct timeval		 tv = { 0, FUZZ_HTTP_MS * 1000 };
	int			 port, fd;

	fuzz_setup();
	fuzz_http_token();
	port = fuzz_http_port();
	mcp_http_start("127.0.0.1", port);

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	client = bufferevent_socket_new(proxy_base, -1, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(client, fuzz_http_read_cb, fuzz_http_write_cb,
	    fuzz_http_event_cb, NULL);
	bufferevent_enable(client, EV_READ | EV_WRITE);
	if (bufferevent_socket_connect(client, (struct sockaddr *)&sin,
	    sizeof sin) == -1)
		fatalx("fuzz: cannot connect to port %d", port);
	fuzz_http_data = data;
	fuzz_http_size = size;
	fuzz_http_sent = 0;
	evbuffer_add_printf(bufferevent_get_output(client), "POST /mcp HTTP/1.1"
	    "\r\nHost: 127.0.0.1\r\nAuthorization: Bearer fuzz-token\r\n"
	    "Content-Type: application/json\r\nAccept: application/json, "
	    "text/event-stream\r\nContent-Length: %zu\r\n\r\n%s",
	    strlen(FUZZ_HTTP_INIT), FUZZ_HTTP_INIT);
	fd = bufferevent_getfd(client);
	fuzz_http_quiet = evtimer_new(proxy_base, fuzz_http_quiet_cb, &fd);
	timer = evtimer_new(proxy_base, fuzz_http_timer_cb, NULL);
	evtimer_add(timer, &tv);
	fuzz_http_done = 0;
	while (!fuzz_http_done)
		event_base_loop(proxy_base, EVLOOP_ONCE);
	event_free(timer);
	event_free(fuzz_http_quiet);
	bufferevent_free(client);
	mcp_http_free();
	fuzz_settle();
	threads_sweep();
	return (0);
}
