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
 * One request being answered: the bridge's and the conversation tools'
 * handle on the client. It carries the request's id, its progress token
 * and its task, sends rate-limited progress and log messages tied to the
 * request, asks the user to approve things (an era-neutral "needs input":
 * a form elicitation in the 2025 revisions), takes cancellation from the
 * client, and delivers the one result: as the answer, or as the task's.
 */

#include <sys/time.h>

#include <stdlib.h>
#include <string.h>

#include "proxy.h"

#define REPLY_PROGRESS_GAP_MS	250	/* at least this long between two */

struct reply {
	struct mcp_session	*session;
	json_object		*id;
	json_object		*progress_token;
	json_object		*meta;		/* _meta of related messages */
	struct task		*task;		/* when task-augmented */
	size_t			 tool;		/* its index in the tool table */
	reply_cancel_cb		 cancel;
	void			*cancel_arg;
	u_int			 asking;	/* questions waiting */

	double			 progress;	/* the last value sent */
	struct timeval		 progress_at;
	char			*progress_next;	/* held back by the rate limit */
	struct event		*progress_timer;
	TAILQ_ENTRY(reply)	 entry;
};

/* A question put to the user for this reply. */
struct reply_ask {
	struct reply		*reply;
	struct mcp_out		*out;
	reply_approve_cb	 cb;
	void			*arg;
};

static json_object	*reply_approval_schema;

static void	 reply_progress_send(struct reply *, const char *);
static void	 reply_progress_cb(evutil_socket_t, short, void *);
static void	 reply_answered(void *, json_object *, const char *);
static void	 reply_ask_free(struct reply_ask *);

/*
 * A new reply to request id of session s for tool (an index into the tool
 * table), with the request's
 * params (for its _meta.progressToken) and its task, if any.
 */
struct reply *
reply_new(struct mcp_session *s, json_object *id, json_object *params,
    size_t tool, struct task *task)
{
	struct reply	*r;

	r = xcalloc(1, sizeof *r);
	r->session = s;
	mcp_session_ref(s);
	r->id = json_object_get(id);
	r->progress_token = json_object_get(json_path(params,
	    "_meta.progressToken"));
	r->task = task;
	r->meta = task_meta(task);
	r->tool = tool;
	TAILQ_INSERT_TAIL(&s->replies, r, entry);
	return (r);
}

/* Who to tell when the client cancels the request. */
void
reply_on_cancel(struct reply *r, reply_cancel_cb cb, void *arg)
{
	r->cancel = cb;
	r->cancel_arg = arg;
}

/*
 * Deliver the result (taken; NULL when the request was cancelled, which is
 * not answered) and free the reply. Its owner calls this exactly once.
 */
void
reply_send(struct reply *r, json_object *result)
{
	metrics_tool_result(r->tool, result);
	if (r->task != NULL)
		task_finish(r->task, result);
	else if (result != NULL)
		mcp_send_result(r->session, r->id, result);
	reply_progress_stop(r);
	TAILQ_REMOVE(&r->session->replies, r, entry);
	mcp_session_unref(r->session);
	json_object_put(r->id);
	json_object_put(r->progress_token);
	json_object_put(r->meta);
	free(r);
}

/* The session the request came in. */
struct mcp_session *
reply_session(struct reply *r)
{
	return (r->session);
}

/*
 * The client cancelled request id (or task, for tasks/cancel): tell the
 * reply's owner. -1 if no reply has it.
 */
int
reply_cancel(struct mcp_session *s, json_object *id, struct task *task)
{
	struct reply	*r;

	TAILQ_FOREACH(r, &s->replies, entry) {
		if (task != NULL ? r->task == task : (r->task == NULL &&
		    json_id_equal(r->id, id)))
			break;
	}
	if (r == NULL || r->cancel == NULL)
		return (-1);
	log_info("call %s cancelled by the client", json_text(r->id));
	r->cancel(r->cancel_arg);
	return (0);
}

/* The session is ending: its tasks go, so no reply may finish one. */
void
replies_close(struct mcp_session *s)
{
	struct reply	*r;

	TAILQ_FOREACH(r, &s->replies, entry)
		r->task = NULL;
}

/* Send one progress notification now. */
static void
reply_progress_send(struct reply *r, const char *message)
{
	gettimeofday(&r->progress_at, NULL);
	r->progress += 1;
	mcp_progress(r->session, r->progress_token, r->id, r->meta,
	    r->progress, message);
}

