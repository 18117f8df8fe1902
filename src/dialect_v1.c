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
 * The v1 app-server API (codex 0.50 to 0.77): newConversation,
 * addConversationListener, sendUserMessage or sendUserTurn,
 * resumeConversation, interruptConversation, listConversations and
 * archiveConversation, and the codex/event/<type> notifications. On 0.77
 * the same turns also produce v2 notifications; those are ignored here,
 * so nothing is counted twice.
 *
 * Where v1 needs a conversation's rollout file (resume on 0.50, archive,
 * read, the settings sendUserTurn wants in full), its path comes from what
 * the app-server said before, or from listing the conversations.
 *
 * v1 reports a failed turn as an error event followed by task_complete;
 * such a turn, with no text, is made a failed turn here.
 */

#include <stdlib.h>
#include <string.h>

#include <json-c/linkhash.h>

#include "proxy.h"

#define V1_PAGE		100	/* conversations per page when searching */

struct v1_op;
typedef void	 (*v1_then)(struct v1_op *, const char *);

struct v1_op {
	struct upstream		*up;
	char			*id;
	dialect_cb		 cb;
	dialect_list_cb		 list_cb;
	dialect_read_cb		 read_cb;
	void			*arg;
	v1_then			 then;		/* once the rollout is found */
	int			 by_path;
};

/* What a running turn has said so far, for the failed-turn quirk. */
struct v1_turn {
	char			*error;		/* the last error it reported */
	int			 text;		/* it said something */
};

static struct lh_table	*v1_paths;	/* conversation id -> rollout path */
static struct lh_table	*v1_turns;	/* conversation id -> its last turn */

static void	 v1_free_entry(struct lh_entry *);
static void	 v1_free_turn(struct lh_entry *);
static struct v1_op *v1_op_new(struct upstream *, const char *);
static void	 v1_op_free(struct v1_op *);
static void	 v1_op_fail(struct v1_op *, enum cerror_kind, const char *);
static void	 v1_op_error(struct v1_op *, const struct upstream_reply *);
static void	 v1_request(struct v1_op *, const char *, json_object *,
		     upstream_cb);
static void	 v1_remember(const char *, const char *);
static const char *v1_path(const char *);
static void	 v1_locate(struct v1_op *, v1_then);
static void	 v1_locate_page(struct v1_op *, const char *);
static json_object *v1_list_items(struct v1_op *,
		     const struct upstream_reply *);
static void	 v1_located(void *, const struct upstream_reply *);
static void	 v1_listen(struct v1_op *);
static void	 v1_created(void *, const struct upstream_reply *);
static void	 v1_listening(void *, const struct upstream_reply *);
static void	 v1_resume_by_path(struct v1_op *, const char *);
static void	 v1_resumed(void *, const struct upstream_reply *);
static void	 v1_item(json_object *, const char *, const char *,
		     const char *);
static json_object *v1_items(const struct turn_args *);
static void	 v1_listed(void *, const struct upstream_reply *);
static void	 v1_archive_path(struct v1_op *, const char *);
static void	 v1_archived(void *, const struct upstream_reply *);
static void	 v1_read_path(struct v1_op *, const char *);
static const char *v1_join(json_object *);
static void	 v1_turn_note(const char *, const char *, int, int);
static const char *v1_turn_failure(const char *);

/* A new chained operation on conversation id; the caller sets a callback. */
static struct v1_op *
v1_op_new(struct upstream *up, const char *id)
{
	struct v1_op	*op;

	op = xcalloc(1, sizeof *op);
	op->up = up;
	op->id = xstrdup_null(id);
	return (op);
}

/* Free an operation. */
static void
v1_op_free(struct v1_op *op)
{
	free(op->id);
	free(op);
}

/* End an operation with an error of this kind. */
static void
v1_op_fail(struct v1_op *op, enum cerror_kind kind, const char *message)
{
	struct cerror	e = { kind, message };

	if (op->cb != NULL)
		op->cb(op->arg, NULL, &e);
	else if (op->list_cb != NULL)
		op->list_cb(op->arg, NULL, &e);
	else
		op->read_cb(op->arg, NULL, &e);
	v1_op_free(op);
}

