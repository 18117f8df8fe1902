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
 * The v2 app-server API (codex 0.77 and later): thread/start, thread/resume,
 * turn/start and turn/interrupt, and the item and turn notifications that
 * the bridge needs, turned into normalized events. On 0.77 the same turns
 * also produce codex/event notifications; those belong to the v1 dialect
 * and are ignored here, so nothing is counted twice. 0.77 asks to approve
 * a command without repeating it: the command comes from the item/started
 * that began it.
 *
 * Releases from 0.169 on (told apart by the probe: their thread/list has a
 * backwardsCursor) take more in turn/start (an output schema, the client's
 * message id) and in thread/list (sources, the state database); 0.171 also
 * looks threads up by id.
 */

#include <stdlib.h>
#include <string.h>

#include "proxy.h"

#define V2_COMMANDS_MAX	64	/* commands begun that approvals may name */

struct v2_op {
	dialect_cb		 cb;
	void			*arg;
};

struct v2_list {
	int			 archived;	/* asked for archived ones */
	json_object		*ids;		/* threadIds asked for, or NULL */
	struct upstream		*up;
	struct thread_list	 found;		/* ...looked up one by one */
	size_t			 next;
	dialect_list_cb		 cb;
	void			*arg;
};

struct v2_read {
	char			*thread_id;
	struct upstream		*up;		/* NULL once it fell back */
	dialect_read_cb		 cb;
	void			*arg;
};

struct v2_models {
	dialect_models_cb	 done;
};

/* A command item that began, for the approval that may follow it. */
struct v2_command {
	char			*item_id;
	char			*command;
	char			*cwd;
	TAILQ_ENTRY(v2_command)	 entry;
};
static TAILQ_HEAD(, v2_command) v2_commands =
    TAILQ_HEAD_INITIALIZER(v2_commands);
static u_int			 v2_ncommands;
static int			 v2_current;	/* 0.169 and later */

/* Every source kind thread/list knows: all of them unless narrowed. */
static const char		*v2_source_kinds[] = {
	"cli", "vscode", "exec", "appServer", "subAgent", "subAgentReview",
	"subAgentCompact", "subAgentThreadSpawn", "subAgentOther", "unknown"
};

/* The strings of the last text delta read without a tree. */
static char			*v2_delta_text;
static size_t			 v2_delta_size;

#define V2_DELTA		"item/agentMessage/delta"

static json_object *v2_config(const struct turn_args *);
static json_object *v2_input(const struct turn_args *);
static json_object *v2_strings(const char **, size_t);
static const char *v2_source(json_object *);
static enum message_phase v2_phase(const char *);
static const char *v2_hidden(json_object *);
static const char *v2_sandbox_policy(const char *);
static void	 v2_resumed(void *, const struct upstream_reply *);
static int	 v2_settings_differ(json_object *, json_object *);
static void	 v2_restore(json_object *, const struct turn_args *,
		     json_object *);
static void	 v2_listed(void *, const struct upstream_reply *);
static void	 v2_list_add(struct thread_list *, json_object *, size_t *,
		     char **);
static int	 v2_list_ignored(struct v2_list *, json_object *);
static void	 v2_lookup(struct v2_list *);
static void	 v2_looked_up(void *, const struct upstream_reply *);
static void	 v2_list_free(struct v2_list *);
static void	 v2_archived(void *, const struct upstream_reply *);
static void	 v2_thread_unsubscribe(struct upstream *, const char *);
static void	 v2_unsubscribed(void *, const struct upstream_reply *);
static void	 v2_read_reply(void *, const struct upstream_reply *);
static void	 v2_read_turns(struct v2_read *, json_object *);
static void	 v2_command_begun(json_object *);
static void	 v2_command_ended(const char *);
static struct v2_command *v2_command_find(const char *);
static void	 v2_command_free(struct v2_command *);
static const char *v2_delta_string(const struct jscan_want *, char **);

/* The config overrides: the caller's, plus what has no field of its own. */
static json_object *
v2_config(const struct turn_args *a)
{
	json_object	*config = NULL;

	if (a->config == NULL && a->profile == NULL &&
	    a->compact_prompt == NULL && a->reasoning_effort == NULL)
		return (NULL);
	if (a->config == NULL || json_object_deep_copy(a->config, &config,
	    NULL) != 0)
		config = json_object_new_object();
	json_set_str(config, "profile", a->profile);
	json_set_str(config, "compact_prompt", a->compact_prompt);
	json_set_str(config, "model_reasoning_effort", a->reasoning_effort);
	return (config);
}

/* The turn/start sandboxPolicy type for a sandbox mode. */
static const char *
v2_sandbox_policy(const char *mode)
{
	if (strcmp(mode, "read-only") == 0)
		return ("readOnly");
	if (strcmp(mode, "workspace-write") == 0)
		return ("workspaceWrite");
	if (strcmp(mode, "danger-full-access") == 0)
		return ("dangerFullAccess");
	return (mode);
}

