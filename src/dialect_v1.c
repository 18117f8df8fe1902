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
	const struct turn_args	*args;		/* borrowed, for start only */
	dialect_cb		 cb;
	dialect_json_cb		 json_cb;
	void			*arg;
	v1_then			 then;		/* once the rollout is found */
	int			 by_path;
	struct list_args	 la;		/* list filters, borrowing: */
	char			*cwd;
	char			*search;
};

static struct lh_table	*v1_paths;	/* conversation id -> rollout path */

static void	 v1_free_entry(struct lh_entry *);

static struct v1_op *v1_op_new(struct upstream *, const char *, dialect_cb,
		     dialect_json_cb, void *);
static void	 v1_op_free(struct v1_op *);
static void	 v1_op_fail(struct v1_op *, const struct upstream_reply *);
static void	 v1_op_failed(struct v1_op *, int, const char *);
static void	 v1_remember(const char *, const char *);
static const char *v1_path(const char *);
static void	 v1_locate(struct v1_op *, v1_then);
static void	 v1_locate_page(struct v1_op *, const char *);
static void	 v1_located(void *, const struct upstream_reply *);
static void	 v1_listen(struct v1_op *);
static void	 v1_created(void *, const struct upstream_reply *);
static void	 v1_listening(void *, const struct upstream_reply *);
static void	 v1_resume_by_path(struct v1_op *, const char *);
static void	 v1_resumed(void *, const struct upstream_reply *);
static json_object *v1_items(const char *);
static void	 v1_listed(void *, const struct upstream_reply *);
static void	 v1_archive_path(struct v1_op *, const char *);
static void	 v1_archived(void *, const struct upstream_reply *);
static void	 v1_read_path(struct v1_op *, const char *);
static const char *v1_join(json_object *);

/* A new chained operation on conversation id. */
static struct v1_op *
v1_op_new(struct upstream *up, const char *id, dialect_cb cb,
    dialect_json_cb json_cb, void *arg)
{
	struct v1_op	*op;

	op = xcalloc(1, sizeof *op);
	op->up = up;
	op->id = id != NULL ? xstrdup(id) : NULL;
	op->cb = cb;
	op->json_cb = json_cb;
	op->arg = arg;
	return (op);
}

/* Free an operation. */
static void
v1_op_free(struct v1_op *op)
{
	free(op->id);
	free(op->cwd);
	free(op->search);
	free(op);
}

/* End an operation with an upstream error. */
static void
v1_op_fail(struct v1_op *op, const struct upstream_reply *r)
{
	if (op->cb != NULL)
		op->cb(op->arg, NULL, r);
	else
		op->json_cb(op->arg, NULL, r);
	v1_op_free(op);
}

/* End an operation with an error of our own. */
static void
v1_op_failed(struct v1_op *op, int code, const char *message)
{
	struct upstream_reply	r;

	memset(&r, 0, sizeof r);
	r.code = code;
	r.message = message;
	v1_op_fail(op, &r);
}

