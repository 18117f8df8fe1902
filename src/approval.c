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
 * Codex's requests for approval (run a command, change files): decided by
 * --approvals, or put to the user as an MCP form elicitation tied to the
 * tool call that caused them, with a time limit. Whatever the proxy decides
 * on its own is noted in the call's result.
 */

#include <stdlib.h>
#include <string.h>

#include "proxy.h"

struct approval_wait {
	struct call		*call;
	struct upstream		*up;
	u_int			 generation;
	const struct dialect	*dialect;
	json_object		*id;		/* the app-server's request id */
	struct approval		 ap;		/* its strings point below */
	char			*method;
	char			*thread_id;
	char			*command;
	char			*cwd;
	char			*reason;
	struct mcp_out		*out;
	TAILQ_ENTRY(approval_wait) entry;
};

static json_object *approval_schema;

static void	 approval_answer(struct upstream *, const struct dialect *,
		     json_object *, const struct approval *,
		     enum approval_decision);
static const char *approval_what(const struct approval *);
static char	*approval_message(const struct approval *);
static void	 approval_answered(void *, json_object *, const char *);
static void	 approval_free(struct approval_wait *);
static struct approval_wait *approval_wait_new(struct call *,
		     struct upstream *, json_object *, const struct approval *);

/* What is asked for, in a few words. */
static const char *
approval_what(const struct approval *ap)
{
	return (ap->kind == APPROVAL_COMMAND ? "run a command" :
	    "change files");
}

/* The question put to the user. */
static char *
approval_message(const struct approval *ap)
{
	char	*msg;

	if (ap->kind == APPROVAL_COMMAND)
		xasprintf(&msg, "Codex wants to run this command:\n\n"
		    "    %s\n\nin %s.%s%s\n\nAllow it?", ap->command != NULL ?
		    ap->command : "(codex did not say which)", ap->cwd != NULL ?
		    ap->cwd : "the conversation's directory",
		    ap->reason != NULL ? "\nReason: " : "",
		    ap->reason != NULL ? ap->reason : "");
	else
		xasprintf(&msg, "Codex wants to change files%s%s.%s%s\n\n"
		    "Allow it?", ap->cwd != NULL ? " in " : "",
		    ap->cwd != NULL ? ap->cwd : "", ap->reason != NULL ?
		    "\nReason: " : "", ap->reason != NULL ? ap->reason : "");
	return (msg);
}

/* Answer the app-server's request. */
static void
approval_answer(struct upstream *up, const struct dialect *d, json_object *id,
    const struct approval *ap, enum approval_decision decision)
{
	metrics_approval(decision);
	upstream_respond(up, id, d->approval_answer(ap, decision));
}

/* Keep an approval while the user is asked (copying what it points to). */
static struct approval_wait *
approval_wait_new(struct call *c, struct upstream *up, json_object *id,
    const struct approval *ap)
{
	struct approval_wait	*w;

	w = xcalloc(1, sizeof *w);
	w->call = c;
	call_ref(c);
	w->up = up;
	w->generation = upstream_generation(up);
	w->dialect = upstream_dialect(up);
	w->id = json_object_get(id);
	w->ap = *ap;
	w->ap.method = w->method = xstrdup(ap->method);
	w->ap.thread_id = w->thread_id = ap->thread_id != NULL ?
	    xstrdup(ap->thread_id) : NULL;
	w->ap.command = w->command = ap->command != NULL ?
	    xstrdup(ap->command) : NULL;
	w->ap.cwd = w->cwd = ap->cwd != NULL ? xstrdup(ap->cwd) : NULL;
	w->ap.reason = w->reason = ap->reason != NULL ? xstrdup(ap->reason) :
	    NULL;
	w->ap.turn_id = w->ap.item_id = NULL;
	TAILQ_INSERT_TAIL(&c->approvals, w, entry);
	return (w);
}

/* Forget a waiting approval. */
static void
approval_free(struct approval_wait *w)
{
	TAILQ_REMOVE(&w->call->approvals, w, entry);
	call_unref(w->call);
	json_object_put(w->id);
	free(w->method);
	free(w->thread_id);
	free(w->command);
	free(w->cwd);
	free(w->reason);
	free(w);
}

/*
 * A request from the app-server. Approvals for a running call are decided
 * by --approvals or asked of the user; anything else gets an error, so
 * that codex never waits for an answer that will not come.
 */