/* thread/start with the codex tool's settings. */
static void
v2_thread_start(struct upstream *up, const struct turn_args *a, dialect_cb cb,
    void *arg)
{
	json_object	*p = json_object_new_object(), *config;

	json_set_str(p, "cwd", a->cwd);
	json_set_str(p, "model", a->model);
	json_set_str(p, "approvalPolicy", a->approval_policy);
	json_set_str(p, "sandbox", a->sandbox);
	json_set_str(p, "baseInstructions", a->base_instructions);
	json_set_str(p, "developerInstructions", a->developer_instructions);
	if ((config = v2_config(a)) != NULL)
		json_object_object_add(p, "config", config);
	dialect_request_traced(&dialect_v2, up, "thread/start", p,
	    "thread.id", a->traceparent, cb, arg);
}

/*
 * Send method {threadId} (traced if traceparent is not NULL) for cb and
 * arg; done gets the reply.
 */
static void
v2_thread_op(struct upstream *up, const char *method, const char *thread_id,
    const char *traceparent, upstream_cb done, dialect_cb cb, void *arg)
{
	struct v2_op	*op;
	json_object	*p = json_object_new_object();

	op = xcalloc(1, sizeof *op);
	op->cb = cb;
	op->arg = arg;
	json_set_str(p, "threadId", thread_id);
	dialect_send_traced(up, method, p, traceparent, done, op);
}

/* thread/resume: load a conversation from its rollout. */
static void
v2_thread_resume(struct upstream *up, const char *thread_id,
    const struct turn_args *a, dialect_cb cb, void *arg)
{
	v2_thread_op(up, "thread/resume", thread_id, a->traceparent,
	    v2_resumed, cb, arg);
}

/*
 * Do the settings a resume reported differ from the last ones the rollout
 * recorded? (Releases before 0.169 resume with their defaults.)
 */
static int
v2_settings_differ(json_object *result, json_object *ctx)
{
	const char	*a, *b;

	if (ctx == NULL)
		return (0);
	a = json_str(result, "cwd");
	b = json_str(ctx, "cwd");
	if (a != NULL && b != NULL && strcmp(a, b) != 0)
		return (1);
	a = json_str(result, "approvalPolicy");
	b = json_str(ctx, "approval_policy");
	if (a != NULL && b != NULL && strcmp(a, b) != 0)
		return (1);
	a = json_path_str(result, "sandbox.type");
	b = json_path_str(ctx, "sandbox_policy.type");
	if (a != NULL && b != NULL && strcmp(a, v2_sandbox_policy(b)) != 0)
		return (1);
	a = json_str(result, "model");
	b = json_str(ctx, "model");
	return (a != NULL && b != NULL && strcmp(a, b) != 0);
}

/*
 * thread/resume answered: read the rollout once, and keep its settings for
 * the next turn if the resume did not bring them back.
 */
static void
v2_resumed(void *arg, const struct upstream_reply *r)
{
	struct v2_op	*op = arg;
	json_object	*ctx;
	const char	*id, *path;

	if (r->result == NULL)
		dialect_reply_error(&dialect_v2, op->cb, op->arg, r);
	else if ((id = json_path_str(r->result, "thread.id")) == NULL)
		dialect_fail(op->cb, op->arg, CERR_OTHER,
		    "the app-server's reply has no id");
	else {
		path = json_path_str(r->result, "thread.path");
		ctx = path != NULL ? rollout_context(path) : NULL;
		if (v2_settings_differ(r->result, ctx))
			dialect_restore_set(id, ctx);
		else
			json_object_put(ctx);
		op->cb(op->arg, id, NULL);
	}
	free(op);
}

/* Fill the turn's overrides the caller left out from a turn context. */
static void
v2_restore(json_object *p, const struct turn_args *a, json_object *ctx)
{
	json_object	*sp, *v;
	const char	*type;

	if (a->cwd == NULL)
		json_set_str(p, "cwd", json_str(ctx, "cwd"));
	if (a->model == NULL)
		json_set_str(p, "model", json_str(ctx, "model"));
	if (a->approval_policy == NULL)
		json_set_str(p, "approvalPolicy", json_str(ctx,
		    "approval_policy"));
	if (a->reasoning_effort == NULL)
		json_set_str(p, "effort", json_str(ctx, "effort"));
	if (a->sandbox != NULL ||
	    (type = json_path_str(ctx, "sandbox_policy.type")) == NULL)
		return;
	sp = json_object_new_object();
	json_set_str(sp, "type", v2_sandbox_policy(type));
	if ((v = json_path(ctx, "sandbox_policy.network_access")) != NULL)
		json_set_copy(sp, "networkAccess", v);
	if ((v = json_path(ctx, "sandbox_policy.writable_roots")) != NULL)
		json_set_copy(sp, "writableRoots", v);
	json_object_object_add(p, "sandboxPolicy", sp);
}

