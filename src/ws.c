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
 * A WebSocket client (RFC 6455) on a connecting bufferevent: the opening
 * handshake here, the framing by wslay. It hands its owner whole messages
 * (fragments joined), answers pings, keeps the message size limit, sends
 * big messages in fragments, and does the closing handshake.
 */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/bufferevent_ssl.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <wslay/wslay.h>

#include "proxy.h"

#define WS_GUID		"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define WS_HEAD_MAX	16384	/* the longest handshake response head */
#define WS_BODY_MAX	512	/* bytes of a refusal's body we wait for */
#define WS_FRAGMENT	(1024 * 1024)	/* bigger messages go in pieces */

enum ws_state {
	WS_CONNECTING,
	WS_HANDSHAKE,
	WS_OPEN,
	WS_FLUSHING,	/* over: the last frames are being written */
	WS_DONE
};

struct ws {
	struct bufferevent		*bev;
	wslay_event_context_ptr		 ctx;
	const struct ws_handlers	*h;
	void				*arg;
	enum ws_state			 state;
	char				*request;	/* the handshake */
	char				 accept[29];	/* the answer expected */
	size_t				 max;
	int				 busy;		/* in wslay_event_recv */
	int				 freed;		/* ws_free while busy */
	char				*why;		/* why it is over */
	char				*close_reason;	/* the peer's */
	TAILQ_HEAD(, ws_piece)		 pieces;	/* big messages queued */
};

/* A big message being sent in fragments: the rest of its text. */
struct ws_piece {
	struct ws		*ws;
	struct evbuffer		*rest;
	TAILQ_ENTRY(ws_piece)	 entry;
};

static void	 ws_event_cb(struct bufferevent *, short, void *);
static void	 ws_read_cb(struct bufferevent *, void *);
static void	 ws_write_cb(struct bufferevent *, void *);
static int	 ws_handshake(struct ws *);
static int	 ws_refused(struct ws *, const char *, size_t);
static const char *ws_header(const char *, const char *);
static int	 ws_start(struct ws *);
static void	 ws_pump(struct ws *);
static void	 ws_over(struct ws *, const char *);
static void	 ws_finish(struct ws *);
static ssize_t	 ws_recv_cb(wslay_event_context_ptr, uint8_t *, size_t, int,
		     void *);
static ssize_t	 ws_send_cb(wslay_event_context_ptr, const uint8_t *, size_t,
		     int, void *);
static int	 ws_genmask_cb(wslay_event_context_ptr, uint8_t *, size_t,
		     void *);
static void	 ws_msg_cb(wslay_event_context_ptr,
		     const struct wslay_event_on_msg_recv_arg *, void *);
static ssize_t	 ws_piece_cb(wslay_event_context_ptr, uint8_t *, size_t,
		     const union wslay_event_msg_source *, int *, void *);
static void	 ws_piece_free(struct ws_piece *);

static const struct wslay_event_callbacks ws_callbacks = {
	ws_recv_cb, ws_send_cb, ws_genmask_cb, NULL, NULL, NULL, ws_msg_cb
};

/*
 * Speak WebSocket on bev (connecting, or connected once its CONNECTED event
 * comes), for host and path, with an Authorization value if auth is not
 * NULL; messages over max bytes end the connection. Takes bev.
 */
