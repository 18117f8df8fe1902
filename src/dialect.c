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
 * What the dialects share: sending a request whose reply carries an id,
 * the normalized shapes of a conversation list and of a conversation's
 * turns, and the filters the proxy applies when an app-server cannot.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <json-c/linkhash.h>

#include "proxy.h"

/*
 * Threads this proxy resumed whose first turn has not started: older
 * releases resume with their defaults, not the conversation's settings,
 * so that turn restores them from the rollout. Thread id -> rollout path.
 */
static struct lh_table	*dialect_restores;

struct dialect_op {
	dialect_cb	 cb;
	void		*arg;
	const char	*id_path;	/* where the new id is in the result */
};

static void	 dialect_reply(void *, const struct upstream_reply *);

/* Call cb with an error message. */
void
dialect_fail(dialect_cb cb, void *arg, int code, const char *message)
{
	struct upstream_reply	r = { NULL, code, message };

	cb(arg, NULL, &r);
}

/* Call a json callback with an error message. */
void
dialect_json_fail(dialect_json_cb cb, void *arg, int code, const char *message)
{
	struct upstream_reply	r = { NULL, code, message };

	cb(arg, NULL, &r);
}

/*
 * Send a request (taking params); cb gets the string at id_path in the
 * result (or NULL when id_path is NULL), or the error.
 */
void
dialect_send(struct upstream *up, const char *method, json_object *params,
    const char *id_path, dialect_cb cb, void *arg)
{
	struct dialect_op	*op;

	op = xcalloc(1, sizeof *op);
	op->cb = cb;
	op->arg = arg;
	op->id_path = id_path;
	if (upstream_request(up, method, params, dialect_reply, op) == 0)
		return;
	free(op);
	dialect_fail(cb, arg, RPC_UPSTREAM_GONE,
	    "the codex app-server is not running");
}

/* A reply to one of dialect_send's requests. */
static void
dialect_reply(void *arg, const struct upstream_reply *r)
{
	struct dialect_op	*op = arg;
	const char		*id;

	if (r->result == NULL)
		op->cb(op->arg, NULL, r);
	else if (op->id_path == NULL)
		op->cb(op->arg, NULL, NULL);
	else if ((id = json_path_str(r->result, op->id_path)) != NULL)
		op->cb(op->arg, id, NULL);
	else
		dialect_fail(op->cb, op->arg, RPC_INTERNAL_ERROR,
		    "the app-server's reply has no id");
	free(op);
}

/* Did the app-server refuse a method it does not have? */
int
dialect_unknown_method(const struct upstream_reply *r)
{
	return (r != NULL && r->code == RPC_INVALID_REQUEST &&
	    r->message != NULL && (strstr(r->message, "unknown variant") !=
	    NULL || strcmp(r->message, "Invalid request") == 0));
}

/* Unix seconds as an RFC 3339 UTC time string. */
char *
dialect_time(int64_t secs)
{
	struct tm	 tm;
	time_t		 t = (time_t)secs;
	char		 buf[32];

	if (gmtime_r(&t, &tm) == NULL)
		return (xstrdup(""));
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return (xstrdup(buf));
}

/* Is this rollout under archived_sessions/? */
int
dialect_archived_path(const char *path)
{
	return (path != NULL && strstr(path, "/archived_sessions/") != NULL);
}

/* Case-insensitive substring search. */
static int
dialect_contains(const char *hay, const char *needle)
{
	size_t	n = strlen(needle);

	for (; hay != NULL && *hay != '\0'; hay++) {
		if (strncasecmp(hay, needle, n) == 0)
			return (1);
	}
	return (n == 0);
}

/*
 * Add one normalized conversation to list (a json array) if it passes the
 * filters the caller asked for.
 */