/* The turn's input: the prompt, then each image (a path or a data: URL). */
static json_object *
v2_input(const struct turn_args *a)
{
	json_object	*input = json_object_new_array(), *item;
	size_t		 i;

	item = json_object_new_object();
	json_set_str(item, "type", "text");
	json_set_str(item, "text", a->prompt);
	json_object_array_add(input, item);
	for (i = 0; i < a->nimages; i++) {
		item = json_object_new_object();
		if (strncmp(a->images[i], "data:", 5) == 0) {
			json_set_str(item, "type", "image");
			json_set_str(item, "url", a->images[i]);
		} else {
			json_set_str(item, "type", "localImage");
			json_set_str(item, "path", a->images[i]);
		}
		json_object_array_add(input, item);
	}
	return (input);
}

/* turn/start with the prompt and any per-turn overrides. */
static void
v2_turn_start(struct upstream *up, const char *thread_id,
    const struct turn_args *a, dialect_cb cb, void *arg)
{
	json_object	*p = json_object_new_object(), *sp, *ctx;

	json_set_str(p, "threadId", thread_id);
	json_object_object_add(p, "input", v2_input(a));
	json_set_copy(p, "outputSchema", a->output_schema);
	if (v2_current)
		json_set_str(p, "clientUserMessageId", a->message_id);
	json_set_str(p, "cwd", a->cwd);
	json_set_str(p, "model", a->model);
	json_set_str(p, "approvalPolicy", a->approval_policy);
	json_set_str(p, "effort", a->reasoning_effort);
	if (a->sandbox != NULL) {
		sp = json_object_new_object();
		json_set_str(sp, "type", v2_sandbox_policy(a->sandbox));
		json_object_object_add(p, "sandboxPolicy", sp);
	}
	if ((ctx = dialect_restore_take(thread_id)) != NULL) {
		v2_restore(p, a, ctx);
		json_object_put(ctx);
	}
	dialect_request_traced(&dialect_v2, up, "turn/start", p, "turn.id",
	    a->traceparent, cb, arg);
}

/* turn/interrupt for the current turn. */
static void
v2_turn_interrupt(struct upstream *up, const char *thread_id,
    const char *turn_id, dialect_cb cb, void *arg)
{
	json_object	*p = json_object_new_object();

	json_set_str(p, "threadId", thread_id);
	json_set_str(p, "turnId", turn_id);
	dialect_request(&dialect_v2, up, "turn/interrupt", p, NULL, cb, arg);
}

/*
 * thread/unsubscribe: this connection stops holding the thread; codex
 * unloads it, and frees its writer lease, 60 s later (thread/closed).
 */
static void
v2_thread_unsubscribe(struct upstream *up, const char *thread_id)
{
	json_object	*p = json_object_new_object();

	json_set_str(p, "threadId", thread_id);
	dialect_send(up, "thread/unsubscribe", p, v2_unsubscribed, NULL);
}

/* thread/unsubscribe answered: nothing waits for it but the log. */
static void
v2_unsubscribed(void *arg, const struct upstream_reply *r)
{
	if (r->result == NULL)
		log_info("codex did not unsubscribe a thread: %s", r->message);
	else
		log_debug("%s: %s", __func__, json_text(r->result));
}

/* thread/list, with the upstream's own filters where it has them. */
static void
v2_list(struct upstream *up, const struct list_args *la, dialect_list_cb cb,
    void *arg)
{
	struct v2_list	*op;
	json_object	*p = json_object_new_object();

	op = xcalloc(1, sizeof *op);
	op->archived = la->archived;
	op->ids = json_object_get(la->thread_ids);
	op->up = up;
	op->cb = cb;
	op->arg = arg;
	json_object_object_add(p, "limit", json_object_new_int(la->limit));
	json_set_str(p, "cursor", la->cursor);
	json_set_str(p, "cwd", la->cwd);
	json_set_str(p, "searchTerm", la->search);
	if (la->archived)
		json_object_object_add(p, "archived",
		    json_object_new_boolean(1));
	/* Without these, codex lists one provider's interactive threads. */
	if (la->providers != NULL)
		json_set_copy(p, "modelProviders", la->providers);
	else
		json_object_object_add(p, "modelProviders", v2_strings(NULL, 0));
	json_set_copy(p, "includedThreadIds", la->thread_ids);
	if (v2_current) {
		if (la->sources != NULL)
			json_set_copy(p, "sourceKinds", la->sources);
		else
			json_object_object_add(p, "sourceKinds", v2_strings(
			    v2_source_kinds, sizeof v2_source_kinds /
			    sizeof v2_source_kinds[0]));
		json_object_object_add(p, "useStateDbOnly",
		    json_object_new_boolean(1));
	}
	dialect_send(up, "thread/list", p, v2_listed, op);
}