struct ws *
ws_new(struct bufferevent *bev, const char *host, const char *path,
    const char *auth, size_t max, const struct ws_handlers *h, void *arg)
{
	struct ws	*ws;
	unsigned char	 nonce[16], digest[SHA_DIGEST_LENGTH];
	char		 key[25], *joined;

	ws = xcalloc(1, sizeof *ws);
	ws->bev = bev;
	ws->h = h;
	ws->arg = arg;
	ws->max = max;
	TAILQ_INIT(&ws->pieces);
	if (RAND_bytes(nonce, sizeof nonce) != 1)
		fatalx("RAND_bytes failed");
	EVP_EncodeBlock((unsigned char *)key, nonce, sizeof nonce);
	xasprintf(&joined, "%s%s", key, WS_GUID);
	SHA1((unsigned char *)joined, strlen(joined), digest);
	free(joined);
	EVP_EncodeBlock((unsigned char *)ws->accept, digest, sizeof digest);
	xasprintf(&ws->request, "GET %s HTTP/1.1\r\nHost: %s\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
	    "User-Agent: %s/%s\r\n%s%s%s\r\n", path, host, key, PROXY_NAME,
	    PACKAGE_VERSION, auth != NULL ? "Authorization: " : "",
	    auth != NULL ? auth : "", auth != NULL ? "\r\n" : "");
	bufferevent_setcb(bev, ws_read_cb, ws_write_cb, ws_event_cb, ws);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	return (ws);
}

/* Free a connection; inside its own callbacks, once they return. */
void
ws_free(struct ws *ws)
{
	struct ws_piece	*piece;

	if (ws->busy) {
		ws->freed = 1;
		return;
	}
	while ((piece = TAILQ_FIRST(&ws->pieces)) != NULL)
		ws_piece_free(piece);
	if (ws->ctx != NULL)
		wslay_event_context_free(ws->ctx);
	bufferevent_free(ws->bev);
	free(ws->request);
	free(ws->why);
	free(ws->close_reason);
	free(ws);
}

/* Send one text message (len bytes of text); 0, or -1 once it is closing. */
int
ws_send(struct ws *ws, const char *text, size_t len)
{
	struct wslay_event_msg			 msg;
	struct wslay_event_fragmented_msg	 big;
	struct ws_piece				*piece;
	int					 rc;

	if (ws->state != WS_OPEN)
		return (-1);
	if (len <= WS_FRAGMENT) {
		msg.opcode = WSLAY_TEXT_FRAME;
		msg.msg = (const uint8_t *)text;
		msg.msg_length = len;
		rc = wslay_event_queue_msg(ws->ctx, &msg);
	} else {
		piece = xcalloc(1, sizeof *piece);
		piece->ws = ws;
		piece->rest = evbuffer_new();
		evbuffer_add(piece->rest, text, len);
		TAILQ_INSERT_TAIL(&ws->pieces, piece, entry);
		big.opcode = WSLAY_TEXT_FRAME;
		big.source.data = piece;
		big.read_callback = ws_piece_cb;
		if ((rc = wslay_event_queue_fragmented_msg(ws->ctx, &big)) != 0)
			ws_piece_free(piece);
	}
	if (rc != 0)
		return (-1);
	if (!ws->busy)
		wslay_event_send(ws->ctx);
	return (0);
}

/*
 * Start the closing handshake: 0 if it started (closed is called once it is
 * over), -1 if there is nothing to close politely (free it now).
 */
int
ws_close(struct ws *ws)
{
	if (ws->state != WS_OPEN)
		return (ws->state == WS_FLUSHING ? 0 : -1);
	wslay_event_queue_close(ws->ctx, WSLAY_CODE_NORMAL_CLOSURE, NULL, 0);
	if (!ws->busy)
		wslay_event_send(ws->ctx);
	return (0);
}

