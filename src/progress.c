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
 * Progress of a tool call: notifications/progress with the client's own
 * progressToken, a growing progress value and a short message (thinking,
 * running a command, the first words of the answer), at most a few a
 * second, and none once the call has its result.
 */

#include <sys/time.h>

#include <stdlib.h>
#include <string.h>

#include "proxy.h"

#define PROGRESS_GAP_MS	250	/* at least this long between two */

static void	 progress_send(struct call *, const char *);
static void	 progress_timer_cb(evutil_socket_t, short, void *);

/* Send one progress notification now. */
static void
progress_send(struct call *c, const char *message)
{
	gettimeofday(&c->progress_at, NULL);
	c->progress += 1;
	mcp_progress(c->session, c->progress_token, c->request_id, c->meta,
	    c->progress, message);
}

/* The rate limit let a held-back message go. */
static void
progress_timer_cb(evutil_socket_t fd, short events, void *arg)
{
	struct call	*c = arg;
	char		*message = c->progress_next;

	c->progress_next = NULL;
	if (message != NULL && c->state != CS_DONE)
		progress_send(c, message);
	free(message);
}

/*
 * Tell the client how the call is going, if it asked (a progressToken).
 * Within the rate limit a newer message replaces one still held back.
 */
void
progress_update(struct call *c, const char *fmt, ...)
{
	struct timeval	 now, since, wait;
	va_list		 ap;
	char		*message;
	long		 ms;

	if (c->progress_token == NULL || c->state == CS_DONE)
		return;
	va_start(ap, fmt);
	xvasprintf(&message, fmt, ap);
	va_end(ap);
	if (c->progress_timer == NULL)
		c->progress_timer = evtimer_new(proxy_base, progress_timer_cb,
		    c);
	gettimeofday(&now, NULL);
	timersub(&now, &c->progress_at, &since);
	ms = since.tv_sec * 1000 + since.tv_usec / 1000;
	if (ms >= PROGRESS_GAP_MS && c->progress_next == NULL) {
		progress_send(c, message);
		free(message);
		return;
	}
	free(c->progress_next);
	c->progress_next = message;
	if (!evtimer_pending(c->progress_timer, NULL)) {
		ms = PROGRESS_GAP_MS - ms;
		wait.tv_sec = ms / 1000;
		wait.tv_usec = (ms % 1000) * 1000;
		evtimer_add(c->progress_timer, &wait);
	}
}

/* No more progress for this call. */
void
progress_stop(struct call *c)
{
	if (c->progress_timer != NULL) {
		event_free(c->progress_timer);
		c->progress_timer = NULL;
	}
	free(c->progress_next);
	c->progress_next = NULL;
}