/* A JSON array of n strings. */
static json_object *
v2_strings(const char **s, size_t n)
{
	json_object	*a = json_object_new_array();
	size_t		 i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(s[i]));
	return (a);
}

/* A thread's source in a word: a kind, or the name of a custom one. */
static const char *
v2_source(json_object *source)
{
	struct json_object_iterator	it;

	if (json_object_is_type(source, json_type_string))
		return (json_object_get_string(source));
	if (!json_object_is_type(source, json_type_object) ||
	    json_object_object_length(source) != 1)
		return (NULL);
	if (json_str(source, "custom") != NULL)
		return (json_str(source, "custom"));
	it = json_object_iter_begin(source);
	return (json_object_iter_peek_name(&it));
}

/* Add thread t of a thread/list or thread/read result to l. */
static void
v2_list_add(struct thread_list *l, json_object *t, size_t *archived,
    char **why)
{
	struct thread_info	*ti;
	json_object		*created, *updated;
	const char		*path = json_str(t, "path");
	char			*c, *u;

	*archived += dialect_archived_path(path);
	created = json_typed(t, "createdAt", json_type_int, why);
	updated = json_typed(t, "updatedAt", json_type_int, why);
	c = created != NULL ? dialect_time(json_object_get_int64(created)) :
	    NULL;
	u = updated != NULL ? dialect_time(json_object_get_int64(updated)) :
	    NULL;
	ti = thread_list_add(l, json_str(t, "id"), json_str(t, "preview"),
	    json_str(t, "cwd"), c, u, json_str(t, "modelProvider"),
	    path != NULL ? dialect_archived_path(path) : -1);
	if (ti != NULL)
		ti->source = xstrdup_null(v2_source(json_obj(t, "source")));
	free(c);
	free(u);
}

/*
 * Did the release ignore includedThreadIds (0.169), listing threads not
 * asked for? Then each is looked up by itself.
 */
static int
v2_list_ignored(struct v2_list *op, json_object *data)
{
	const char	*id;
	size_t		 i, j, n;

	if (op->ids == NULL || data == NULL)
		return (0);
	n = json_object_array_length(op->ids);
	for (i = 0; i < json_object_array_length(data); i++) {
		id = json_str(json_object_array_get_idx(data, i), "id");
		for (j = 0; id != NULL && j < n; j++) {
			if (strcmp(id, json_object_get_string(
			    json_object_array_get_idx(op->ids, j))) == 0)
				break;
		}
		if (id != NULL && j == n)
			return (1);
	}
	return (0);
}

/*
 * thread/list answered. 0.77 ignores cwd, searchTerm and archived (the
 * caller filters again); archived ones are told apart by where their
 * rollout is, and a release that lists none when asked for them cannot.
 * A release with backwardsCursor searches on its own.
 */
static void
v2_listed(void *arg, const struct upstream_reply *r)
{
	struct v2_list		*op = arg;
	struct thread_list	 l;
	struct cerror		 e;
	json_object		*data;
	char			*why = NULL, *message;
	size_t			 i, n, archived = 0;

	memset(&l, 0, sizeof l);
	if (r->result == NULL) {
		e = dialect_error(&dialect_v2, r);
		op->cb(op->arg, NULL, &e);
		v2_list_free(op);
		return;
	}
	l.searched = json_object_object_get_ex(r->result, "backwardsCursor",
	    NULL);
	data = json_needed(r->result, "data", json_type_array, &why);
	if (v2_list_ignored(op, data)) {
		v2_lookup(op);
		free(why);
		return;
	}
	n = data != NULL ? json_object_array_length(data) : 0;
	for (i = 0; i < n; i++)
		v2_list_add(&l, json_object_array_get_idx(data, i), &archived,
		    &why);
	l.next_cursor = xstrdup_null(json_str(r->result, "nextCursor"));
	if (why != NULL) {
		e.kind = CERR_OTHER;
		e.message = message = dialect_malformed("thread/list", why);
		op->cb(op->arg, NULL, &e);
		free(message);
	} else if (op->archived && n > 0 && archived == 0) {
		e.kind = CERR_UNSUPPORTED;
		e.message = "this codex release cannot list archived "
		    "conversations";
		op->cb(op->arg, NULL, &e);
	} else
		op->cb(op->arg, &l, NULL);
	thread_list_free(&l);
	v2_list_free(op);
}

