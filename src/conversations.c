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
 * codex-read. Each is one operation on the app-server through the dialect,
 * which answers with plain data; the filters the app-server could not
 * apply are applied here, and the result gets a text for people and
 * structuredContent for programs.
 */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proxy.h"

#define CONV_PREVIEW_MAX	80	/* bytes of a preview in the text list */

enum conv_op {
	CONV_LIST,
	CONV_ARCHIVE,
	CONV_UNARCHIVE,
	CONV_READ
};

struct conv_call {
	struct reply		*reply;
	enum conv_op		 op;
	char			*thread_id;
	json_object		*args;		/* the tool's arguments */
	struct list_args	 la;		/* codex-list's, borrowing args */
};

static void	 conv_start(struct reply *, enum conv_op, json_object *);
static void	 conv_ready(void *, const char *);
static void	 conv_listed(void *, const struct thread_list *,
		     const struct cerror *);
static void	 conv_read(void *, const struct thread_turns *,
		     const struct cerror *);
static void	 conv_archived(void *, const char *, const struct cerror *);
static void	 conv_failed(struct conv_call *, const struct cerror *);
static void	 conv_finish(struct conv_call *, json_object *);
static int	 conv_contains(const char *, const char *);
static int	 conv_wanted(const struct list_args *,
		     const struct thread_list *, const struct thread_info *);
static json_object *conv_result(char *, json_object *);
static void	 conv_list_args(json_object *, struct list_args *);
static int	 conv_among(json_object *, const char *, int);

/* codex-list. */
void
conversations_list(struct reply *r, json_object *args)
{
	conv_start(r, CONV_LIST, args);
}

/* codex-archive. */
void
conversations_archive(struct reply *r, json_object *args)
{
	conv_start(r, CONV_ARCHIVE, args);
}

/* codex-unarchive. */
void
conversations_unarchive(struct reply *r, json_object *args)
{
	conv_start(r, CONV_UNARCHIVE, args);
}

/* codex-read. */
void
conversations_read(struct reply *r, json_object *args)
{
	conv_start(r, CONV_READ, args);
}

/* Wait for the app-server, then run the operation. */
static void
conv_start(struct reply *r, enum conv_op op, json_object *args)
{
	struct conv_call	*cc;
	struct thread		*t;
	const char		*tid = json_str(args, "threadId");

	/* Reading is harmless; moving a thread under a turn is not. */
	if ((op == CONV_ARCHIVE || op == CONV_UNARCHIVE) &&
	    (t = threads_find(tid)) != NULL && t->active != NULL) {
		reply_send(r, tool_error_result(NULL, "thread %s is busy: a "
		    "turn is running on it; wait for it to finish", tid));
		return;
	}
	cc = xcalloc(1, sizeof *cc);
	cc->reply = r;
	cc->op = op;
	cc->thread_id = xstrdup_null(tid);
	cc->args = json_object_get(args);
	conv_list_args(cc->args, &cc->la);
	dialect_ready(conv_ready, cc);
}

/* The list filters the tool's arguments ask for. */
static void
conv_list_args(json_object *args, struct list_args *la)
{
	json_object	*limit = json_obj(args, "limit");

	memset(la, 0, sizeof *la);
	la->limit = limit != NULL ? json_object_get_int(limit) : 20;
	la->cursor = json_str(args, "cursor");
	la->cwd = json_str(args, "cwd");
	la->search = json_str(args, "search");
	la->archived = json_object_get_boolean(json_obj(args, "archived"));
	la->sources = json_obj(args, "sources");
	la->providers = json_obj(args, "providers");
	la->thread_ids = json_obj(args, "threadIds");
}

/*
 * Is s one of the strings of the array list (NULL: no restriction), or with
 * prefix, does one start with it (a sub-agent source names no kind)?
 */
static int
conv_among(json_object *list, const char *s, int prefix)
{
	const char	*one;
	size_t		 i, n;

	if (list == NULL)
		return (1);
	n = json_object_array_length(list);
	for (i = 0; s != NULL && i < n; i++) {
		one = json_object_get_string(json_object_array_get_idx(list, i));
		if (prefix ? strncmp(one, s, strlen(s)) == 0 :
		    strcmp(one, s) == 0)
			return (1);
	}
	return (0);
}

/* The app-server is ready (or could not start). */
static void
conv_ready(void *arg, const char *error)
{
	struct conv_call	*cc = arg;

	if (error != NULL) {
		conv_finish(cc, tool_error_result(NULL, "%s", error));
		return;
	}
	switch (cc->op) {
	case CONV_LIST:
		dialect_list(&cc->la, conv_listed, cc);
		break;
	case CONV_ARCHIVE:
	case CONV_UNARCHIVE:
		dialect_archive(cc->thread_id, cc->op == CONV_UNARCHIVE,
		    conv_archived, cc);
		break;
	case CONV_READ:
		dialect_read(cc->thread_id, conv_read, cc);
		break;
	}
}

/* A list or a read failed. */
static void
conv_failed(struct conv_call *cc, const struct cerror *e)
{
	if (cc->thread_id != NULL && (e->kind == CERR_NOT_FOUND ||
	    e->kind == CERR_NO_ROLLOUT))
		conv_finish(cc, tool_error_result(NULL, "unknown threadId %s: "
		    "codex has no conversation with this id in its CODEX_HOME "
		    "(%s)", cc->thread_id, e->message));
	else
		conv_finish(cc, tool_error_result(NULL, "%s", e->message));
}