/* End an operation with the app-server's error. */
static void
v1_op_error(struct v1_op *op, const struct upstream_reply *r)
{
	v1_op_fail(op, dialect_v1.error_kind(r), r->message);
}

/* Send a request for op; cb gets the reply, or the app-server's absence. */
static void
v1_request(struct v1_op *op, const char *method, json_object *params,
    upstream_cb cb)
{
	dialect_send(op->up, method, params, cb, op);
}

/* Free one entry of the path table (both are copies). */
static void
v1_free_entry(struct lh_entry *e)
{
	free((char *)lh_entry_k(e));
	free(lh_entry_v(e));
}

/* Remember where a conversation's rollout is. */
static void
v1_remember(const char *id, const char *path)
{
	if (id == NULL || path == NULL)
		return;
	if (v1_paths == NULL)
		v1_paths = lh_kchar_table_new(64, v1_free_entry);
	if (lh_table_lookup_ex(v1_paths, id, NULL))
		return;
	lh_table_insert(v1_paths, xstrdup(id), xstrdup(path));
}

/* Where the rollout of a conversation is, if known. */
static const char *
v1_path(const char *id)
{
	void	*v;

	if (v1_paths == NULL || !lh_table_lookup_ex(v1_paths, id, &v))
		return (NULL);
	return (v);
}

/* Find the rollout of op->id, then call then(op, path). */
static void
v1_locate(struct v1_op *op, v1_then then)
{
	const char	*path = v1_path(op->id);

	op->then = then;
	if (path != NULL)
		then(op, path);
	else
		v1_locate_page(op, NULL);
}

/* Ask for one page of conversations, searching for op->id. */
static void
v1_locate_page(struct v1_op *op, const char *cursor)
{
	json_object	*p = json_object_new_object();

	json_object_object_add(p, "pageSize", json_object_new_int(V1_PAGE));
	json_set_str(p, "cursor", cursor);
	v1_request(op, "listConversations", p, v1_located);
}

/*
 * The items of a listConversations reply; NULL once op has failed, with the
 * app-server's error or because the reply has no array of items.
 */
static json_object *
v1_list_items(struct v1_op *op, const struct upstream_reply *r)
{
	json_object	*items;
	char		*why = NULL, *message;

	if (r->result == NULL) {
		v1_op_error(op, r);
		return (NULL);
	}
	if ((items = json_needed(r->result, "items", json_type_array,
	    &why)) == NULL) {
		message = dialect_malformed("listConversations", why);
		v1_op_fail(op, CERR_OTHER, message);
		free(message);
	}
	return (items);
}

/* A page of conversations: remember their paths, go on or give up. */
static void
v1_located(void *arg, const struct upstream_reply *r)
{
	struct v1_op	*op = arg;
	json_object	*items, *it;
	const char	*path, *next;
	char		*why;
	size_t		 i, n;

	if ((items = v1_list_items(op, r)) == NULL)
		return;
	n = json_object_array_length(items);
	for (i = 0; i < n; i++) {
		it = json_object_array_get_idx(items, i);
		v1_remember(json_str(it, "conversationId"), json_str(it, "path"));
	}
	if ((path = v1_path(op->id)) != NULL) {
		op->then(op, path);
		return;
	}
	next = json_str(r->result, "nextCursor");
	if (n > 0 && next != NULL) {
		v1_locate_page(op, next);
		return;
	}
	xasprintf(&why, "no rollout found for conversation id %s", op->id);
	v1_op_fail(op, CERR_NO_ROLLOUT, why);
	free(why);
}