/* Look the next of the ids up with thread/read; the list once all are. */
static void
v2_lookup(struct v2_list *op)
{
	json_object	*p;

	if (op->next == json_object_array_length(op->ids)) {
		op->cb(op->arg, &op->found, NULL);
		v2_list_free(op);
		return;
	}
	p = json_object_new_object();
	json_set_str(p, "threadId", json_object_get_string(
	    json_object_array_get_idx(op->ids, op->next++)));
	dialect_send(op->up, "thread/read", p, v2_looked_up, op);
}

/* One id looked up: add its thread (an unknown id adds none), go on. */
static void
v2_looked_up(void *arg, const struct upstream_reply *r)
{
	struct v2_list	*op = arg;
	struct cerror	 e;
	json_object	*t;
	char		*why = NULL, *message;
	size_t		 archived = 0;

	if (r->result == NULL && dialect_unknown_method(r)) {
		e.kind = CERR_UNSUPPORTED;
		e.message = "this codex release cannot look conversations up "
		    "by id";
	} else if (r->result == NULL) {
		e = dialect_error(&dialect_v2, r);
		if (e.kind == CERR_NOT_FOUND || e.kind == CERR_NO_ROLLOUT) {
			v2_lookup(op);
			return;
		}
	} else if ((t = json_needed(r->result, "thread", json_type_object,
	    &why)) != NULL) {
		v2_list_add(&op->found, t, &archived, &why);
		if (why == NULL) {
			v2_lookup(op);
			return;
		}
	}
	if (why != NULL) {
		e.kind = CERR_OTHER;
		e.message = message = dialect_malformed("thread/read", why);
		op->cb(op->arg, NULL, &e);
		free(message);
	} else
		op->cb(op->arg, NULL, &e);
	v2_list_free(op);
}

/* Free a list operation. */
static void
v2_list_free(struct v2_list *op)
{
	json_object_put(op->ids);
	thread_list_free(&op->found);
	free(op);
}

/* thread/archive or thread/unarchive. */
static void
v2_archive(struct upstream *up, const char *thread_id, int unarchive,
    dialect_cb cb, void *arg)
{
	v2_thread_op(up, unarchive ? "thread/unarchive" : "thread/archive",
	    thread_id, NULL, v2_archived, cb, arg);
}

/* thread/archive or thread/unarchive answered; 0.77 has no unarchive. */
static void
v2_archived(void *arg, const struct upstream_reply *r)
{
	struct v2_op	*op = arg;

	if (r->result != NULL)
		op->cb(op->arg, NULL, NULL);
	else if (dialect_unknown_method(r))
		dialect_fail(op->cb, op->arg, CERR_UNSUPPORTED,
		    "this codex release cannot do that");
	else
		dialect_reply_error(&dialect_v2, op->cb, op->arg, r);
	free(op);
}

/* A conversation's turns: thread/read, or thread/resume where it is missing. */
static void
v2_read(struct upstream *up, const char *thread_id, dialect_read_cb cb,
    void *arg)
{
	struct v2_read	*op;
	json_object	*p = json_object_new_object();

	op = xcalloc(1, sizeof *op);
	op->thread_id = xstrdup(thread_id);
	op->up = up;
	op->cb = cb;
	op->arg = arg;
	json_set_str(p, "threadId", thread_id);
	json_object_object_add(p, "includeTurns", json_object_new_boolean(1));
	dialect_send(up, "thread/read", p, v2_read_reply, op);
}

/* thread/read (or the fallback thread/resume) answered. */
static void
v2_read_reply(void *arg, const struct upstream_reply *r)
{
	struct v2_read	*op = arg;
	struct upstream	*up = op->up;
	struct cerror	 e;
	json_object	*p;

	if (r->result != NULL)
		v2_read_turns(op, r->result);
	else if (dialect_unknown_method(r) && up != NULL) {
		/* 0.77 has no thread/read; its thread/resume has the turns. */
		op->up = NULL;
		p = json_object_new_object();
		json_set_str(p, "threadId", op->thread_id);
		dialect_send(up, "thread/resume", p, v2_read_reply, op);
		return;
	} else {
		e = dialect_error(&dialect_v2, r);
		op->cb(op->arg, NULL, &e);
	}
	free(op->thread_id);
	free(op);
}

/*
 * Normalize the turns of a thread/read (or thread/resume) result: each user
 * message and the last answer; a result of the wrong shape fails the read.
 */
