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
 * The conversation tools: codex-list, codex-archive, codex-unarchive and
 * codex-read. Each is one request to the app-server through the dialect,
 * answered with a text for people and structuredContent for programs.
 */

#include <stdlib.h>
#include <string.h>

#include "proxy.h"

enum conv_op {
	CONV_LIST,
	CONV_ARCHIVE,
	CONV_UNARCHIVE,
	CONV_READ
};

struct conv_call {
	struct mcp_session	*session;
	json_object		*request_id;
	enum conv_op		 op;
	char			*thread_id;
	json_object		*args;		/* the tool's arguments */
};

static void	 conv_start(struct mcp_session *, json_object *, enum conv_op,
		     json_object *);
static void	 conv_ready(void *, const char *);
static void	 conv_done(void *, json_object *, const struct upstream_reply *);
static void	 conv_archived(void *, const char *,
		     const struct upstream_reply *);
static void	 conv_finish(struct conv_call *, json_object *);
static json_object *conv_list_text(json_object *);
static json_object *conv_read_text(json_object *);
static json_object *conv_result(char *, json_object *);

/* codex-list. */
void
conversations_list(struct mcp_session *s, json_object *id, json_object *args,
    json_object *meta, struct task *task)
{
	conv_start(s, id, CONV_LIST, args);
}

/* codex-archive. */
void
conversations_archive(struct mcp_session *s, json_object *id,
    json_object *args, json_object *meta, struct task *task)
{
	conv_start(s, id, CONV_ARCHIVE, args);
}

/* codex-unarchive. */
void
conversations_unarchive(struct mcp_session *s, json_object *id,
    json_object *args, json_object *meta, struct task *task)
{
	conv_start(s, id, CONV_UNARCHIVE, args);
}

/* codex-read. */
void
conversations_read(struct mcp_session *s, json_object *id, json_object *args,
    json_object *meta, struct task *task)
{
	conv_start(s, id, CONV_READ, args);
}

/* Wait for the app-server, then run the operation. */
static void
conv_start(struct mcp_session *s, json_object *id, enum conv_op op,
    json_object *args)
{
	struct conv_call	*cc;
	struct thread		*t;
	const char		*tid = json_str(args, "threadId");

	/* Reading is harmless; moving a thread under a turn is not. */
	if ((op == CONV_ARCHIVE || op == CONV_UNARCHIVE) &&
	    (t = threads_find(tid)) != NULL && t->active != NULL) {
		mcp_send_result(s, id, tool_error_result(NULL, "thread %s is "
		    "busy: a turn is running on it; wait for it to finish",
		    tid));
		return;
	}
	cc = xcalloc(1, sizeof *cc);
	cc->session = s;
	mcp_session_ref(s);
	cc->request_id = json_object_get(id);
	cc->op = op;
	cc->thread_id = tid != NULL ? xstrdup(tid) : NULL;
	cc->args = json_object_get(args);
	upstream_ready(proxy_upstream, conv_ready, cc);
}

/* The app-server is ready (or could not start). */
static void
conv_ready(void *arg, const char *error)
{
	struct conv_call	*cc = arg;
	const struct dialect	*d = upstream_dialect(proxy_upstream);
	struct list_args	 la;
	json_object		*limit;

	if (error != NULL) {
		conv_finish(cc, tool_error_result(NULL, "%s", error));
		return;
	}
	switch (cc->op) {
	case CONV_LIST:
		memset(&la, 0, sizeof la);
		limit = json_obj(cc->args, "limit");
		la.limit = limit != NULL ? json_object_get_int(limit) : 20;
		la.cursor = json_str(cc->args, "cursor");
		la.cwd = json_str(cc->args, "cwd");
		la.search = json_str(cc->args, "search");
		la.archived = json_object_get_boolean(json_obj(cc->args,
		    "archived"));
		d->list(proxy_upstream, &la, conv_done, cc);
		break;
	case CONV_ARCHIVE:
	case CONV_UNARCHIVE:
		d->archive(proxy_upstream, cc->thread_id,
		    cc->op == CONV_UNARCHIVE, conv_archived, cc);
		break;
	case CONV_READ:
		d->read(proxy_upstream, cc->thread_id, conv_done, cc);
		break;
	}
}

