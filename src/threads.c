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
 * The conversations the proxy has seen, by thread id: which app-server spawn
 * has each one loaded, and which tool call is running a turn on it. The
 * conversations themselves live where codex keeps them; this is only what
 * the proxy needs to route events and to know when to resume.
 */

#include <stdlib.h>

#include <json-c/linkhash.h>

#include "proxy.h"

static struct lh_table	*threads;

static void	 threads_free_entry(struct lh_entry *);
static void	 threads_idle_cb(evutil_socket_t, short, void *);

/* Create the table. */
void
threads_init(void)
{
	threads = lh_kchar_table_new(64, threads_free_entry);
	if (threads == NULL)
		fatalx("cannot create the thread table");
}

/* Free one entry (the key is the thread's own id). */
static void
threads_free_entry(struct lh_entry *e)
{
	struct thread	*t = lh_entry_v(e);

	if (t->idle != NULL)
		event_free(t->idle);
	free(t->id);
	free(t);
}

/* The thread with this id, or NULL. */
struct thread *
threads_find(const char *id)
{
	void	*v;

	if (id == NULL || !lh_table_lookup_ex(threads, id, &v))
		return (NULL);
	return (v);
}

/* The thread with this id, created if new. */
struct thread *
threads_get(const char *id)
{
	struct thread	*t;

	if ((t = threads_find(id)) != NULL)
		return (t);
	t = xcalloc(1, sizeof *t);
	t->id = xstrdup(id);
	if (lh_table_insert(threads, t->id, t) != 0)
		fatalx("cannot grow the thread table");
	return (t);
}

/*
 * No call runs on the thread now: forget it unless the live app-server has
 * it loaded (then a reply need not resume it), so ids that never worked,
 * or whose process is gone, leave nothing behind. A loaded one is given
 * back after --thread-idle.
 */
void
threads_release(struct thread *t)
{
	struct timeval	tv = { opts.thread_idle, 0 };

	if (t->active != NULL)
		return;
	if (t->loaded != dialect_generation())
		lh_table_delete(threads, t->id);
	else if (opts.thread_idle > 0) {
		if (t->idle == NULL)
			t->idle = evtimer_new(proxy_base, threads_idle_cb, t);
		evtimer_add(t->idle, &tv);
	}
}

/*
 * --thread-idle passed with no call on the thread: give it back to the
 * app-server, so another one may take it, and forget it; the next call
 * resumes it.
 */
static void
threads_idle_cb(evutil_socket_t fd, short events, void *arg)
{
	struct thread	*t = arg;

	if (t->active != NULL)
		return;		/* its call re-arms the timer when it ends */
	if (t->loaded == dialect_generation()) {
		log_info("thread %s idle for %d s: giving it back", t->id,
		    opts.thread_idle);
		dialect_thread_unsubscribe(t->id);
	}
	t->loaded = 0;
	threads_release(t);
}

/* The app-server is gone: forget every thread no call is using. */
void
threads_sweep(void)
{
	struct lh_entry	*e, *e1;
	struct thread	*t;

	lh_foreach_safe(threads, e, e1) {
		t = lh_entry_v(e);
		if (t->active == NULL)
			lh_table_delete_entry(threads, e);
	}
}

/* How many threads the table holds. */
u_int
threads_count(void)
{
	return (lh_table_length(threads));
}

/* Free the table and every thread in it. */
void
threads_free(void)
{
	lh_table_free(threads);
	threads = NULL;
}