static void
v2_read_turns(struct v2_read *op, json_object *result)
{
	struct thread_turns	 tt;
	struct cerror		 e;
	json_object		*turns, *items, *item, *content;
	const char		*type, *prompt, *answer;
	char			*why = NULL, *message;
	size_t			 i, j, k;

	memset(&tt, 0, sizeof tt);
	tt.thread_id = xstrdup(op->thread_id);
	turns = json_typed(json_needed(result, "thread", json_type_object,
	    &why), "turns", json_type_array, &why);
	for (i = 0; turns != NULL && i < json_object_array_length(turns); i++) {
		items = json_typed(json_object_array_get_idx(turns, i), "items",
		    json_type_array, &why);
		prompt = answer = NULL;
		for (j = 0; items != NULL &&
		    j < json_object_array_length(items); j++) {
			item = json_object_array_get_idx(items, j);
			if ((type = json_str(item, "type")) == NULL)
				continue;
			if (strcmp(type, "agentMessage") == 0)
				answer = json_str(item, "text");
			if (strcmp(type, "userMessage") != 0 || prompt != NULL)
				continue;
			content = json_typed(item, "content", json_type_array,
			    &why);
			for (k = 0; content != NULL && prompt == NULL &&
			    k < json_object_array_length(content); k++)
				prompt = json_str(json_object_array_get_idx(
				    content, k), "text");
		}
		thread_turns_add(&tt, prompt, answer);
	}
	if (why != NULL) {
		e.kind = CERR_OTHER;
		e.message = message = dialect_malformed(op->up != NULL ?
		    "thread/read" : "thread/resume", why);
		op->cb(op->arg, NULL, &e);
		free(message);
	} else
		op->cb(op->arg, &tt, NULL);
	thread_turns_free(&tt);
}

/* Free a remembered command. */
static void
v2_command_free(struct v2_command *vc)
{
	TAILQ_REMOVE(&v2_commands, vc, entry);
	v2_ncommands--;
	free(vc->item_id);
	free(vc->command);
	free(vc->cwd);
	free(vc);
}

/* The remembered command item with this id, or NULL. */
static struct v2_command *
v2_command_find(const char *item_id)
{
	struct v2_command	*vc;

	TAILQ_FOREACH(vc, &v2_commands, entry) {
		if (item_id != NULL && strcmp(vc->item_id, item_id) == 0)
			return (vc);
	}
	return (NULL);
}

/* A command item began: remember it (the oldest go past a limit). */
static void
v2_command_begun(json_object *item)
{
	struct v2_command	*vc;
	const char		*id = json_str(item, "id");

	if (id == NULL || v2_command_find(id) != NULL)
		return;
	if (v2_ncommands >= V2_COMMANDS_MAX)
		v2_command_free(TAILQ_FIRST(&v2_commands));
	vc = xcalloc(1, sizeof *vc);
	vc->item_id = xstrdup(id);
	vc->command = xstrdup_null(json_str(item, "command"));
	vc->cwd = xstrdup_null(json_str(item, "cwd"));
	TAILQ_INSERT_TAIL(&v2_commands, vc, entry);
	v2_ncommands++;
}

/* A command item ended: no approval can name it any more. */
static void
v2_command_ended(const char *item_id)
{
	struct v2_command	*vc;

	if ((vc = v2_command_find(item_id)) != NULL)
		v2_command_free(vc);
}

/* A message's phase (0.169 and later mark it, for models that do). */
static enum message_phase
v2_phase(const char *phase)
{
	if (phase == NULL)
		return (PHASE_UNKNOWN);
	if (strcmp(phase, "commentary") == 0)
		return (PHASE_COMMENTARY);
	if (strcmp(phase, "partial_answer") == 0)
		return (PHASE_PARTIAL);
	if (strcmp(phase, "final_answer") == 0)
		return (PHASE_FINAL);
	return (PHASE_UNKNOWN);
}

/*
 * Why moderation hid a message ("hide" or "block"), or NULL if it may be
 * shown: 0.171 says display.mode, 0.169 display.action.
 */
static const char *
v2_hidden(json_object *moderation)
{
	const char	*how;

	if ((how = json_path_str(moderation, "display.mode")) == NULL)
		how = json_path_str(moderation, "display.action");
	if (how != NULL && (strcmp(how, "hide") == 0 ||
	    strcmp(how, "block") == 0))
		return (how);
	return (NULL);
}