/* A list or a read came back. */
static void
conv_done(void *arg, json_object *result, const struct upstream_reply *r)
{
	struct conv_call	*cc = arg;

	if (r != NULL && (strstr(r->message, "no rollout found") != NULL ||
	    strstr(r->message, "not loaded") != NULL ||
	    strstr(r->message, "not found") != NULL))
		conv_finish(cc, tool_error_result(NULL, "unknown threadId %s: "
		    "codex has no conversation with this id in its CODEX_HOME "
		    "(%s)", cc->thread_id, r->message));
	else if (r != NULL)
		conv_finish(cc, tool_error_result(NULL, "%s", r->message));
	else if (cc->op == CONV_LIST)
		conv_finish(cc, conv_list_text(result));
	else
		conv_finish(cc, conv_read_text(result));
}

/* An archive or unarchive came back. */
static void
conv_archived(void *arg, const char *id, const struct upstream_reply *r)
{
	struct conv_call	*cc = arg;
	struct thread		*t;
	json_object		*sc;
	char			*text;
	int			 archived = cc->op == CONV_ARCHIVE;

	if (r != NULL) {
		/* Error results carry no structuredContent: it would not fit. */
		conv_finish(cc, tool_error_result(NULL, "codex could not %s "
		    "conversation %s: %s", archived ? "archive" : "unarchive",
		    cc->thread_id, dialect_unknown_method(r) ? "this codex "
		    "release cannot do that" : r->message));
		return;
	}
	/* An archived thread is unloaded; a reply must resume it. */
	if ((t = threads_find(cc->thread_id)) != NULL)
		t->loaded = 0;
	sc = json_object_new_object();
	json_set_str(sc, "threadId", cc->thread_id);
	json_object_object_add(sc, "archived",
	    json_object_new_boolean(archived));
	xasprintf(&text, "%s conversation %s", archived ? "Archived" :
	    "Unarchived", cc->thread_id);
	conv_finish(cc, conv_result(text, sc));
}

/* A result with text (taken) and structuredContent (taken). */
static json_object *
conv_result(char *text, json_object *sc)
{
	json_object	*r = tool_content_result(text, sc, 0);

	free(text);
	return (r);
}

/* The codex-list result: one line per conversation, and the data. */
static json_object *
conv_list_text(json_object *list)
{
	struct evbuffer	*b = evbuffer_new();
	json_object	*threads = json_obj(list, "threads"), *t;
	const char	*next = json_str(list, "nextCursor");
	size_t		 i, n;

	n = threads != NULL ? json_object_array_length(threads) : 0;
	if (n == 0)
		evbuffer_add_printf(b, "No conversations.\n");
	for (i = 0; i < n; i++) {
		t = json_object_array_get_idx(threads, i);
		evbuffer_add_printf(b, "%s  %s  %s  %.80s\n",
		    json_str(t, "threadId"), json_str(t, "updatedAt") != NULL ?
		    json_str(t, "updatedAt") : "-", json_str(t, "cwd") != NULL ?
		    json_str(t, "cwd") : "-", json_str(t, "preview"));
	}
	if (next != NULL)
		evbuffer_add_printf(b, "More: pass cursor \"%s\".\n", next);
	return (conv_result(xevbuffer_string(b), json_object_get(list)));
}

/* The codex-read result: the turns as a transcript, and the data. */
static json_object *
conv_read_text(json_object *read)
{
	struct evbuffer	*b = evbuffer_new();
	json_object	*turns = json_obj(read, "turns"), *t;
	size_t		 i, n;

	n = turns != NULL ? json_object_array_length(turns) : 0;
	evbuffer_add_printf(b, "Conversation %s, %zu turn%s.\n",
	    json_str(read, "threadId"), n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		t = json_object_array_get_idx(turns, i);
		evbuffer_add_printf(b, "\nUser: %s\n\nCodex: %s\n",
		    json_str(t, "prompt"), json_str(t, "answer"));
	}
	return (conv_result(xevbuffer_string(b), json_object_get(read)));
}

/* Answer the call and free it. */
static void
conv_finish(struct conv_call *cc, json_object *result)
{
	static const char	*names[] = {
		"codex-list", "codex-archive", "codex-unarchive", "codex-read"
	};

	metrics_tool_result(names[cc->op], result);
	mcp_send_result(cc->session, cc->request_id, result);
	mcp_session_unref(cc->session);
	json_object_put(cc->request_id);
	json_object_put(cc->args);
	free(cc->thread_id);
	free(cc);
}
