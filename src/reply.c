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
 * handle on the client. It carries the request's id, its progress token,
 * its task and what the request declared (its era, capabilities, log level
 * and trace context), sends rate-limited progress and log messages tied to
 * the request, asks the user to approve things (an era-neutral "needs
 * input": a form elicitation in the 2025 revisions, input_required in
 * 2026-07-28, see reply_input.c), takes cancellation from the client, and
 * delivers the one result: as the answer (shaped for the request's era),
 * or as the task's. A 2026 reply may be detached from its request for a
 * while: waiting for a retry, or running as a task of the extension.
 */

#include <sys/time.h>

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "proxy.h"
#include "reply.h"

#define REPLY_PROGRESS_GAP_MS	250	/* at least this long between two */

json_object	*reply_approval_schema;

static void	 reply_progress_send(struct reply *, const char *);
static void	 reply_progress_cb(evutil_socket_t, short, void *);
static void	 reply_answered(void *, json_object *, const char *);
static void	 reply_task_arm(struct reply *);
static void	 reply_task_cb(evutil_socket_t, short, void *);
static void	 reply_digest(json_object *, char *);

/*
 * A new reply to request id of session s for tool (an index into the tool
 * table), with the request's params (for its _meta.progressToken), its task,
 * if any, and what the request declared (copied from ctx).
 */
struct reply *
reply_new(struct mcp_session *s, json_object *id, json_object *params,
    size_t tool, struct task *task, const struct mcp_context *ctx)
{
	struct reply	*r;

	r = xcalloc(1, sizeof *r);
	r->task = task;
	r->meta = task_meta(task);
	r->tool = tool;
	TAILQ_INIT(&r->asks);
	reply_attach(r, s, id, params, ctx);
	if (r->modern)
		reply_digest(params, r->digest);
	return (r);
}

/*
 * The reply now answers request id of session s, with params and what the
 * request declared (ctx); a 2026 reply that is not a task may become one.
 */
void
reply_attach(struct reply *r, struct mcp_session *s, json_object *id,
    json_object *params, const struct mcp_context *ctx)
{
	r->session = s;
	mcp_session_ref(s);
	r->id = json_object_get(id);
	r->progress_token = json_object_get(json_path(params,
	    "_meta.progressToken"));
	r->modern = ctx->modern;
	json_object_put(r->caps);
	r->caps = json_object_get(ctx->caps);
	r->log_level = ctx->log_level;
	free(r->traceparent);
	r->traceparent = xstrdup_null(ctx->traceparent);
	TAILQ_INSERT_TAIL(&s->replies, r, entry);
	if (r->modern)
		reply_task_arm(r);
}

/* The request's W3C trace context, or NULL. */
const char *
reply_traceparent(struct reply *r)
{
	return (r->traceparent);
}

/* The request runs on thread id: its front may tell the client. */
void
reply_thread(struct reply *r, const char *id)
{
	if (r->session != NULL)
		mcp_session_thread(r->session, id);
}

/* The reply no longer answers a request: it runs on, unheard. */
void
reply_detach(struct reply *r)
{
	reply_progress_stop(r);
	if (r->task_timer != NULL)
		evtimer_del(r->task_timer);
	TAILQ_REMOVE(&r->session->replies, r, entry);
	mcp_session_unref(r->session);
	r->session = NULL;
	json_object_put(r->id);
	r->id = NULL;
	json_object_put(r->progress_token);
	r->progress_token = NULL;
}

/* The SHA-256 of the tool name and arguments in params, as 32 hex digits. */
static void
reply_digest(json_object *params, char *out)
{
	unsigned char	 md[EVP_MAX_MD_SIZE];
	json_object	*args = json_obj(params, "arguments");
	const char	*name = json_str(params, "name");
	EVP_MD_CTX	*ctx = EVP_MD_CTX_new();
	size_t		 i;

	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		fatalx("reply_digest: no SHA-256");
	EVP_DigestUpdate(ctx, name != NULL ? name : "", name != NULL ?
	    strlen(name) + 1 : 1);
	if (json_object_is_type(args, json_type_object) &&
	    json_object_object_length(args) > 0)
		EVP_DigestUpdate(ctx, json_text(args), strlen(json_text(args)));
	EVP_DigestFinal_ex(ctx, md, NULL);
	EVP_MD_CTX_free(ctx);
	for (i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* Are params for the tool and arguments whose reply_digest is digest? */
int
reply_same_call(const char *digest, json_object *params)
{
	char	mine[33];

	reply_digest(params, mine);
	return (strcmp(mine, digest) == 0);
}

/*
 * A 2026-07-28 request that declared the tasks extension, for a tool that
 * may run as a task, becomes one if it is not over after --task-after.
 */
static void
reply_task_arm(struct reply *r)
{
	struct timeval	tv = { opts.task_after, 0 };

	if (r->ext_task != NULL || !tools_task_capable(r->tool) ||
	    !ext_tasks_declared(r->caps))
		return;
	if (r->task_timer == NULL)
		r->task_timer = evtimer_new(proxy_base, reply_task_cb, r);
	evtimer_add(r->task_timer, &tv);
}

/* The call is still running: answer with a task and run on as it. */
static void
reply_task_cb(evutil_socket_t fd, short events, void *arg)
{
	struct reply	*r = arg;

	if (r->session == NULL)
		return;
	mcp_send_result(r->session, r->id, modern_result(ext_task_new(r),
	    "task"));
	reply_detach(r);
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
	if (r->ext_task != NULL)
		ext_task_finish(r->ext_task, result);
	else if (r->task != NULL)
		task_finish(r->task, result);
	else if (r->session == NULL && r->wait[0] != '\0' && result != NULL)
		reply_keep(r, result);
	else if (r->session == NULL) {
		if (result != NULL)
			log_info("a call ended with no request to answer");
		json_object_put(result);
	} else if (result != NULL && r->modern)
		mcp_send_result(r->session, r->id, modern_result(result,
		    "complete"));
	else if (result != NULL)
		mcp_send_result(r->session, r->id, result);
	reply_unwait(r);
	if (r->session != NULL)
		reply_detach(r);
	if (r->task_timer != NULL)
		event_free(r->task_timer);
	json_object_put(r->meta);
	json_object_put(r->caps);
	free(r->traceparent);
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
	if (r == NULL)
		return (-1);
	return (reply_cancel_now(r));
}

/* Cancel the call of reply r; -1 if it cannot be. */
int
reply_cancel_now(struct reply *r)
{
	if (r->cancel == NULL)
		return (-1);
	log_info("call %s cancelled by the client", r->id != NULL ?
	    json_text(r->id) : "(a task)");
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

/* Send one progress notification now (or, for a task, keep it). */
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
 * one notification per gap; a newer message replaces one held back. A
 * task of the extension keeps the latest as its status message.
 */
void
reply_progress(struct reply *r, const char *fmt, ...)
{
	struct timeval	 now, since, wait;
	va_list		 ap;
	char		*message;
	long		 ms;

	if (r->progress_token == NULL && r->ext_task == NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(&message, fmt, ap);
	va_end(ap);
	if (r->ext_task != NULL) {
		ext_task_progress(r->ext_task, message);
		free(message);
		return;
	}
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

/*
 * A log message from codex to the client, tied to the request: at or above
 * the level a modern request asked for (none if it did not), or the level
 * of a 2025 session once initialized; none once the reply is detached.
 */
void
reply_log(struct reply *r, enum mcp_level level, const char *fmt, ...)
{
	struct mcp_session	*s = r->session;
	enum mcp_level		 least;
	va_list			 ap;
	char			*text;

	if (s == NULL || (r->modern && r->log_level < 0))
		return;
	if (!r->modern && !s->initialized)
		return;
	least = r->modern ? (enum mcp_level)r->log_level : s->log_level;
	va_start(ap, fmt);
	xvasprintf(&text, fmt, ap);
	va_end(ap);
	mcp_log(s, r->id, r->meta, least, level, "codex", text);
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

	if (r->modern)
		ra = reply_ask_modern(r, message, timeout, cb, arg);
	else {
		ra = xcalloc(1, sizeof *ra);
		ra->reply = r;
		ra->cb = cb;
		ra->arg = arg;
		ra->out = mcp_elicit(r->session, r->id, r->meta, message,
		    json_object_get(reply_approval_schema), timeout,
		    reply_answered, ra);
		if (ra->out == NULL) {
			free(ra);
			ra = NULL;
		}
	}
	if (ra != NULL && r->asking++ == 0)
		task_input(r->task, 1);
	return (ra);
}

/* Forget a question. */
void
reply_ask_free(struct reply_ask *ra)
{
	struct reply	*r = ra->reply;

	r->asking--;
	if (ra->key[0] != '\0') {
		TAILQ_REMOVE(&r->asks, ra, entry);
		if (ra->timer != NULL)
			event_free(ra->timer);
		free(ra->message);
	}
	free(ra);
}

/* The 2025 elicitation was answered (result), or it failed (error). */
static void
reply_answered(void *arg, json_object *result, const char *error)
{
	reply_decide(arg, result, error);
}

/*
 * The user answered a question with an ElicitResult (borrowed), or it
 * failed (error): tell the asker the decision and forget the question.
 */
void
reply_decide(struct reply_ask *ra, json_object *result, const char *error)
{
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
	if (r->asking == 0) {
		task_input(r->task, 0);
		if (r->ext_task != NULL)
			ext_task_input(r->ext_task, 0);
	}
}

/* Withdraw a question the user has not answered. */
void
reply_withdraw(struct reply_ask *ra, const char *why)
{
	if (ra->out != NULL)
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
	reply_kept_free_all();
}