/* Turn a v2 notification into a normalized event; 0 if it is not one. */
static int
v2_event(const char *method, json_object *params, struct cevent *ev)
{
	json_object	*item;
	const char	*type, *status;

	memset(ev, 0, sizeof *ev);
	ev->thread_id = json_str(params, "threadId");
	ev->turn_id = json_str(params, "turnId");
	if (strcmp(method, V2_DELTA) == 0) {
		ev->type = CEV_TEXT_DELTA;
		ev->text = json_str(params, "delta");
		return (ev->text != NULL);
	}
	if (strcmp(method, "item/started") == 0 ||
	    strcmp(method, "item/completed") == 0) {
		item = json_obj(params, "item");
		if ((type = json_str(item, "type")) == NULL)
			return (0);
		if (strcmp(type, "agentMessage") == 0 &&
		    strcmp(method, "item/completed") == 0) {
			ev->type = CEV_AGENT_MESSAGE;
			ev->text = json_str(item, "text");
			ev->phase = v2_phase(json_str(item, "phase"));
			ev->hidden = v2_hidden(json_obj(item, "moderation"));
			return (ev->text != NULL);
		}
		if (strcmp(type, "commandExecution") == 0) {
			ev->text = json_str(item, "command");
			ev->item_id = json_str(item, "id");
			ev->cwd = json_str(item, "cwd");
			if (strcmp(method, "item/started") == 0) {
				ev->type = CEV_COMMAND_BEGIN;
				v2_command_begun(item);
			} else {
				ev->type = CEV_COMMAND_END;
				v2_command_ended(ev->item_id);
			}
			return (1);
		}
		return (0);
	}
	if (strcmp(method, "turn/started") == 0) {
		ev->type = CEV_TURN_STARTED;
		ev->turn_id = json_path_str(params, "turn.id");
		return (1);
	}
	if (strcmp(method, "turn/completed") == 0) {
		ev->type = CEV_TURN_COMPLETED;
		ev->turn_id = json_path_str(params, "turn.id");
		status = json_path_str(params, "turn.status");
		if (status != NULL && strcmp(status, "interrupted") == 0)
			ev->status = TURN_INTERRUPTED;
		else if (status != NULL && strcmp(status, "failed") == 0)
			ev->status = TURN_FAILED;
		else
			ev->status = TURN_COMPLETED;
		ev->text = json_path_str(params, "turn.error.message");
		return (1);
	}
	if (strcmp(method, "error") == 0) {
		ev->type = CEV_ERROR;
		ev->text = json_path_str(params, "error.message");
		ev->will_retry = json_object_get_boolean(json_typed(params,
		    "willRetry", json_type_boolean, NULL));
		return (1);
	}
	if (strcmp(method, "warning") == 0) {
		ev->type = CEV_WARNING;
		ev->text = json_str(params, "message");
		return (ev->text != NULL);
	}
	return (0);
}

/* A want's string, decoded at *out (moved past it); NULL if absent. */
static const char *
v2_delta_string(const struct jscan_want *w, char **out)
{
	char	*s = *out;

	if (w->seen == 0)
		return (NULL);
	*out += jscan_decode(w->at, w->len, s) + 1;
	return (s);
}

/*
 * The hot path: a text delta read from its line without a json-c tree,
 * into the same event v2_event makes of it. Anything else, or anything
 * the scanner does not vouch for (a duplicate member, a member of another
 * type), gives 0 and goes to the parser.
 */
static int
v2_line_event(const char *line, size_t len, struct cevent *ev)
{
	struct jscan_want	 w[] = {
		{ NULL, "method", 0, 0, NULL, 0, 0 },
		{ NULL, "id", 0, 0, NULL, 0, 0 },
		{ NULL, "params", 0, 0, NULL, 0, 0 },
		{ "params", "delta", 0, 0, NULL, 0, 0 },
		{ "params", "threadId", 0, 0, NULL, 0, 0 },
		{ "params", "turnId", 0, 0, NULL, 0, 0 }
	};
	size_t			 i;
	char			*out;

	/* Cheap first: codex writes the method at the start of each line. */
	if (memmem(line, len, V2_DELTA, sizeof V2_DELTA - 1) == NULL)
		return (0);
	if (jscan(line, len, w, sizeof w / sizeof w[0]) != 0)
		return (0);
	if (w[0].seen != 1 || w[0].type != '"' || w[0].escaped ||
	    w[0].len != sizeof V2_DELTA - 1 ||
	    memcmp(w[0].at, V2_DELTA, w[0].len) != 0)
		return (0);
	if (w[1].seen != 0 || w[2].seen != 1 || w[2].type != '{' ||
	    w[3].seen != 1)
		return (0);
	for (i = 3; i < sizeof w / sizeof w[0]; i++) {
		if (w[i].seen > 1 || (w[i].seen == 1 && w[i].type != '"'))
			return (0);
	}
	if (v2_delta_size < len + 3) {
		v2_delta_size = len + 3;
		v2_delta_text = xrealloc(v2_delta_text, v2_delta_size);
	}
	out = v2_delta_text;
	memset(ev, 0, sizeof *ev);
	ev->type = CEV_TEXT_DELTA;
	ev->text = v2_delta_string(&w[3], &out);
	ev->thread_id = v2_delta_string(&w[4], &out);
	ev->turn_id = v2_delta_string(&w[5], &out);
	return (1);
}

/*
 * Read an approval request; 0 if the method is not one we know. A request
 * without its command (0.77) gets the one its item began with.
 */