/* Connected (or a failure): send the handshake, or say what went wrong. */
static void
ws_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct ws	*ws = arg;
	SSL		*ssl;
	unsigned long	 e;
	long		 v;
	char		*why;
	int		 err = EVUTIL_SOCKET_ERROR(), dns;

	if (what & BEV_EVENT_CONNECTED) {
		ws->state = WS_HANDSHAKE;
		evbuffer_add(bufferevent_get_output(bev), ws->request,
		    strlen(ws->request));
		OPENSSL_cleanse(ws->request, strlen(ws->request));
		return;
	}
	if (ws->state == WS_FLUSHING) {
		ws_finish(ws);
		return;
	}
	if ((e = bufferevent_get_openssl_error(bev)) != 0) {
		ssl = bufferevent_openssl_get_ssl(bev);
		v = ssl != NULL ? SSL_get_verify_result(ssl) : X509_V_OK;
		xasprintf(&why, "TLS: %s%s%s%s", ERR_reason_error_string(e) !=
		    NULL ? ERR_reason_error_string(e) : "handshake failed",
		    v != X509_V_OK ? " (" : "", v != X509_V_OK ?
		    X509_verify_cert_error_string(v) : "",
		    v != X509_V_OK ? ")" : "");
	} else if (what & BEV_EVENT_EOF)
		xasprintf(&why, "the connection closed%s",
		    ws->state == WS_OPEN ? " without a WebSocket close" :
		    ws->state == WS_HANDSHAKE ? " during the handshake" : "");
	else if (ws->state == WS_CONNECTING &&
	    (dns = bufferevent_socket_get_dns_error(bev)) != 0)
		xasprintf(&why, "cannot resolve the host name: %s",
		    evutil_gai_strerror(dns));
	else if (ws->state == WS_CONNECTING)
		xasprintf(&why, "cannot connect: %s",
		    evutil_socket_error_to_string(err));
	else
		xasprintf(&why, "the connection failed: %s",
		    evutil_socket_error_to_string(err));
	if (ws->state == WS_DONE) {
		free(why);
		return;
	}
	ws->why = why;		/* gone: nothing left can be flushed */
	ws_finish(ws);
}

/* Bytes came: the handshake's answer, then frames. */
static void
ws_read_cb(struct bufferevent *bev, void *arg)
{
	struct ws	*ws = arg;

	if (ws->state == WS_HANDSHAKE && ws_handshake(ws) != 1)
		return;
	if (ws->state != WS_OPEN)
		return;
	ws->busy = 1;
	if (wslay_event_recv(ws->ctx) != 0 && !ws->freed)
		ws_over(ws, "the WebSocket failed");
	ws->busy = 0;
	if (ws->freed) {
		ws_free(ws);
		return;
	}
	if (ws->state == WS_OPEN)
		ws_pump(ws);
	(void)bev;
}

/* All written: a connection that is over is done. */
static void
ws_write_cb(struct bufferevent *bev, void *arg)
{
	struct ws	*ws = arg;

	if (ws->state == WS_FLUSHING)
		ws_finish(ws);
	(void)bev;
}

/*
 * Read the handshake's answer: 1 once the connection is open, 0 while more
 * must come, -1 when it is refused (the connection is then over).
 */
static int
ws_handshake(struct ws *ws)
{
	struct evbuffer		*in = bufferevent_get_input(ws->bev);
	struct evbuffer_ptr	 end;
	const char		*v;
	char			*head;
	size_t			 n;
	int			 over;

	end = evbuffer_search(in, "\r\n\r\n", 4, NULL);
	if (end.pos == -1) {
		if (evbuffer_get_length(in) <= WS_HEAD_MAX)
			return (0);
		ws_over(ws, "the handshake's answer is too long");
		return (-1);
	}
	n = end.pos + 4;
	head = xmalloc(n + 1);
	evbuffer_copyout(in, head, n);
	head[n] = '\0';
	if (strncmp(head, "HTTP/1.1 101 ", 13) != 0) {
		over = ws_refused(ws, head, n);
		free(head);
		return (over ? -1 : 0);
	}
	evbuffer_drain(in, n);
	if ((v = ws_header(head, "upgrade")) == NULL ||
	    strncasecmp(v, "websocket", 9) != 0 ||
	    (v = ws_header(head, "sec-websocket-accept")) == NULL ||
	    strncmp(v, ws->accept, strlen(ws->accept)) != 0) {
		free(head);
		ws_over(ws, "the handshake's answer is not a WebSocket's");
		return (-1);
	}
	free(head);
	return (ws_start(ws));
}