/* newConversation with the codex tool's settings, then listen. */
static void
v1_thread_start(struct upstream *up, const struct turn_args *a, dialect_cb cb,
    void *arg)
{
	struct v1_op	*op = v1_op_new(up, NULL);
	json_object	*p = json_object_new_object(), *config = NULL;

	op->cb = cb;
	op->arg = arg;
	json_set_str(p, "cwd", a->cwd);
	json_set_str(p, "model", a->model);
	json_set_str(p, "profile", a->profile);
	json_set_str(p, "approvalPolicy", a->approval_policy);
	json_set_str(p, "sandbox", a->sandbox);
	json_set_str(p, "baseInstructions", a->base_instructions);
	json_set_str(p, "developerInstructions", a->developer_instructions);
	json_set_str(p, "compactPrompt", a->compact_prompt);
	if (a->config != NULL)
		json_object_deep_copy(a->config, &config, NULL);
	if (a->reasoning_effort != NULL) {
		if (config == NULL)
			config = json_object_new_object();
		json_set_str(config, "model_reasoning_effort",
		    a->reasoning_effort);
	}
	if (config != NULL)
		json_object_object_add(p, "config", config);
	v1_request(op, "newConversation", p, v1_created);
}

/* newConversation answered. */
static void
v1_created(void *arg, const struct upstream_reply *r)
{
	struct v1_op	*op = arg;
	const char	*id;

	if (r->result == NULL) {
		v1_op_error(op, r);
		return;
	}
	if ((id = json_str(r->result, "conversationId")) == NULL) {
		v1_op_fail(op, CERR_OTHER,
		    "newConversation returned no conversationId");
		return;
	}
	op->id = xstrdup(id);
	v1_remember(id, json_str(r->result, "rolloutPath"));
	v1_listen(op);
}

/* Without a listener a v1 conversation sends no events at all. */
static void
v1_listen(struct v1_op *op)
{
	json_object	*p = json_object_new_object();

	json_set_str(p, "conversationId", op->id);
	v1_request(op, "addConversationListener", p, v1_listening);
}

/* The listener is there: the conversation is ready. */
static void
v1_listening(void *arg, const struct upstream_reply *r)
{
	struct v1_op	*op = arg;

	if (r->result == NULL) {
		v1_op_error(op, r);
		return;
	}
	op->cb(op->arg, op->id, NULL);
	v1_op_free(op);
}

/*
 * resumeConversation: by path when it is known, else by id (0.77); 0.50
 * resumes only by path, so an id it refuses is looked up in the list.
 */
static void
v1_thread_resume(struct upstream *up, const char *id, const struct turn_args *a,
    dialect_cb cb, void *arg)
{
	struct v1_op	*op = v1_op_new(up, id);
	json_object	*p;

	op->cb = cb;
	op->arg = arg;
	if (v1_path(id) != NULL) {
		v1_resume_by_path(op, v1_path(id));
		return;
	}
	p = json_object_new_object();
	json_set_str(p, "conversationId", id);
	v1_request(op, "resumeConversation", p, v1_resumed);
}

/* resumeConversation {path}. */
static void
v1_resume_by_path(struct v1_op *op, const char *path)
{
	json_object	*p = json_object_new_object();

	op->by_path = 1;
	json_set_str(p, "path", path);
	v1_request(op, "resumeConversation", p, v1_resumed);
}

/*
 * resumeConversation answered: v1 resumes with the release's defaults, so
 * the next turn restores the rollout's settings, read here once.
 */
static void
v1_resumed(void *arg, const struct upstream_reply *r)
{
	struct v1_op	*op = arg;
	const char	*path;

	if (r->result != NULL) {
		v1_remember(op->id, json_str(r->result, "rolloutPath"));
		if ((path = v1_path(op->id)) != NULL)
			dialect_restore_set(op->id, rollout_context(path));
		v1_listen(op);
	} else if (!op->by_path && dialect_unknown_method(r))
		v1_locate(op, v1_resume_by_path);
	else
		v1_op_error(op, r);
}

/* Is any per-turn setting given? */
static int
v1_overrides(const struct turn_args *a)
{
	return (a->cwd != NULL || a->model != NULL ||
	    a->approval_policy != NULL || a->sandbox != NULL ||
	    a->reasoning_effort != NULL);
}

/* One input item {type, data: {key: value}}, added to items. */
static void
v1_item(json_object *items, const char *type, const char *key,
    const char *value)
{
	json_object	*item, *data;

	data = json_object_new_object();
	json_set_str(data, key, value);
	item = json_object_new_object();
	json_set_str(item, "type", type);
	json_object_object_add(item, "data", data);
	json_object_array_add(items, item);
}

