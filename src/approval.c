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
 * --approvals, or put to the user through the call's reply, with a time
 * limit. Whatever the proxy decides on its own is noted in the call's
 * result. Every approval is answered exactly once, through the dialect.
 */

#include <stdlib.h>
#include <string.h>

#include "proxy.h"

struct approval_wait {
	struct call		*call;
	struct approval		*ap;		/* the dialect's, until answered */
	struct reply_ask	*ask;
	TAILQ_ENTRY(approval_wait) entry;
};

static char	*approval_what(const struct approval *, int);
static char	*approval_message(const struct approval *);
static void	 approval_answered(void *, enum approval_decision,
		     const char *);
static void	 approval_free(struct approval_wait *);
static void	 approval_decline(struct call *, struct approval *,
		     const char *);

/*
 * What is asked for, in a few words (to free): "run a command (`ls`)" when
 * quoted, else "run a command: ls".
 */
static char *
approval_what(const struct approval *ap, int quoted)
{
	const char	*what;
	char		*s;

	what = ap->kind == APPROVAL_COMMAND ? "run a command" : "change files";
	if (ap->command == NULL)
		return (xstrdup(what));
	xasprintf(&s, quoted ? "%s (`%s`)" : "%s: %s", what, ap->command);
	return (s);
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

/* Forget a waiting approval (answered or dropped). */
static void
approval_free(struct approval_wait *w)
{
	TAILQ_REMOVE(call_approvals(w->call), w, entry);
	call_unref(w->call);
	free(w);
}

/* Decline on the proxy's own account, saying how it came to that. */
static void
approval_decline(struct call *c, struct approval *ap, const char *how)
{
	char	*quoted = approval_what(ap, 1), *plain = approval_what(ap, 0);

	call_note(c, "codex-mcp-proxy declined codex's request to %s: %s.",
	    quoted, how);
	reply_log(call_reply(c), LEVEL_NOTICE, "declined: %s (%s)", plain, how);
	dialect_answer(ap, DECISION_DECLINE);
	free(quoted);
	free(plain);
}

/*
 * An approval codex asks for: for the call running on its thread, decided
 * by --approvals or asked of the user; with no call, declined.
 */
void
approval_request(struct approval *ap)
{
	struct approval_wait	*w;
	struct thread		*t;
	struct call		*c;
	char			*msg, *what;

	t = threads_find(ap->thread_id);
	if ((c = t != NULL ? t->active : NULL) == NULL &&
	    opts.upstream_url != NULL) {
		/* A listening app-server asks every client on the thread. */
		log_info("left %s for %s to the client whose call runs it: no "
		    "tool call of ours runs on it", ap->method,
		    ap->thread_id != NULL ? ap->thread_id : "no thread");
		dialect_leave(ap);
		return;
	}
	if (c == NULL) {
		log_info("declined %s for %s: no tool call runs on it",
		    ap->method, ap->thread_id != NULL ? ap->thread_id :
		    "no thread");
		dialect_answer(ap, DECISION_DECLINE);
		return;
	}
	switch (opts.approvals) {
	case APPROVALS_ACCEPT:
		what = approval_what(ap, 1);
		call_note(c, "codex-mcp-proxy approved codex's request to %s "
		    "on its own (--approvals accept).", what);
		free(what);
		what = approval_what(ap, 0);
		reply_log(call_reply(c), LEVEL_NOTICE, "approved automatically "
		    "(--approvals accept): %s", what);
		free(what);
		dialect_answer(ap, DECISION_ACCEPT);
		return;
	case APPROVALS_DECLINE:
		approval_decline(c, ap, "approvals are declined (--approvals "
		    "decline)");
		return;
	case APPROVALS_ASK:
		break;
	}
	w = xcalloc(1, sizeof *w);
	w->call = c;
	call_ref(c);
	w->ap = ap;
	TAILQ_INSERT_TAIL(call_approvals(c), w, entry);
	msg = approval_message(ap);
	w->ask = reply_approve(call_reply(c), msg, opts.approval_timeout,
	    approval_answered, w);
	free(msg);
	if (w->ask == NULL) {
		approval_free(w);
		approval_decline(c, ap, "this client cannot be asked (it did "
		    "not declare the elicitation capability)");
		return;
	}
	what = approval_what(ap, 0);
	reply_log(call_reply(c), LEVEL_NOTICE, "asked the user to approve: %s",
	    what);
	free(what);
	reply_progress(call_reply(c), "waiting for approval to %s",
	    ap->kind == APPROVAL_COMMAND ? "run a command" : "change files");
}

/* The user answered, or the question failed (why says how). */
static void
approval_answered(void *arg, enum approval_decision decision, const char *why)
{
	struct approval_wait	*w = arg;
	struct call		*c = w->call;
	char			*quoted, *plain;

	quoted = approval_what(w->ap, 1);
	plain = approval_what(w->ap, 0);
	if (why != NULL)
		call_note(c, "codex-mcp-proxy declined codex's request to %s: "
		    "the approval %s.", quoted, strcmp(why, "timed out") == 0 ?
		    "was not answered within --approval-timeout" :
		    "could not be asked");
	reply_log(call_reply(c), LEVEL_NOTICE, "%s: %s", decision ==
	    DECISION_ACCEPT || decision == DECISION_ACCEPT_SESSION ?
	    "approved" : "declined", plain);
	free(quoted);
	free(plain);
	dialect_answer(w->ap, decision);
	approval_free(w);
}

/*
 * The call is over or cancelled: withdraw its questions from the client
 * and tell codex to give up on them, so that nothing waits for an answer.
 */
void
approvals_drop(struct approval_waits *waits, const char *why)
{
	struct approval_wait	*w;

	while ((w = TAILQ_FIRST(waits)) != NULL) {
		reply_withdraw(w->ask, why);
		dialect_answer(w->ap, DECISION_CANCEL);
		approval_free(w);
	}
}
