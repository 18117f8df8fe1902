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
 * What the dialects share: sending a request whose reply is an id or an
 * error of a known kind, the error kinds every API has, times, where
 * archived rollouts are, and the settings a resumed thread's next turn
 * must restore.
 */

#include <stdlib.h>
#include <string.h>

#include <json-c/linkhash.h>

#include "proxy.h"

struct dialect_op {
	const struct dialect	*d;
	dialect_cb		 cb;
	void			*arg;
	const char		*id_path;	/* where the new id is in the result */
};

/*
 * Threads this proxy resumed whose first turn has not started: older
 * releases resume with their defaults, not the conversation's settings,
 * so that turn restores them. Thread id -> the rollout's last turn context.
 */
static struct lh_table	*dialect_restores;

static void	 dialect_replied(void *, const struct upstream_reply *);

/* Call cb with an error of this kind. */
void
dialect_fail(dialect_cb cb, void *arg, enum cerror_kind kind,
    const char *message)
{
	struct cerror	e = { kind, message };

	cb(arg, NULL, &e);
}

/* The app-server's error, classified by dialect d. */
struct cerror
dialect_error(const struct dialect *d, const struct upstream_reply *r)
{
	struct cerror	e = { d->error_kind(r), r->message };

	return (e);
}

/* Call cb with the app-server's error, classified by dialect d. */
void
dialect_reply_error(const struct dialect *d, dialect_cb cb, void *arg,
    const struct upstream_reply *r)
{
	struct cerror	e = dialect_error(d, r);

	cb(arg, NULL, &e);
}

/*
 * Send a request (taking params); cb gets the reply exactly once, also when
 * the app-server is not running (then at once, as an error).
 */
void
dialect_send(struct upstream *up, const char *method, json_object *params,
    upstream_cb cb, void *arg)
{
	dialect_send_traced(up, method, params, NULL, cb, arg);
}

/* As dialect_send, with a W3C traceparent if not NULL. */
void
dialect_send_traced(struct upstream *up, const char *method,
    json_object *params, const char *traceparent, upstream_cb cb, void *arg)
{
	struct upstream_reply	r = { NULL, RPC_UPSTREAM_GONE, DIALECT_GONE };

	if (upstream_request_traced(up, method, params, traceparent, cb,
	    arg) != 0)
		cb(arg, &r);
}

/*
 * Send a request (taking params) for dialect d; cb gets the string at
 * id_path in the result (or NULL when id_path is NULL), or the error.
 */
void
dialect_request(const struct dialect *d, struct upstream *up,
    const char *method, json_object *params, const char *id_path,
    dialect_cb cb, void *arg)
{
	dialect_request_traced(d, up, method, params, id_path, NULL, cb, arg);
}

/* As dialect_request, with a W3C traceparent if not NULL. */
void
dialect_request_traced(const struct dialect *d, struct upstream *up,
    const char *method, json_object *params, const char *id_path,
    const char *traceparent, dialect_cb cb, void *arg)
{
	struct dialect_op	*op;

	op = xcalloc(1, sizeof *op);
	op->d = d;
	op->cb = cb;
	op->arg = arg;
	op->id_path = id_path;
	dialect_send_traced(up, method, params, traceparent, dialect_replied,
	    op);
}

/* A reply to one of dialect_request's requests. */
static void
dialect_replied(void *arg, const struct upstream_reply *r)
{
	struct dialect_op	*op = arg;
	const char		*id;

	if (r->result == NULL)
		dialect_reply_error(op->d, op->cb, op->arg, r);
	else if (op->id_path == NULL)
		op->cb(op->arg, NULL, NULL);
	else if ((id = json_path_str(r->result, op->id_path)) != NULL)
		op->cb(op->arg, id, NULL);
	else
		dialect_fail(op->cb, op->arg, CERR_OTHER,
		    "the app-server's reply has no id");
	free(op);
}

/*
 * The error message for a malformed result of method, why (taken) saying
 * what is wrong with it; to free.
 */
char *
dialect_malformed(const char *method, char *why)
{
	char	*message;

	xasprintf(&message, "the codex app-server sent a malformed %s "
	    "result: %s", method, why);
	free(why);
	return (message);
}

/* Did the app-server refuse a method it does not have? */
int
dialect_unknown_method(const struct upstream_reply *r)
{
	return (r != NULL && r->code == RPC_INVALID_REQUEST &&
	    r->message != NULL && (strstr(r->message, "unknown variant") !=
	    NULL || strcmp(r->message, "Invalid request") == 0));
}

/*
 * The error kinds every API shares: gone, a method it does not have, or a
 * thread without a rollout (codex core's own words, in v1 and v2 alike).
 */
enum cerror_kind
dialect_common_kind(const struct upstream_reply *r)
{
	if (r->code == RPC_UPSTREAM_GONE)
		return (CERR_GONE);
	if (dialect_unknown_method(r))
		return (CERR_UNSUPPORTED);
	if (r->message != NULL && strstr(r->message, "no rollout found") != NULL)
		return (CERR_NO_ROLLOUT);
	return (CERR_OTHER);
}

/* Unix seconds as an RFC 3339 UTC time string (to free). */
char *
dialect_time(int64_t secs)
{
	struct timeval	tv = { (time_t)secs, 0 };
	char		buf[TIMEFMT_LEN];

	return (xstrdup(timefmt(buf, &tv, 0)));
}

/* Is this rollout under archived_sessions/? */
int
dialect_archived_path(const char *path)
{
	return (path != NULL && strstr(path, "/archived_sessions/") != NULL);
}

/* Free one restore entry. */
static void
dialect_restore_free(struct lh_entry *e)
{
	free((char *)lh_entry_k(e));
	json_object_put(lh_entry_v(e));
}

/* The next turn on thread id must restore the settings ctx (taken). */
void
dialect_restore_set(const char *id, json_object *ctx)
{
	if (id == NULL || ctx == NULL) {
		json_object_put(ctx);
		return;
	}
	if (dialect_restores == NULL)
		dialect_restores = lh_kchar_table_new(16, dialect_restore_free);
	lh_table_delete(dialect_restores, id);
	lh_table_insert(dialect_restores, xstrdup(id), ctx);
}

/*
 * The settings (a turn context; a new reference) the next turn on thread
 * id must restore, once; NULL if none.
 */
json_object *
dialect_restore_take(const char *id)
{
	json_object	*ctx;
	void		*v;

	if (dialect_restores == NULL ||
	    !lh_table_lookup_ex(dialect_restores, id, &v))
		return (NULL);
	ctx = json_object_get(v);
	lh_table_delete(dialect_restores, id);
	return (ctx);
}

/* Forget every pending restore (at exit). */
void
dialect_restore_free_all(void)
{
	if (dialect_restores != NULL)
		lh_table_free(dialect_restores);
	dialect_restores = NULL;
}