/*
 * A handshake answered with another status than 101: the connection is
 * over with its status line and body (once the body is in: returns 0 until
 * then).
 */
static int
ws_refused(struct ws *ws, const char *head, size_t n)
{
	struct evbuffer	*in = bufferevent_get_input(ws->bev);
	const char	*v;
	char		*why, body[WS_BODY_MAX + 1];
	size_t		 want = 0, got;

	if ((v = ws_header(head, "content-length")) != NULL)
		want = strtoul(v, NULL, 10);
	if (want > WS_BODY_MAX)
		want = WS_BODY_MAX;
	got = evbuffer_get_length(in) - n;
	if (got < want)
		return (0);
	if (got > WS_BODY_MAX)
		got = WS_BODY_MAX;
	evbuffer_drain(in, n);
	evbuffer_remove(in, body, got);
	body[got] = '\0';
	body[strcspn(body, "\r\n")] = '\0';
	xasprintf(&why, "the WebSocket handshake was refused: %.*s%s%s",
	    (int)strcspn(head, "\r\n"), head, *body != '\0' ? ": " : "", body);
	ws_over(ws, why);
	free(why);
	return (1);
}

/* The value of a header in a response head (case-insensitive), or NULL. */
static const char *
ws_header(const char *head, const char *name)
{
	const char	*line = head;
	size_t		 n = strlen(name);

	while ((line = strstr(line, "\r\n")) != NULL) {
		line += 2;
		if (strncasecmp(line, name, n) == 0 && line[n] == ':')
			return (line + n + 1 + strspn(line + n + 1, " \t"));
	}
	return (NULL);
}

/*
 * The handshake is done: frames from now on; tell the owner. 1 if it is
 * still open then, -1 if not (and perhaps freed).
 */
static int
ws_start(struct ws *ws)
{
	if (wslay_event_context_client_init(&ws->ctx, &ws_callbacks, ws) != 0)
		fatalx("wslay_event_context_client_init failed");
	wslay_event_config_set_max_recv_msg_length(ws->ctx, ws->max);
	ws->state = WS_OPEN;
	ws->busy = 1;
	ws->h->open(ws->arg);
	ws->busy = 0;
	if (ws->freed) {
		ws_free(ws);
		return (-1);
	}
	wslay_event_send(ws->ctx);
	return (ws->state == WS_OPEN ? 1 : -1);
}

/* Write what wslay has queued; once both sides are closed, it is over. */
static void
ws_pump(struct ws *ws)
{
	uint16_t	 sent, got;
	char		*why;

	if (wslay_event_send(ws->ctx) != 0) {
		ws_over(ws, "the WebSocket failed to send");
		return;
	}
	if (wslay_event_want_read(ws->ctx) || wslay_event_want_write(ws->ctx))
		return;
	sent = wslay_event_get_status_code_sent(ws->ctx);
	got = wslay_event_get_status_code_received(ws->ctx);
	if (sent == WSLAY_CODE_MESSAGE_TOO_BIG)
		xasprintf(&why, "it sent a message larger than %zu bytes",
		    ws->max);
	else if (sent == WSLAY_CODE_PROTOCOL_ERROR)
		why = xstrdup("it broke the WebSocket protocol (a bad frame)");
	else if (wslay_event_get_close_received(ws->ctx))
		xasprintf(&why, "it closed the WebSocket (%u%s%s)", got,
		    ws->close_reason != NULL ? " " : "",
		    ws->close_reason != NULL ? ws->close_reason : "");
	else
		why = xstrdup("the WebSocket was closed");
	ws_over(ws, why);
	free(why);
}

/* The connection is over for why: flush what is left, then tell the owner. */
static void
ws_over(struct ws *ws, const char *why)
{
	if (ws->state >= WS_FLUSHING)
		return;
	ws->why = xstrdup(why);
	bufferevent_disable(ws->bev, EV_READ);
	if (ws->state == WS_OPEN && evbuffer_get_length(
	    bufferevent_get_output(ws->bev)) > 0) {
		ws->state = WS_FLUSHING;
		return;
	}
	ws_finish(ws);
}

