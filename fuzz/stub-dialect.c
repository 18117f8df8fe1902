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
 * The app-server side for the fuzz targets of the fronts and MCP: the
 * dialect layer's entry points, with no app-server behind them. Every
 * operation fails at once as if codex were not running, so a tool call
 * runs through the bridge to its error result and nothing waits.
 */

#include "proxy.h"
#include "fuzz.h"

/* Nothing to start. */
void
dialect_init(const char *cmd, const struct dialect_handlers *h)
{
}

/* Nothing to free. */
void
dialect_free(void)
{
}

/* The app-server can never be started. */
void
dialect_ready(upstream_ready_cb cb, void *arg)
{
	cb(arg, "fuzz: no app-server");
}

/* The one spawn there never was. */
u_int
dialect_generation(void)
{
	return (0);
}

/* Never ready. */
int
dialect_usable(void)
{
	return (0);
}

/* Always down. */
const char *
dialect_state_name(void)
{
	return ("down");
}

/* Stopped at once. */
void
dialect_shutdown(void (*done)(void *), void *arg)
{
	done(arg);
}

/* Each operation fails as the dialect does without an app-server. */
void
dialect_thread_start(const struct turn_args *a, dialect_cb cb, void *arg)
{
	dialect_fail(cb, arg, CERR_GONE, DIALECT_GONE);
}

/* See dialect_thread_start. */
void
dialect_thread_resume(const char *id, const struct turn_args *a,
    dialect_cb cb, void *arg)
{
	dialect_fail(cb, arg, CERR_GONE, DIALECT_GONE);
}

/* See dialect_thread_start. */
void
dialect_turn_start(const char *id, const struct turn_args *a, dialect_cb cb,
    void *arg)
{
	dialect_fail(cb, arg, CERR_GONE, DIALECT_GONE);
}

/* See dialect_thread_start. */
void
dialect_turn_interrupt(const char *id, const char *turn_id, dialect_cb cb,
    void *arg)
{
	dialect_fail(cb, arg, CERR_GONE, DIALECT_GONE);
}

/* See dialect_thread_start. */
void
dialect_list(const struct list_args *la, dialect_list_cb cb, void *arg)
{
	struct cerror	e = { CERR_GONE, DIALECT_GONE };

	cb(arg, NULL, &e);
}

/* See dialect_thread_start. */
void
dialect_archive(const char *id, int unarchive, dialect_cb cb, void *arg)
{
	dialect_fail(cb, arg, CERR_GONE, DIALECT_GONE);
}

/* See dialect_thread_start. */
void
dialect_read(const char *id, dialect_read_cb cb, void *arg)
{
	struct cerror	e = { CERR_GONE, DIALECT_GONE };

	cb(arg, NULL, &e);
}

/* No approval is ever asked, so none is answered. */
void
dialect_answer(struct approval *ap, enum approval_decision decision)
{
}

/* Nothing is read, so nothing is held. */
void
dialect_hold(int on)
{
}

/* No approval is ever asked, so none is left to another proxy. */
void
dialect_leave(struct approval *ap)
{
}

/* Every setting goes: there is no release to refuse it. */
const char *
dialect_refuse(const struct turn_args *a)
{
	return (NULL);
}

/* No thread is ever loaded, so none is given back. */
void
dialect_thread_unsubscribe(const char *id)
{
}
