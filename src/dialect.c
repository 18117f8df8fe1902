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
 * The app-server as the bridge sees it. This layer owns the upstream and
 * is its message handler: it finds out which API the app-server speaks (by
 * asking, not by its version), turns notifications into normalized events
 * and requests for approval into struct approval, sends the bridge's
 * answers back, classifies errors into kinds, and hands every operation to
 * the dialect in use.
 */

#include <stdlib.h>

#include "proxy.h"

/* An approval the bridge holds: its request, and copies of its strings. */
struct dialect_approval {
	struct approval		 ap;		/* first: the bridge's handle */
	json_object		*id;		/* the app-server's request id */
	u_int			 generation;	/* of the process that asked */
	char			*strings[7];
};

static struct upstream			*dialect_up;
static const struct dialect		*dialect_cur;
static const struct dialect_handlers	*dialect_h;
static char				*dialect_agent;	/* the app-server's */

static void	 dialect_initialized(void *, const char *);
static void	 dialect_probed(void *, const struct upstream_reply *);
static void	 dialect_found(const struct dialect *, const char *);
static int	 dialect_line(void *, const char *, size_t);
static void	 dialect_notification(void *, const char *, json_object *);
static void	 dialect_server_request(void *, json_object *, const char *,
		     json_object *);
static void	 dialect_lost(void *, const char *);
static void	 dialect_models(const struct model_list *);

static const struct cerror dialect_gone = { CERR_GONE, DIALECT_GONE };

static const struct upstream_handlers dialect_upstream_handlers = {
	dialect_initialized,
	dialect_line,
	dialect_notification,
	dialect_server_request,
	dialect_lost
};

/* Set up the app-server that runs cmd; events go to h. */
void
dialect_init(const char *cmd, const struct dialect_handlers *h)
{
	dialect_h = h;
	dialect_up = upstream_new(cmd, &dialect_upstream_handlers, NULL);
	upstream_start(dialect_up);
}

/* Free the app-server and what the dialects keep (at exit). */
void
dialect_free(void)
{
	upstream_free(dialect_up);
	dialect_up = NULL;
	dialect_cur = NULL;
	dialect_v1.reset(1);
	dialect_v2.reset(1);
	dialect_restore_free_all();
	free(dialect_agent);
	dialect_agent = NULL;
}

/* Call cb once the app-server is ready, or with why it cannot be. */
void
dialect_ready(upstream_ready_cb cb, void *arg)
{
	upstream_ready(dialect_up, cb, arg);
}

/* Which spawn of the app-server runs; threads loaded by another are not. */
u_int
dialect_generation(void)
{
	return (upstream_generation(dialect_up));
}

/* Is the app-server ready for calls? */
int
dialect_usable(void)
{
	return (upstream_usable(dialect_up));
}

/* The app-server's state, in a word. */
const char *
dialect_state_name(void)
{
	return (upstream_state_name(dialect_up));
}

/* Stop the app-server; done is called once it has exited. */
void
dialect_shutdown(void (*done)(void *), void *arg)
{
	upstream_shutdown(dialect_up, done, arg);
}

/* Stop reading the app-server while a client cannot keep up (on), or go on. */
void
dialect_hold(int on)
{
	upstream_hold(dialect_up, on);
}

/* The handshake is done: find out which API the app-server speaks. */
static void
dialect_initialized(void *arg, const char *agent)
{
	json_object	*p;

	free(dialect_agent);
	dialect_agent = xstrdup(agent);
	if (opts.api == API_V1) {
		dialect_found(&dialect_v1, "forced by --api");
		return;
	}
	if (opts.api == API_V2) {
		dialect_v2.probed(NULL);
		dialect_found(&dialect_v2, "forced by --api");
		return;
	}
	p = json_object_new_object();
	json_object_object_add(p, "limit", json_object_new_int(1));
	upstream_request(dialect_up, "thread/list", p, dialect_probed, NULL);
}

/* thread/list answered, or refused as unknown: v2 or v1. */
static void
dialect_probed(void *arg, const struct upstream_reply *r)
{
	if (r->code == RPC_UPSTREAM_GONE)
		return;		/* the start failed: nothing to detect */
	if (r->result != NULL) {
		dialect_v2.probed(r->result);
		dialect_found(&dialect_v2, "detected: it has thread/list");
	}
	else if (dialect_unknown_method(r))
		dialect_found(&dialect_v1, "detected: it has no thread/list");
	else {
		log_warnx("probing the app-server's API failed (%s); "
		    "assuming v2", r->message);
		dialect_v2.probed(NULL);
		dialect_found(&dialect_v2, "assumed");
	}
}

/* The API is known: the app-server is ready. */
static void
dialect_found(const struct dialect *d, const char *how)
{
	dialect_cur = d;
	log_info("codex app-server ready (%s); api %s (%s)", dialect_agent,
	    d->name, how);
	if (d->models != NULL)
		d->models(dialect_up, dialect_models);
	upstream_set_ready(dialect_up);
}

/* The models the app-server offers: the bridge gets them. */
static void
dialect_models(const struct model_list *ml)
{
	dialect_h->models(ml);
}

/*
 * A line the dialect may read as an event without parsing it into a tree
 * (a text delta, most of a turn's messages); 0 leaves it to the parser.
 */
static int
dialect_line(void *arg, const char *line, size_t len)
{
	struct cevent	ev;

	if (dialect_cur == NULL || dialect_cur->line_event == NULL ||
	    !dialect_cur->line_event(line, len, &ev))
		return (0);
	dialect_h->event(&ev);
	return (1);
}