/* The turn's input items: the prompt, then each image. */
static json_object *
v1_items(const struct turn_args *a)
{
	json_object	*items = json_object_new_array();
	size_t		 i;

	v1_item(items, "text", "text", a->prompt);
	for (i = 0; i < a->nimages; i++) {
		if (strncmp(a->images[i], "data:", 5) == 0)
			v1_item(items, "image", "image_url", a->images[i]);
		else
			v1_item(items, "localImage", "path", a->images[i]);
	}
	return (items);
}

/*
 * Start a turn: sendUserMessage keeps the conversation's settings;
 * sendUserTurn, needed to change them or to restore them after a resume,
 * wants all of them, so the ones not given come from the rollout's last
 * turn context.
 */
static void
v1_turn_start(struct upstream *up, const char *id, const struct turn_args *a,
    dialect_cb cb, void *arg)
{
	json_object	*p = json_object_new_object(), *ctx, *sp;
	const char	*path, *tag;

	json_set_str(p, "conversationId", id);
	json_object_object_add(p, "items", v1_items(a));
	ctx = dialect_restore_take(id);
	if (ctx == NULL && !v1_overrides(a)) {
		dialect_request(&dialect_v1, up, "sendUserMessage", p, NULL, cb,
		    arg);
		return;
	}
	if (ctx == NULL && ((path = v1_path(id)) == NULL ||
	    (ctx = rollout_context(path)) == NULL)) {
		json_object_put(p);
		dialect_fail(cb, arg, CERR_OTHER, "cannot find the "
		    "conversation's current settings to change them");
		return;
	}
	json_set_str(p, "cwd", a->cwd != NULL ? a->cwd : json_str(ctx, "cwd"));
	json_set_str(p, "model", a->model != NULL ? a->model :
	    json_str(ctx, "model"));
	json_set_str(p, "approvalPolicy", a->approval_policy != NULL ?
	    a->approval_policy : json_str(ctx, "approval_policy"));
	json_set_str(p, "effort", a->reasoning_effort != NULL ?
	    a->reasoning_effort : json_str(ctx, "effort"));
	json_set_str(p, "summary", json_str(ctx, "summary") != NULL ?
	    json_str(ctx, "summary") : "auto");
	if (a->sandbox != NULL) {
		/* The same tag the release used in its own rollout. */
		sp = json_obj(ctx, "sandbox_policy");
		tag = json_obj(sp, "mode") != NULL ? "mode" : "type";
		sp = json_object_new_object();
		json_set_str(sp, tag, a->sandbox);
		json_object_object_add(p, "sandboxPolicy", sp);
	} else
		json_set_copy(p, "sandboxPolicy", json_obj(ctx,
		    "sandbox_policy"));
	json_object_put(ctx);
	dialect_request(&dialect_v1, up, "sendUserTurn", p, NULL, cb, arg);
}

/* interruptConversation (v1 has no turn ids to name). */
static void
v1_turn_interrupt(struct upstream *up, const char *id, const char *turn_id,
    dialect_cb cb, void *arg)
{
	json_object	*p = json_object_new_object();

	json_set_str(p, "conversationId", id);
	dialect_request(&dialect_v1, up, "interruptConversation", p, NULL, cb,
	    arg);
}