/* Send a request for op; if the app-server is gone, fail op. */
static void
v1_request(struct v1_op *op, const char *method, json_object *params,
    upstream_cb cb)
{
	if (upstream_request(op->up, method, params, cb, op) != 0)
		v1_op_failed(op, RPC_UPSTREAM_GONE,
		    "the codex app-server is not running");
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

/* Forget every rollout path (at exit). */
void
dialect_v1_free(void)
{
	if (v1_paths == NULL)
		return;
	lh_table_free(v1_paths);
	v1_paths = NULL;
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

/* A page of conversations: remember their paths, go on or give up. */
static void
v1_located(void *arg, const struct upstream_reply *r)
{
	struct v1_op	*op = arg;
	json_object	*items, *it;
	const char	*path, *next;
	char		*why;
	size_t		 i, n;

	if (r->result == NULL) {
		v1_op_fail(op, r);
		return;
	}
	items = json_obj(r->result, "items");
	n = items != NULL ? json_object_array_length(items) : 0;
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
	v1_op_failed(op, RPC_INVALID_REQUEST, why);
	free(why);
}

/* newConversation with the codex tool's settings, then listen. */
static void
v1_thread_start(struct upstream *up, const struct turn_args *a, dialect_cb cb,
    void *arg)
{
	struct v1_op	*op = v1_op_new(up, NULL, cb, NULL, arg);
	json_object	*p = json_object_new_object(), *config = NULL;

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
		v1_op_fail(op, r);
		return;
	}
	if ((id = json_str(r->result, "conversationId")) == NULL) {
		v1_op_failed(op, RPC_INTERNAL_ERROR,
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
		v1_op_fail(op, r);
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
	struct v1_op	*op = v1_op_new(up, id, cb, NULL, arg);
	json_object	*p;

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

/* resumeConversation answered. */
static void
v1_resumed(void *arg, const struct upstream_reply *r)
{
	struct v1_op	*op = arg;

	if (r->result != NULL) {
		v1_remember(op->id, json_str(r->result, "rolloutPath"));
		dialect_restore_set(op->id, v1_path(op->id));
		v1_listen(op);
	} else if (!op->by_path && dialect_unknown_method(r))
		v1_locate(op, v1_resume_by_path);
	else
		v1_op_fail(op, r);
}

/* Is any per-turn setting given? */
static int
v1_overrides(const struct turn_args *a)
{
	return (a->cwd != NULL || a->model != NULL ||
	    a->approval_policy != NULL || a->sandbox != NULL ||
	    a->reasoning_effort != NULL);
}

/* One text input item. */
static json_object *
v1_items(const char *text)
{
	json_object	*items, *item, *data;

	data = json_object_new_object();
	json_set_str(data, "text", text);
	item = json_object_new_object();
	json_set_str(item, "type", "text");
	json_object_object_add(item, "data", data);
	items = json_object_new_array();
	json_object_array_add(items, item);
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
	json_object_object_add(p, "items", v1_items(a->prompt));
	ctx = dialect_restore_take(id);
	if (ctx == NULL && !v1_overrides(a)) {
		dialect_send(up, "sendUserMessage", p, NULL, cb, arg);
		return;
	}
	if (ctx == NULL && ((path = v1_path(id)) == NULL ||
	    (ctx = rollout_context(path)) == NULL)) {
		json_object_put(p);
		dialect_fail(cb, arg, RPC_INTERNAL_ERROR, "cannot find the "
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
	dialect_send(up, "sendUserTurn", p, NULL, cb, arg);
}

/* interruptConversation (v1 has no turn ids to name). */
static void
v1_turn_interrupt(struct upstream *up, const char *id, const char *turn_id,
    dialect_cb cb, void *arg)
{
	json_object	*p = json_object_new_object();

	json_set_str(p, "conversationId", id);
	dialect_send(up, "interruptConversation", p, NULL, cb, arg);
}

/* A command given as an argument array, as one shell line (static storage). */
static const char *
v1_join(json_object *argv)
{
	static char	 line[2048];
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
		s = json_object_get_string(json_object_array_get_idx(argv, i));
		if (s == NULL)
			s = "";
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
		if (!plain)
			line[used++] = '\'';
		line[used] = '\0';
	}
	return (line);
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
	if (strcmp(type, "task_started") == 0)
		ev->type = CEV_TURN_STARTED;
	else if (strcmp(type, "agent_message_delta") == 0) {
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
	} else if (strcmp(type, "turn_aborted") == 0) {
		ev->type = CEV_TURN_COMPLETED;
		ev->status = TURN_INTERRUPTED;
	} else if (strcmp(type, "error") == 0) {
		ev->type = CEV_ERROR;
		ev->text = json_str(msg, "message");
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
v1_approval_answer(const struct approval *ap, enum approval_decision d)
{
	json_object	*r = json_object_new_object();
	const char	*s;

	switch (d) {
	case DECISION_ACCEPT:
		s = "approved";
		break;
	case DECISION_ACCEPT_SESSION:
		s = "approved_for_session";
		break;
	case DECISION_CANCEL:
		s = "abort";
		break;
	default:
		s = "denied";
		break;
	}
	json_set_str(r, "decision", s);
	return (r);
}

/* listConversations (v1 has no filters: the proxy applies them). */
static void
v1_list(struct upstream *up, const struct list_args *la, dialect_json_cb cb,
    void *arg)
{
	struct v1_op	*op;
	json_object	*p;

	if (la->archived) {
		dialect_json_fail(cb, arg, RPC_INVALID_REQUEST, "this codex "
		    "release (app-server API v1) cannot list archived "
		    "conversations");
		return;
	}
	op = v1_op_new(up, NULL, NULL, cb, arg);
	op->la = *la;
	op->la.cwd = op->cwd = la->cwd != NULL ? xstrdup(la->cwd) : NULL;
	op->la.search = op->search = la->search != NULL ?
	    xstrdup(la->search) : NULL;
	op->la.cursor = NULL;
	p = json_object_new_object();
	json_object_object_add(p, "pageSize", json_object_new_int(la->limit));
	json_set_str(p, "cursor", la->cursor);
	v1_request(op, "listConversations", p, v1_listed);
}

/* listConversations answered: normalize and filter. */
static void
v1_listed(void *arg, const struct upstream_reply *r)
{
	struct v1_op	*op = arg;
	json_object	*items, *it, *list, *result;
	const char	*path, *cwd;
	char		*found = NULL;
	size_t		 i, n;

	if (r->result == NULL) {
		v1_op_fail(op, r);
		return;
	}
	items = json_obj(r->result, "items");
	n = items != NULL ? json_object_array_length(items) : 0;
	list = json_object_new_array();
	for (i = 0; i < n; i++) {
		it = json_object_array_get_idx(items, i);
		path = json_str(it, "path");
		v1_remember(json_str(it, "conversationId"), path);
		/* 0.50 does not say where a conversation ran. */
		if ((cwd = json_str(it, "cwd")) == NULL && path != NULL)
			cwd = found = rollout_cwd(path);
		dialect_list_add(list, &op->la, json_str(it, "conversationId"),
		    json_str(it, "preview"), cwd, json_str(it, "timestamp"),
		    NULL, json_str(it, "modelProvider"), path);
		free(found);
		found = NULL;
	}
	result = dialect_list_result(list, n > 0 ?
	    json_str(r->result, "nextCursor") : NULL);
	op->json_cb(op->arg, result, NULL);
	json_object_put(result);
	v1_op_free(op);
}

/* archiveConversation needs the rollout path: find it first. */
static void
v1_archive(struct upstream *up, const char *id, int unarchive, dialect_cb cb,
    void *arg)
{
	if (unarchive) {
		dialect_fail(cb, arg, RPC_INVALID_REQUEST, "this codex release "
		    "(app-server API v1) cannot unarchive conversations");
		return;
	}
	v1_locate(v1_op_new(up, id, cb, NULL, arg), v1_archive_path);
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
		v1_op_fail(op, r);
		return;
	}
	if (v1_paths != NULL)
		lh_table_delete(v1_paths, op->id);
	op->cb(op->arg, NULL, NULL);
	v1_op_free(op);
}

/* A conversation's turns, from its rollout. */
static void
v1_read(struct upstream *up, const char *id, dialect_json_cb cb, void *arg)
{
	v1_locate(v1_op_new(up, id, NULL, cb, arg), v1_read_path);
}

/* Read the turns out of the rollout at path. */
static void
v1_read_path(struct v1_op *op, const char *path)
{
	json_object	*turns, *result;

	if ((turns = rollout_turns(path)) == NULL) {
		v1_op_failed(op, RPC_INTERNAL_ERROR,
		    "cannot read the conversation's rollout file");
		return;
	}
	result = json_object_new_object();
	json_set_str(result, "threadId", op->id);
	json_object_object_add(result, "turns", turns);
	op->json_cb(op->arg, result, NULL);
	json_object_put(result);
	v1_op_free(op);
}

const struct dialect dialect_v1 = {
	"v1",
	v1_thread_start,
	v1_thread_resume,
	v1_turn_start,
	v1_turn_interrupt,
	v1_event,
	v1_approval,
	v1_approval_answer,
	v1_list,
	v1_archive,
	v1_read
};