/* A notification: the bridge gets it if it is an event. */
static void
dialect_notification(void *arg, const char *method, json_object *params)
{
	struct cevent	ev;

	if (dialect_cur != NULL && dialect_cur->event(method, params, &ev))
		dialect_h->event(&ev);
}

/*
 * A request from the app-server. Approvals go to the bridge, which answers
 * each exactly once; anything else gets an error at once, so that codex
 * never waits for an answer that will not come.
 */
static void
dialect_server_request(void *arg, json_object *id, const char *method,
    json_object *params)
{
	struct dialect_approval	*da;
	struct approval		 ap;
	const char		**from[7];
	size_t			 i;

	if (dialect_cur == NULL || !dialect_cur->approval(method, params, &ap)) {
		log_warnx("app-server asked %s, which the proxy does not "
		    "handle; answering with an error", method);
		upstream_respond_error(dialect_up, id, RPC_METHOD_NOT_FOUND,
		    "codex-mcp-proxy does not handle this request");
		return;
	}
	da = xcalloc(1, sizeof *da);
	da->ap = ap;
	da->id = json_object_get(id);
	da->generation = upstream_generation(dialect_up);
	from[0] = &da->ap.method;
	from[1] = &da->ap.thread_id;
	from[2] = &da->ap.turn_id;
	from[3] = &da->ap.item_id;
	from[4] = &da->ap.command;
	from[5] = &da->ap.cwd;
	from[6] = &da->ap.reason;
	for (i = 0; i < 7; i++)
		*from[i] = da->strings[i] = xstrdup_null(*from[i]);
	dialect_h->approval(&da->ap);
}

/* Answer an approval (to the process that asked, if it is still there). */
void
dialect_answer(struct approval *ap, enum approval_decision decision)
{
	struct dialect_approval	*da = (struct dialect_approval *)ap;

	if (dialect_cur != NULL &&
	    da->generation == upstream_generation(dialect_up)) {
		metrics_approval(decision);
		upstream_respond(dialect_up, da->id,
		    dialect_cur->approval_answer(decision));
	}
	dialect_leave(ap);
}

/* Forget an approval unanswered: another client of the app-server answers. */
void
dialect_leave(struct approval *ap)
{
	struct dialect_approval	*da = (struct dialect_approval *)ap;
	size_t			 i;

	json_object_put(da->id);
	for (i = 0; i < 7; i++)
		free(da->strings[i]);
	free(da);
}

/* The app-server is gone: forget its process's state, tell the bridge. */
static void
dialect_lost(void *arg, const char *why)
{
	if (dialect_cur != NULL)
		dialect_cur->reset(0);
	dialect_cur = NULL;
	dialect_h->lost(why);
}

/* Fail cb at once when no dialect is known (the app-server is not ready). */
static int
dialect_none(dialect_cb cb, void *arg)
{
	if (dialect_cur != NULL)
		return (0);
	cb(arg, NULL, &dialect_gone);
	return (1);
}

/* Start a conversation with the codex tool's settings. */
void
dialect_thread_start(const struct turn_args *a, dialect_cb cb, void *arg)
{
	if (!dialect_none(cb, arg))
		dialect_cur->thread_start(dialect_up, a, cb, arg);
}

/* Load a conversation from its rollout. */
void
dialect_thread_resume(const char *id, const struct turn_args *a,
    dialect_cb cb, void *arg)
{
	if (!dialect_none(cb, arg))
		dialect_cur->thread_resume(dialect_up, id, a, cb, arg);
}

/* Start a turn (cb gets the turn id where the API has one). */
void
dialect_turn_start(const char *id, const struct turn_args *a, dialect_cb cb,
    void *arg)
{
	if (!dialect_none(cb, arg))
		dialect_cur->turn_start(dialect_up, id, a, cb, arg);
}

/* Interrupt the running turn. */
void
dialect_turn_interrupt(const char *id, const char *turn_id, dialect_cb cb,
    void *arg)
{
	if (!dialect_none(cb, arg))
		dialect_cur->turn_interrupt(dialect_up, id, turn_id, cb, arg);
}

/* List conversations. */
void
dialect_list(const struct list_args *la, dialect_list_cb cb, void *arg)
{
	if (dialect_cur == NULL)
		cb(arg, NULL, &dialect_gone);
	else
		dialect_cur->list(dialect_up, la, cb, arg);
}

/* Archive or unarchive a conversation. */
void
dialect_archive(const char *id, int unarchive, dialect_cb cb, void *arg)
{
	if (!dialect_none(cb, arg))
		dialect_cur->archive(dialect_up, id, unarchive, cb, arg);
}

/* Read a conversation's turns. */
void
dialect_read(const char *id, dialect_read_cb cb, void *arg)
{
	if (dialect_cur == NULL)
		cb(arg, NULL, &dialect_gone);
	else
		dialect_cur->read(dialect_up, id, cb, arg);
}

/* Give a loaded conversation back, where the API can (v1 cannot). */
void
dialect_thread_unsubscribe(const char *id)
{
	if (dialect_cur != NULL && dialect_cur->thread_unsubscribe != NULL)
		dialect_cur->thread_unsubscribe(dialect_up, id);
}

/* Why the app-server cannot run a turn as asked, or NULL if it can. */
const char *
dialect_refuse(const struct turn_args *a)
{
	return (dialect_cur != NULL ? dialect_cur->refuse(a) : NULL);
}