/* A command given as an argument array, as one shell line (static storage). */
static const char *
v1_join(json_object *argv)
{
	static char	 line[2048];
	json_object	*arg;
	const char	*s, *p;
	size_t		 i, n, used = 0;
	int		 plain;

	if (json_object_is_type(argv, json_type_string))
		return (json_object_get_string(argv));
	if (!json_object_is_type(argv, json_type_array))
		return (NULL);
	line[0] = '\0';
	n = json_object_array_length(argv);
	for (i = 0; i < n && used + 4 < sizeof line; i++) {
		arg = json_object_array_get_idx(argv, i);
		if (!json_object_is_type(arg, json_type_string))
			return (NULL);
		s = json_object_get_string(arg);
		plain = *s != '\0' && s[strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789_./=:,+%@-")] == '\0';
		if (i > 0)
			line[used++] = ' ';
		if (!plain)
			line[used++] = '\'';
		for (p = s; *p != '\0' && used + 5 < sizeof line; p++) {
			if (*p == '\'' && !plain) {
				memcpy(line + used, "'\\''", 4);
				used += 4;
			} else
				line[used++] = *p;
		}
		/* Cut short inside a character: leave all of it out. */
		if (*p != '\0')
			used -= (p - s) - utf8_cut(s, strlen(s), p - s);
		if (!plain)
			line[used++] = '\'';
		line[used] = '\0';
	}
	return (line);
}

/* Free one running turn's record. */
static void
v1_free_turn(struct lh_entry *e)
{
	struct v1_turn	*vt = lh_entry_v(e);

	free((char *)lh_entry_k(e));
	free(vt->error);
	free(vt);
}

/*
 * Note what a turn on conversation id said: it started (fresh), said some
 * text, or reported error.
 */
static void
v1_turn_note(const char *id, const char *error, int text, int fresh)
{
	struct v1_turn	*vt;
	void		*v;

	if (id == NULL)
		return;
	if (v1_turns == NULL)
		v1_turns = lh_kchar_table_new(16, v1_free_turn);
	if (fresh)
		lh_table_delete(v1_turns, id);
	if (lh_table_lookup_ex(v1_turns, id, &v))
		vt = v;
	else {
		vt = xcalloc(1, sizeof *vt);
		lh_table_insert(v1_turns, xstrdup(id), vt);
	}
	if (error != NULL) {
		free(vt->error);
		vt->error = xstrdup(error);
	}
	vt->text |= text;
}

/*
 * The turn on conversation id completed: its error if it failed (an error
 * and no text), else NULL. The record stays until the next turn starts.
 */
static const char *
v1_turn_failure(const char *id)
{
	struct v1_turn	*vt;
	void		*v;

	if (id == NULL || v1_turns == NULL ||
	    !lh_table_lookup_ex(v1_turns, id, &v))
		return (NULL);
	vt = v;
	return (vt->text ? NULL : vt->error);
}

/* Turn a codex/event notification into a normalized event. */
static int
v1_event(const char *method, json_object *params, struct cevent *ev)
{
	json_object	*msg = json_obj(params, "msg");
	const char	*type;

	memset(ev, 0, sizeof *ev);
	if (strncmp(method, "codex/event/", 12) != 0 ||
	    (type = json_str(msg, "type")) == NULL)
		return (0);
	ev->thread_id = json_str(params, "conversationId");
	ev->turn_id = json_str(params, "id");
	if (ev->turn_id != NULL && *ev->turn_id == '\0')
		ev->turn_id = NULL;
	if (strcmp(type, "task_started") == 0) {
		ev->type = CEV_TURN_STARTED;
		v1_turn_note(ev->thread_id, NULL, 0, 1);
	} else if (strcmp(type, "agent_message_delta") == 0) {
		ev->type = CEV_TEXT_DELTA;
		ev->text = json_str(msg, "delta");
	} else if (strcmp(type, "agent_message") == 0) {
		ev->type = CEV_AGENT_MESSAGE;
		ev->text = json_str(msg, "message");
	} else if (strcmp(type, "exec_command_begin") == 0) {
		ev->type = CEV_COMMAND_BEGIN;
		ev->text = v1_join(json_obj(msg, "command"));
	} else if (strcmp(type, "exec_command_end") == 0) {
		ev->type = CEV_COMMAND_END;
		ev->text = v1_join(json_obj(msg, "command"));
	} else if (strcmp(type, "task_complete") == 0) {
		ev->type = CEV_TURN_COMPLETED;
		ev->status = TURN_COMPLETED;
		if ((ev->text = v1_turn_failure(ev->thread_id)) != NULL)
			ev->status = TURN_FAILED;
	} else if (strcmp(type, "turn_aborted") == 0) {
		ev->type = CEV_TURN_COMPLETED;
		ev->status = TURN_INTERRUPTED;
	} else if (strcmp(type, "error") == 0) {
		ev->type = CEV_ERROR;
		ev->text = json_str(msg, "message");
		v1_turn_note(ev->thread_id, ev->text, 0, 0);
	} else if (strcmp(type, "stream_error") == 0) {
		ev->type = CEV_ERROR;
		ev->text = json_str(msg, "message");
		ev->will_retry = 1;
	} else if (strcmp(type, "warning") == 0) {
		ev->type = CEV_WARNING;
		ev->text = json_str(msg, "message");
	} else
		return (0);
	/* Text events without their text are of no use. */
	if (ev->text == NULL && (ev->type == CEV_TEXT_DELTA ||
	    ev->type == CEV_AGENT_MESSAGE || ev->type == CEV_WARNING))
		return (0);
	if (ev->type == CEV_TEXT_DELTA || ev->type == CEV_AGENT_MESSAGE)
		v1_turn_note(ev->thread_id, NULL, 1, 0);
	return (1);
}

/* Read execCommandApproval or applyPatchApproval. */
static int
v1_approval(const char *method, json_object *params, struct approval *ap)
{
	memset(ap, 0, sizeof *ap);
	ap->method = method;
	ap->thread_id = json_str(params, "conversationId");
	ap->cwd = json_str(params, "cwd");
	ap->reason = json_str(params, "reason");
	if (strcmp(method, "execCommandApproval") == 0) {
		ap->kind = APPROVAL_COMMAND;
		ap->command = v1_join(json_obj(params, "command"));
		return (1);
	}
	if (strcmp(method, "applyPatchApproval") == 0) {
		ap->kind = APPROVAL_PATCH;
		return (1);
	}
	return (0);
}

/* The v1 answer to an approval. */
static json_object *
v1_approval_answer(enum approval_decision d)
{
	static const char	*words[] = {
		"approved", "approved_for_session", "denied", "abort"
	};
	json_object		*r = json_object_new_object();

	json_set_str(r, "decision", words[d]);
	return (r);
}

/* listConversations (v1 has no filters: the caller applies them). */
static void
v1_list(struct upstream *up, const struct list_args *la, dialect_list_cb cb,
    void *arg)
{
	struct v1_op	*op;
	json_object	*p;
	struct cerror	 e = { CERR_UNSUPPORTED, "this codex release "
			    "(app-server API v1) cannot list archived "
			    "conversations" };

	if (la->archived) {
		cb(arg, NULL, &e);
		return;
	}
	op = v1_op_new(up, NULL);
	op->list_cb = cb;
	op->arg = arg;
	p = json_object_new_object();
	json_object_object_add(p, "pageSize", json_object_new_int(la->limit));
	json_set_str(p, "cursor", la->cursor);
	/* Without it, 0.77 lists the current provider's only. */
	if (la->providers != NULL)
		json_set_copy(p, "modelProviders", la->providers);
	else
		json_object_object_add(p, "modelProviders",
		    json_object_new_array());
	v1_request(op, "listConversations", p, v1_listed);
}

/* listConversations answered: normalize. */
static void
v1_listed(void *arg, const struct upstream_reply *r)
{
	struct v1_op		*op = arg;
	struct thread_list	 l;
	struct thread_info	*t;
	json_object		*items, *it;
	const char		*path, *cwd;
	char			*found = NULL;
	size_t			 i, n;

	if ((items = v1_list_items(op, r)) == NULL)
		return;
	memset(&l, 0, sizeof l);
	n = json_object_array_length(items);
	for (i = 0; i < n; i++) {
		it = json_object_array_get_idx(items, i);
		path = json_str(it, "path");
		v1_remember(json_str(it, "conversationId"), path);
		/* 0.50 does not say where a conversation ran. */
		if ((cwd = json_str(it, "cwd")) == NULL && path != NULL)
			cwd = found = rollout_cwd(path);
		t = thread_list_add(&l, json_str(it, "conversationId"),
		    json_str(it, "preview"), cwd, json_str(it, "timestamp"),
		    NULL, json_str(it, "modelProvider"), path != NULL ?
		    dialect_archived_path(path) : -1);
		if (t != NULL)
			t->source = xstrdup_null(json_str(it, "source"));
		free(found);
		found = NULL;
	}
	l.next_cursor = n > 0 ? xstrdup_null(json_str(r->result,
	    "nextCursor")) : NULL;
	op->list_cb(op->arg, &l, NULL);
	thread_list_free(&l);
	v1_op_free(op);
}

/* archiveConversation needs the rollout path: find it first. */
static void
v1_archive(struct upstream *up, const char *id, int unarchive, dialect_cb cb,
    void *arg)
{
	struct v1_op	*op;

	if (unarchive) {
		dialect_fail(cb, arg, CERR_UNSUPPORTED, "this codex release "
		    "(app-server API v1) cannot unarchive conversations");
		return;
	}
	op = v1_op_new(up, id);
	op->cb = cb;
	op->arg = arg;
	v1_locate(op, v1_archive_path);
}

/* archiveConversation {conversationId, rolloutPath}. */
static void
v1_archive_path(struct v1_op *op, const char *path)
{
	json_object	*p = json_object_new_object();

	json_set_str(p, "conversationId", op->id);
	json_set_str(p, "rolloutPath", path);
	v1_request(op, "archiveConversation", p, v1_archived);
}

/* archiveConversation answered; the rollout has moved. */
static void
v1_archived(void *arg, const struct upstream_reply *r)
{
	struct v1_op	*op = arg;

	if (r->result == NULL) {
		v1_op_error(op, r);
		return;
	}
	if (v1_paths != NULL)
		lh_table_delete(v1_paths, op->id);
	op->cb(op->arg, NULL, NULL);
	v1_op_free(op);
}

/* A conversation's turns, from its rollout. */
static void
v1_read(struct upstream *up, const char *id, dialect_read_cb cb, void *arg)
{
	struct v1_op	*op = v1_op_new(up, id);

	op->read_cb = cb;
	op->arg = arg;
	v1_locate(op, v1_read_path);
}

/* Read the turns out of the rollout at path. */
static void
v1_read_path(struct v1_op *op, const char *path)
{
	struct thread_turns	tt;

	memset(&tt, 0, sizeof tt);
	if (rollout_turns(path, &tt) == -1) {
		v1_op_fail(op, CERR_OTHER,
		    "cannot read the conversation's rollout file");
		return;
	}
	tt.thread_id = xstrdup(op->id);
	op->read_cb(op->arg, &tt, NULL);
	thread_turns_free(&tt);
	v1_op_free(op);
}

/* What v1 cannot do of what a turn asks, or NULL. */
static const char *
v1_refuse(const struct turn_args *a)
{
	if (a->output_schema != NULL)
		return ("this codex release (app-server API v1) cannot hold "
		    "its answer to output-schema");
	return (NULL);
}

/* What kind of error the app-server's reply is. */
static enum cerror_kind
v1_error_kind(const struct upstream_reply *r)
{
	enum cerror_kind	kind = dialect_common_kind(r);

	if (kind != CERR_OTHER || r->message == NULL)
		return (kind);
	if (strstr(r->message, "not found") != NULL)
		return (CERR_NOT_FOUND);
	return (CERR_OTHER);
}

/*
 * The app-server process went: its turns are over. At exit, also forget
 * where the rollouts are.
 */
static void
v1_reset(int exiting)
{
	if (v1_turns != NULL)
		lh_table_free(v1_turns);
	v1_turns = NULL;
	if (exiting && v1_paths != NULL) {
		lh_table_free(v1_paths);
		v1_paths = NULL;
	}
}

const struct dialect dialect_v1 = {
	"v1",
	v1_thread_start,
	v1_thread_resume,
	v1_turn_start,
	v1_turn_interrupt,
	v1_list,
	v1_archive,
	v1_read,
	v1_event,
	NULL,
	v1_approval,
	v1_approval_answer,
	v1_error_kind,
	v1_reset,
	v1_refuse,
	NULL,
	NULL,
	NULL
};