/* The rate limit let a held-back message go. */
static void
reply_progress_cb(evutil_socket_t fd, short events, void *arg)
{
	struct reply	*r = arg;
	char		*message = r->progress_next;

	r->progress_next = NULL;
	if (message != NULL)
		reply_progress_send(r, message);
	free(message);
}

/*
 * Say what the call is doing, if the client asked for progress: at most
 * one notification per gap; a newer message replaces one held back.
 */
void
reply_progress(struct reply *r, const char *fmt, ...)
{
	struct timeval	 now, since, wait;
	va_list		 ap;
	char		*message;
	long		 ms;

	if (r->progress_token == NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(&message, fmt, ap);
	va_end(ap);
	if (r->progress_timer == NULL)
		r->progress_timer = evtimer_new(proxy_base, reply_progress_cb,
		    r);
	gettimeofday(&now, NULL);
	timersub(&now, &r->progress_at, &since);
	ms = since.tv_sec * 1000 + since.tv_usec / 1000;
	if (ms >= REPLY_PROGRESS_GAP_MS && r->progress_next == NULL) {
		reply_progress_send(r, message);
		free(message);
		return;
	}
	free(r->progress_next);
	r->progress_next = message;
	if (!evtimer_pending(r->progress_timer, NULL)) {
		ms = REPLY_PROGRESS_GAP_MS - ms;
		wait.tv_sec = ms / 1000;
		wait.tv_usec = (ms % 1000) * 1000;
		evtimer_add(r->progress_timer, &wait);
	}
}

/* No more progress for this reply. */
void
reply_progress_stop(struct reply *r)
{
	if (r->progress_timer != NULL) {
		event_free(r->progress_timer);
		r->progress_timer = NULL;
	}
	free(r->progress_next);
	r->progress_next = NULL;
}

/* A log message from codex to the client, tied to the request. */
void
reply_log(struct reply *r, enum mcp_level level, const char *fmt, ...)
{
	va_list	 ap;
	char	*text;

	va_start(ap, fmt);
	xvasprintf(&text, fmt, ap);
	va_end(ap);
	mcp_log(r->session, r->id, r->meta, level, "codex", text);
	free(text);
}

/*
 * Ask the user to approve what message describes, within timeout seconds
 * (0: no limit); cb gets the decision, or a reason when there is none.
 * NULL if this client cannot be asked.
 */
struct reply_ask *
reply_approve(struct reply *r, const char *message, int timeout,
    reply_approve_cb cb, void *arg)
{
	struct reply_ask	*ra;

	ra = xcalloc(1, sizeof *ra);
	ra->reply = r;
	ra->cb = cb;
	ra->arg = arg;
	ra->out = mcp_elicit(r->session, r->id, r->meta, message,
	    json_object_get(reply_approval_schema), timeout, reply_answered,
	    ra);
	if (ra->out == NULL) {
		free(ra);
		return (NULL);
	}
	if (r->asking++ == 0)
		task_input(r->task, 1);
	return (ra);
}

/* Forget a question. */
static void
reply_ask_free(struct reply_ask *ra)
{
	ra->reply->asking--;
	free(ra);
}

/* The user answered the form (result), or it failed (error). */
static void
reply_answered(void *arg, json_object *result, const char *error)
{
	struct reply_ask	*ra = arg;
	struct reply		*r = ra->reply;
	reply_approve_cb	 cb = ra->cb;
	void			*cbarg = ra->arg;
	enum approval_decision	 decision = DECISION_DECLINE;
	const char		*action, *chosen;

	if (error == NULL && (action = json_str(result, "action")) != NULL &&
	    strcmp(action, "accept") == 0) {
		chosen = json_path_str(result, "content.decision");
		if (chosen == NULL || strcmp(chosen, "accept") == 0)
			decision = DECISION_ACCEPT;
		else if (strcmp(chosen, "acceptForSession") == 0)
			decision = DECISION_ACCEPT_SESSION;
		else if (strcmp(chosen, "cancel") == 0)
			decision = DECISION_CANCEL;
	}
	reply_ask_free(ra);
	/* The asker only answers codex: the reply is still there after. */
	cb(cbarg, decision, error);
	if (r->asking == 0)
		task_input(r->task, 0);
}

/* Withdraw a question the user has not answered. */
void
reply_withdraw(struct reply_ask *ra, const char *why)
{
	mcp_out_cancel(ra->out, why);
	reply_ask_free(ra);
}

/* Load the approval form. */
void
reply_init(void)
{
	reply_approval_schema = schema_load("approval");
}

/* Free the approval form. */
void
reply_free_all(void)
{
	json_object_put(reply_approval_schema);
	reply_approval_schema = NULL;
}