void
approval_request(struct upstream *up, json_object *id, const char *method,
    json_object *params)
{
	const struct dialect	*d = upstream_dialect(up);
	struct approval		 ap;
	struct approval_wait	*w;
	struct thread		*t;
	struct call		*c;
	const char		*how;
	char			*msg;

	if (d == NULL || !d->approval(method, params, &ap)) {
		log_warnx("app-server asked %s, which the proxy does not "
		    "handle; answering with an error", method);
		upstream_respond_error(up, id, RPC_METHOD_NOT_FOUND,
		    "codex-mcp-proxy does not handle this request");
		return;
	}
	t = threads_find(ap.thread_id);
	if ((c = t != NULL ? t->active : NULL) == NULL) {
		log_info("declined %s for %s: no tool call runs on it",
		    method, ap.thread_id != NULL ? ap.thread_id : "no thread");
		approval_answer(up, d, id, &ap, DECISION_DECLINE);
		return;
	}
	/* 0.77's v2 request does not repeat the command it started. */
	if (ap.command == NULL && ap.item_id != NULL &&
	    c->command_item != NULL &&
	    strcmp(ap.item_id, c->command_item) == 0) {
		ap.command = c->command;
		if (ap.cwd == NULL)
			ap.cwd = c->command_cwd;
	}

	if (strcmp(opts.approvals, "accept") == 0) {
		call_note(c, "codex-mcp-proxy approved codex's request to "
		    "%s%s%s%s on its own (--approvals accept).",
		    approval_what(&ap), ap.command != NULL ? " (`" : "",
		    ap.command != NULL ? ap.command : "", ap.command != NULL ?
		    "`)" : "");
		mcp_log(c->session, c->request_id, c->meta, LEVEL_NOTICE, "codex",
		    "approved automatically (--approvals accept): %s%s%s",
		    approval_what(&ap), ap.command != NULL ? ": " : "",
		    ap.command != NULL ? ap.command : "");
		approval_answer(up, d, id, &ap, DECISION_ACCEPT);
		return;
	}
	how = strcmp(opts.approvals, "decline") == 0 ?
	    "approvals are declined (--approvals decline)" : NULL;
	if (how == NULL) {
		msg = approval_message(&ap);
		w = approval_wait_new(c, up, id, &ap);
		w->out = mcp_elicit(c->session, c->request_id, c->meta, msg,
		    json_object_get(approval_schema), opts.approval_timeout,
		    approval_answered, w);
		free(msg);
		if (w->out != NULL) {
			mcp_log(c->session, c->request_id, c->meta, LEVEL_NOTICE,
			    "codex", "asked the user to approve: %s%s%s",
			    approval_what(&ap), ap.command != NULL ? ": " : "",
			    ap.command != NULL ? ap.command : "");
			progress_update(c, "waiting for approval to %s",
			    approval_what(&ap));
			task_input(c->task, 1);
			return;
		}
		approval_free(w);
		how = "this client cannot be asked (it did not declare the "
		    "elicitation capability)";
	}
	call_note(c, "codex-mcp-proxy declined codex's request to %s%s%s%s: "
	    "%s.", approval_what(&ap), ap.command != NULL ? " (`" : "",
	    ap.command != NULL ? ap.command : "", ap.command != NULL ? "`)" :
	    "", how);
	mcp_log(c->session, c->request_id, c->meta, LEVEL_NOTICE, "codex",
	    "declined: %s%s%s (%s)", approval_what(&ap), ap.command != NULL ?
	    ": " : "", ap.command != NULL ? ap.command : "", how);
	approval_answer(up, d, id, &ap, DECISION_DECLINE);
}

/* The user answered (result), or the elicitation failed (error). */
static void
approval_answered(void *arg, json_object *result, const char *error)
{
	struct approval_wait	*w = arg;
	struct call		*c = w->call;
	enum approval_decision	 decision = DECISION_DECLINE;
	const char		*action, *chosen;

	if (error != NULL) {
		call_note(c, "codex-mcp-proxy declined codex's request to "
		    "%s%s%s%s: the approval %s.", approval_what(&w->ap),
		    w->command != NULL ? " (`" : "", w->command != NULL ?
		    w->command : "", w->command != NULL ? "`)" : "",
		    strcmp(error, "timed out") == 0 ?
		    "was not answered within --approval-timeout" :
		    "could not be asked");
	} else if ((action = json_str(result, "action")) != NULL &&
	    strcmp(action, "accept") == 0) {
		chosen = json_path_str(result, "content.decision");
		if (chosen == NULL || strcmp(chosen, "accept") == 0)
			decision = DECISION_ACCEPT;
		else if (strcmp(chosen, "acceptForSession") == 0)
			decision = DECISION_ACCEPT_SESSION;
		else if (strcmp(chosen, "cancel") == 0)
			decision = DECISION_CANCEL;
	}
	mcp_log(c->session, c->request_id, c->meta, LEVEL_NOTICE, "codex", "%s: %s%s%s",
	    decision == DECISION_ACCEPT || decision == DECISION_ACCEPT_SESSION ?
	    "approved" : "declined", approval_what(&w->ap), w->command != NULL ?
	    ": " : "", w->command != NULL ? w->command : "");
	if (TAILQ_NEXT(TAILQ_FIRST(&c->approvals), entry) == NULL)
		task_input(c->task, 0);
	/* The app-server the question came from may be gone. */
	if (upstream_generation(w->up) == w->generation &&
	    upstream_dialect(w->up) != NULL)
		approval_answer(w->up, w->dialect, w->id, &w->ap, decision);
	approval_free(w);
}

/*
 * The call is over or cancelled: withdraw its questions from the client
 * and tell codex to give up on them, so that nothing waits for an answer.
 */
void
approvals_drop(struct call *c, const char *why)
{
	struct approval_wait	*w;

	while ((w = TAILQ_FIRST(&c->approvals)) != NULL) {
		if (w->out != NULL)
			mcp_out_cancel(w->out, why);
		if (upstream_generation(w->up) == w->generation &&
		    upstream_dialect(w->up) != NULL)
			approval_answer(w->up, w->dialect, w->id, &w->ap,
			    DECISION_CANCEL);
		approval_free(w);
	}
}

/* Load the elicitation schema for approvals. */
void
approval_init(void)
{
	const struct schema_file	*f;
	const char			*err;

	for (f = schema_files; f->name != NULL; f++) {
		if (strcmp(f->name, "approval") == 0)
			break;
	}
	if (f->name == NULL ||
	    (approval_schema = json_parse(f->text, strlen(f->text), &err)) ==
	    NULL)
		fatalx("schemas/approval.json is missing or broken");
}

/* Free the schema. */
void
approval_free_all(void)
{
	json_object_put(approval_schema);
	approval_schema = NULL;
}