static int
v2_approval(const char *method, json_object *params, struct approval *ap)
{
	struct v2_command	*vc;

	memset(ap, 0, sizeof *ap);
	ap->method = method;
	ap->thread_id = json_str(params, "threadId");
	ap->turn_id = json_str(params, "turnId");
	ap->item_id = json_str(params, "itemId");
	ap->cwd = json_str(params, "cwd");
	ap->reason = json_str(params, "reason");
	if (strcmp(method, "item/commandExecution/requestApproval") == 0) {
		ap->kind = APPROVAL_COMMAND;
		ap->command = json_str(params, "command");
		if (ap->command == NULL &&
		    (vc = v2_command_find(ap->item_id)) != NULL) {
			ap->command = vc->command;
			if (ap->cwd == NULL)
				ap->cwd = vc->cwd;
		}
		return (1);
	}
	if (strcmp(method, "item/fileChange/requestApproval") == 0) {
		ap->kind = APPROVAL_PATCH;
		return (1);
	}
	return (0);
}

/* The v2 answer to an approval. */
static json_object *
v2_approval_answer(enum approval_decision d)
{
	static const char	*words[] = {
		"accept", "acceptForSession", "decline", "cancel"
	};
	json_object		*r = json_object_new_object();

	json_set_str(r, "decision", words[d]);
	return (r);
}

/* What kind of error the app-server's reply is. */
static enum cerror_kind
v2_error_kind(const struct upstream_reply *r)
{
	enum cerror_kind	kind = dialect_common_kind(r);

	if (kind != CERR_OTHER || r->message == NULL)
		return (kind);
	if (strstr(r->message, "active writer") != NULL)
		return (CERR_BUSY);
	if (strstr(r->message, " is archived") != NULL)
		return (CERR_ARCHIVED);
	if (strstr(r->message, "not found") != NULL ||
	    strstr(r->message, "not loaded") != NULL)
		return (CERR_NOT_FOUND);
	return (CERR_OTHER);
}

/* What this release cannot do of what a turn asks, or NULL. */
static const char *
v2_refuse(const struct turn_args *a)
{
	if (a->output_schema != NULL && !v2_current)
		return ("this codex release cannot hold its answer to "
		    "output-schema (its turn/start has no outputSchema; "
		    "0.169 and later have)");
	return (NULL);
}

/* The probe's thread/list result (NULL: none was made, assume the newest). */
static void
v2_probed(json_object *result)
{
	v2_current = result == NULL || json_object_object_get_ex(result,
	    "backwardsCursor", NULL);
}

/*
 * model/list answered: each model and the efforts it takes, for done; a
 * release without model/list, or a reply of another shape, gives none.
 */
static void
v2_models_listed(void *arg, const struct upstream_reply *r)
{
	struct v2_models	*op = arg;
	struct model_list	 ml;
	json_object		*data, *m, *efforts;
	size_t			 i, j;

	memset(&ml, 0, sizeof ml);
	data = json_typed(r->result, "data", json_type_array, NULL);
	for (i = 0; data != NULL && i < json_object_array_length(data); i++) {
		m = json_object_array_get_idx(data, i);
		if (json_object_get_boolean(json_obj(m, "hidden")))
			continue;
		model_list_add(&ml, json_str(m, "id"), json_object_get_boolean(
		    json_obj(m, "isDefault")));
		efforts = json_typed(m, "supportedReasoningEfforts",
		    json_type_array, NULL);
		for (j = 0; efforts != NULL &&
		    j < json_object_array_length(efforts); j++)
			model_list_effort(&ml, json_str(
			    json_object_array_get_idx(efforts, j),
			    "reasoningEffort"));
	}
	if (r->result == NULL)
		log_debug("%s: no model list: %s", __func__, r->message);
	else
		op->done(&ml);
	model_list_free(&ml);
	free(op);
}

/* Ask which models the app-server offers (0.77 and later have model/list). */
static void
v2_models(struct upstream *up, dialect_models_cb done)
{
	struct v2_models	*op;

	op = xcalloc(1, sizeof *op);
	op->done = done;
	dialect_send(up, "model/list", json_object_new_object(),
	    v2_models_listed, op);
}

/* The app-server process went: forget the commands it began. */
static void
v2_reset(int exiting)
{
	while (!TAILQ_EMPTY(&v2_commands))
		v2_command_free(TAILQ_FIRST(&v2_commands));
	if (exiting) {
		free(v2_delta_text);
		v2_delta_text = NULL;
		v2_delta_size = 0;
	}
}

const struct dialect dialect_v2 = {
	"v2",
	v2_thread_start,
	v2_thread_resume,
	v2_turn_start,
	v2_turn_interrupt,
	v2_list,
	v2_archive,
	v2_read,
	v2_event,
	v2_line_event,
	v2_approval,
	v2_approval_answer,
	v2_error_kind,
	v2_reset,
	v2_refuse,
	v2_probed,
	v2_models,
	v2_thread_unsubscribe
};