void
dialect_list_add(json_object *list, const struct list_args *la,
    const char *id, const char *preview, const char *cwd, const char *created,
    const char *updated, const char *provider, const char *path)
{
	json_object	*t;

	if (id == NULL)
		return;
	if (la->cwd != NULL && (cwd == NULL || strcmp(la->cwd, cwd) != 0))
		return;
	if (la->search != NULL && !dialect_contains(preview, la->search))
		return;
	if (path != NULL && dialect_archived_path(path) != la->archived)
		return;
	t = json_object_new_object();
	json_set_str(t, "threadId", id);
	json_set_str(t, "preview", preview != NULL ? preview : "");
	json_set_str(t, "cwd", cwd);
	json_set_str(t, "createdAt", created);
	json_set_str(t, "updatedAt", updated != NULL ? updated : created);
	json_set_str(t, "modelProvider", provider);
	json_object_object_add(t, "archived",
	    json_object_new_boolean(dialect_archived_path(path)));
	json_object_array_add(list, t);
}

/* The normalized list result (taking list). */
json_object *
dialect_list_result(json_object *list, const char *next)
{
	json_object	*r = json_object_new_object();

	json_object_object_add(r, "threads", list);
	json_set_str(r, "nextCursor", next);
	return (r);
}

/* Add one turn {prompt, answer} to turns (a json array). */
void
dialect_turn_add(json_object *turns, const char *prompt, const char *answer)
{
	json_object	*t = json_object_new_object();

	json_set_str(t, "prompt", prompt != NULL ? prompt : "");
	json_set_str(t, "answer", answer != NULL ? answer : "");
	json_object_array_add(turns, t);
}

struct dialect_probe {
	struct upstream	*up;
	dialect_found_cb done;
};

/* thread/list answered, or refused as unknown: v2 or v1. */
static void
dialect_probed(void *arg, const struct upstream_reply *r)
{
	struct dialect_probe	*pr = arg;

	if (r->result != NULL)
		pr->done(pr->up, &dialect_v2, "detected: it has thread/list");
	else if (dialect_unknown_method(r))
		pr->done(pr->up, &dialect_v1, "detected: it has no thread/list");
	else {
		log_warnx("probing the app-server's API failed (%s); "
		    "assuming v2", r->message);
		pr->done(pr->up, &dialect_v2, "assumed");
	}
	free(pr);
}

/*
 * Find out which API the app-server speaks, by asking rather than by its
 * version: v2 where it answers thread/list, v1 where that method is
 * unknown. A forced api ("v1" or "v2") skips the question.
 */
void
dialect_detect(struct upstream *up, const char *api, dialect_found_cb done)
{
	struct dialect_probe	*pr;
	json_object		*p;

	if (api != NULL && strcmp(api, "v1") == 0) {
		done(up, &dialect_v1, "forced by --api");
		return;
	}
	if (api != NULL && strcmp(api, "v2") == 0) {
		done(up, &dialect_v2, "forced by --api");
		return;
	}
	pr = xcalloc(1, sizeof *pr);
	pr->up = up;
	pr->done = done;
	p = json_object_new_object();
	json_object_object_add(p, "limit", json_object_new_int(1));
	if (upstream_request(up, "thread/list", p, dialect_probed, pr) != 0)
		free(pr);
}

/* Free one restore entry (both are copies). */
static void
dialect_restore_free(struct lh_entry *e)
{
	free((char *)lh_entry_k(e));
	free(lh_entry_v(e));
}

/* The next turn on thread id must restore the settings in rollout path. */
void
dialect_restore_set(const char *id, const char *path)
{
	if (id == NULL || path == NULL)
		return;
	if (dialect_restores == NULL)
		dialect_restores = lh_kchar_table_new(16, dialect_restore_free);
	lh_table_delete(dialect_restores, id);
	lh_table_insert(dialect_restores, xstrdup(id), xstrdup(path));
}

/*
 * The settings (from the rollout's last turn context; a new reference) the
 * next turn on thread id must restore, once; NULL if none.
 */
json_object *
dialect_restore_take(const char *id)
{
	json_object	*ctx;
	void		*path;

	if (dialect_restores == NULL ||
	    !lh_table_lookup_ex(dialect_restores, id, &path))
		return (NULL);
	ctx = rollout_context(path);
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