/* Tell the owner the connection is over (once); it may free it then. */
static void
ws_finish(struct ws *ws)
{
	char	*why = ws->why;

	ws->why = NULL;
	ws->state = WS_DONE;
	bufferevent_disable(ws->bev, EV_WRITE);
	if (!ws->freed)
		ws->h->closed(ws->arg, why);
	free(why);
}

/* wslay reads: what the bufferevent has. */
static ssize_t
ws_recv_cb(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, int flags,
    void *arg)
{
	struct ws	*ws = arg;
	int		 n;

	n = evbuffer_remove(bufferevent_get_input(ws->bev), buf, len);
	if (n <= 0) {
		wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
		return (-1);
	}
	(void)flags;
	return (n);
}

/* wslay writes: into the bufferevent, which takes it all. */
static ssize_t
ws_send_cb(wslay_event_context_ptr ctx, const uint8_t *data, size_t len,
    int flags, void *arg)
{
	struct ws	*ws = arg;

	evbuffer_add(bufferevent_get_output(ws->bev), data, len);
	(void)ctx;
	(void)flags;
	return (len);
}

/* wslay wants a masking key: random bytes. */
static int
ws_genmask_cb(wslay_event_context_ptr ctx, uint8_t *buf, size_t len,
    void *arg)
{
	(void)ctx;
	(void)arg;
	return (RAND_bytes(buf, len) == 1 ? 0 : -1);
}

/*
 * A whole message came: text goes to the owner, binary is skipped, and a
 * close frame's reason is kept.
 */
static void
ws_msg_cb(wslay_event_context_ptr ctx,
    const struct wslay_event_on_msg_recv_arg *m, void *arg)
{
	struct ws	*ws = arg;
	char		*text;
	size_t		 skip, n;

	if (ws->freed || ws->state != WS_OPEN)
		return;
	if (m->opcode == WSLAY_CONNECTION_CLOSE && ws->close_reason == NULL) {
		/* The reason may come with its status code before it. */
		skip = m->msg_length >= 2 && (m->msg[0] << 8 | m->msg[1]) ==
		    m->status_code ? 2 : 0;
		if ((n = m->msg_length - skip) > 0) {
			text = xstrndup((const char *)m->msg + skip, n);
			ws->close_reason = utf8_fix(text, &n);
		}
		return;
	}
	if (m->opcode == WSLAY_BINARY_FRAME) {
		log_warnx("app-server sent a binary WebSocket message (%zu "
		    "bytes); skipped", m->msg_length);
		return;
	}
	if (m->opcode != WSLAY_TEXT_FRAME)
		return;
	text = xmalloc(m->msg_length + 1);
	memcpy(text, m->msg, m->msg_length);
	text[m->msg_length] = '\0';
	ws->h->message(ws->arg, text, m->msg_length);
	(void)ctx;
}

/* The next fragment of a big message; its piece goes after the last. */
static ssize_t
ws_piece_cb(wslay_event_context_ptr ctx, uint8_t *buf, size_t len,
    const union wslay_event_msg_source *source, int *eof, void *arg)
{
	struct ws_piece	*piece = source->data;
	int		 n;

	n = evbuffer_remove(piece->rest, buf, len);
	if (evbuffer_get_length(piece->rest) == 0) {
		*eof = 1;
		ws_piece_free(piece);
	}
	(void)ctx;
	(void)arg;
	return (n < 0 ? 0 : n);
}

/* Forget a big message's piece. */
static void
ws_piece_free(struct ws_piece *piece)
{
	TAILQ_REMOVE(&piece->ws->pieces, piece, entry);
	evbuffer_free(piece->rest);
	free(piece);
}