/* Case-insensitive substring search. */
static int
conv_contains(const char *hay, const char *needle)
{
	size_t	n = strlen(needle);

	for (; hay != NULL && *hay != '\0'; hay++) {
		if (strncasecmp(hay, needle, n) == 0)
			return (1);
	}
	return (n == 0);
}

/* Does a conversation pass the filters the app-server did not apply? */
static int
conv_wanted(const struct list_args *la, const struct thread_list *l,
    const struct thread_info *t)
{
	if (la->cwd != NULL && (t->cwd == NULL || strcmp(la->cwd, t->cwd) != 0))
		return (0);
	if (la->search != NULL && !l->searched &&
	    !conv_contains(t->preview, la->search))
		return (0);
	/* What a release cannot filter by, the proxy does. */
	if (!conv_among(la->thread_ids, t->id, 0) ||
	    (t->source != NULL && !conv_among(la->sources, t->source, 1)) ||
	    (t->provider != NULL && !conv_among(la->providers, t->provider, 0)))
		return (0);
	return (t->archived < 0 || t->archived == la->archived);
}

/* The list came back: filter, then one line per conversation and the data. */
static void
conv_listed(void *arg, const struct thread_list *l, const struct cerror *e)
{
	struct conv_call	*cc = arg;
	struct thread_info	*t;
	struct evbuffer		*b;
	json_object		*list, *one, *sc;
	size_t			 i, n = 0;

	if (e != NULL) {
		conv_failed(cc, e);
		return;
	}
	b = evbuffer_new();
	list = json_object_new_array();
	for (i = 0; i < l->n; i++) {
		t = &l->items[i];
		if (!conv_wanted(&cc->la, l, t))
			continue;
		one = json_object_new_object();
		json_set_str(one, "threadId", t->id);
		json_set_str(one, "preview", t->preview);
		json_set_str(one, "cwd", t->cwd);
		json_set_str(one, "createdAt", t->created);
		json_set_str(one, "updatedAt", t->updated);
		json_set_str(one, "modelProvider", t->provider);
		json_set_str(one, "source", t->source);
		json_object_object_add(one, "archived",
		    json_object_new_boolean(t->archived > 0));
		json_object_array_add(list, one);
		evbuffer_add_printf(b, "%s  %s  %s  %.*s\n", t->id,
		    t->updated != NULL ? t->updated : "-", t->cwd != NULL ?
		    t->cwd : "-", (int)utf8_cut(t->preview, strlen(t->preview),
		    CONV_PREVIEW_MAX), t->preview);
		n++;
	}
	if (n == 0)
		evbuffer_add_printf(b, "No conversations.\n");
	if (l->next_cursor != NULL)
		evbuffer_add_printf(b, "More: pass cursor \"%s\".\n",
		    l->next_cursor);
	sc = json_object_new_object();
	json_object_object_add(sc, "threads", list);
	json_set_str(sc, "nextCursor", l->next_cursor);
	conv_finish(cc, conv_result(xevbuffer_string(b), sc));
}

/* The turns came back: a transcript, and the data. */
static void
conv_read(void *arg, const struct thread_turns *tt, const struct cerror *e)
{
	struct conv_call	*cc = arg;
	struct evbuffer		*b;
	json_object		*turns, *one, *sc;
	size_t			 i;

	if (e != NULL) {
		conv_failed(cc, e);
		return;
	}
	b = evbuffer_new();
	turns = json_object_new_array();
	evbuffer_add_printf(b, "Conversation %s, %zu turn%s.\n", tt->thread_id,
	    tt->n, tt->n == 1 ? "" : "s");
	for (i = 0; i < tt->n; i++) {
		one = json_object_new_object();
		json_set_str(one, "prompt", tt->turns[i].prompt);
		json_set_str(one, "answer", tt->turns[i].answer);
		json_object_array_add(turns, one);
		evbuffer_add_printf(b, "\nUser: %s\n\nCodex: %s\n",
		    tt->turns[i].prompt, tt->turns[i].answer);
	}
	sc = json_object_new_object();
	json_set_str(sc, "threadId", tt->thread_id);
	json_object_object_add(sc, "turns", turns);
	conv_finish(cc, conv_result(xevbuffer_string(b), sc));
}

/* An archive or unarchive came back. */
static void
conv_archived(void *arg, const char *id, const struct cerror *e)
{
	struct conv_call	*cc = arg;
	struct thread		*t;
	json_object		*sc;
	char			*text;
	int			 archived = cc->op == CONV_ARCHIVE;

	if (e != NULL) {
		/* Error results carry no structuredContent: it would not fit. */
		conv_finish(cc, tool_error_result(NULL, "codex could not %s "
		    "conversation %s: %s", archived ? "archive" : "unarchive",
		    cc->thread_id, e->message));
		return;
	}
	/* An archived thread is unloaded; a reply must resume it. */
	if ((t = threads_find(cc->thread_id)) != NULL) {
		t->loaded = 0;
		threads_release(t);
	}
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

/* Answer the call and free it. */
static void
conv_finish(struct conv_call *cc, json_object *result)
{
	reply_send(cc->reply, result);
	json_object_put(cc->args);
	free(cc->thread_id);
	free(cc);
}
