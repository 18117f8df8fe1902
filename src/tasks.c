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
 * MCP tasks (2025-11-25): a task-augmented tools/call is answered at once
 * with a task, the turn runs on, and the client polls (tasks/get), waits for
 * the result (tasks/result), lists (tasks/list) or cancels (tasks/cancel).
 * Tasks belong to their session and are forgotten once their time to live
 * has passed and they are over.
 */

#include <sys/time.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proxy.h"

#define TASK_TTL_MS		(60 * 60 * 1000)	/* when none is asked */
#define TASK_TTL_MAX_MS		(24 * 60 * 60 * 1000)
#define TASK_POLL_MS		1000
#define TASK_RELATED		"io.modelcontextprotocol/related-task"

enum task_status {
	TASK_WORKING,
	TASK_INPUT_REQUIRED,
	TASK_COMPLETED,
	TASK_FAILED,
	TASK_CANCELLED
};

struct task_waiter {
	json_object		*id;		/* a tasks/result request */
	TAILQ_ENTRY(task_waiter) entry;
};

struct task {
	struct mcp_session	*session;
	char			 id[33];
	enum task_status	 status;
	char			*message;
	struct timeval		 created;
	struct timeval		 updated;
	int64_t			 ttl;		/* milliseconds */
	json_object		*result;	/* when completed or failed */
	int			 running;	/* its call has not ended */
	TAILQ_HEAD(, task_waiter) waiters;	/* tasks/result requests */
	struct event		*expire;
	TAILQ_ENTRY(task)	 entry;
};

static const char *task_statuses[] = {
	"working", "input_required", "completed", "failed", "cancelled"
};

static json_object *task_json(struct task *);
static void	 task_expire_cb(evutil_socket_t, short, void *);
static void	 task_free(struct task *);
static void	 task_answer(struct task *, json_object *);
static int	 task_terminal(struct task *);
static void	 task_touch(struct task *, enum task_status, const char *);

/* Is the task over? */
static int
task_terminal(struct task *t)
{
	return (t->status == TASK_COMPLETED || t->status == TASK_FAILED ||
	    t->status == TASK_CANCELLED);
}

/*
 * What a task is in both the 2025-11-25 tasks and the 2026 extension: its
 * id, status, message (NULL for none) and times (a new object).
 */
json_object *
task_fields(const char *id, const char *status, const char *message,
    const struct timeval *created, const struct timeval *updated)
{
	json_object	*j = json_object_new_object();
	char		 when[TIMEFMT_LEN];

	json_set_str(j, "taskId", id);
	json_set_str(j, "status", status);
	json_set_str(j, "statusMessage", message);
	json_set_str(j, "createdAt", timefmt(when, created, 1));
	json_set_str(j, "lastUpdatedAt", timefmt(when, updated, 1));
	return (j);
}

/* The Task object. */
static json_object *
task_json(struct task *t)
{
	json_object	*j;

	j = task_fields(t->id, task_statuses[t->status], t->message,
	    &t->created, &t->updated);
	json_object_object_add(j, "ttl", json_object_new_int64(t->ttl));
	json_object_object_add(j, "pollInterval",
	    json_object_new_int(TASK_POLL_MS));
	return (j);
}

/* The _meta that ties a message to the task (a new object). */
json_object *
task_meta(struct task *t)
{
	json_object	*meta, *rel;

	if (t == NULL)
		return (NULL);
	rel = json_object_new_object();
	json_set_str(rel, "taskId", t->id);
	meta = json_object_new_object();
	json_object_object_add(meta, TASK_RELATED, rel);
	return (meta);
}

/*
 * A new task for the tools/call request id, with the ttl the client asked
 * for in params.task (or ours); answered at once with a CreateTaskResult.
 */
struct task *
task_new(struct mcp_session *s, json_object *id, json_object *params)
{
	struct task	*t;
	struct timeval	 tv;
	json_object	*ttl, *r;

	t = xcalloc(1, sizeof *t);
	t->session = s;
	xrandom_hex(t->id, 16);
	t->status = TASK_WORKING;
	t->running = 1;
	gettimeofday(&t->created, NULL);
	t->updated = t->created;
	ttl = json_obj(json_obj(params, "task"), "ttl");
	t->ttl = ttl != NULL && json_object_is_type(ttl, json_type_int) &&
	    json_object_get_int64(ttl) > 0 ? json_object_get_int64(ttl) :
	    TASK_TTL_MS;
	if (t->ttl > TASK_TTL_MAX_MS)
		t->ttl = TASK_TTL_MAX_MS;
	TAILQ_INIT(&t->waiters);
	t->expire = evtimer_new(proxy_base, task_expire_cb, t);
	tv.tv_sec = t->ttl / 1000;
	tv.tv_usec = (t->ttl % 1000) * 1000;
	evtimer_add(t->expire, &tv);
	TAILQ_INSERT_HEAD(&s->tasks, t, entry);
	log_info("task %s created for call %s", t->id, json_text(id));

	r = json_object_new_object();
	json_object_object_add(r, "task", task_json(t));
	mcp_send_result(s, id, r);
	return (t);
}

/* Change the status (unless over) and tell the client. */
static void
task_touch(struct task *t, enum task_status status, const char *message)
{
	json_object	*msg;

	if (task_terminal(t))
		return;
	t->status = status;
	free(t->message);
	t->message = message != NULL ? xstrdup(message) : NULL;
	gettimeofday(&t->updated, NULL);
	msg = rpc_notification(1, "notifications/tasks/status", task_json(t));
	mcp_send(t->session, msg, NULL);
	json_object_put(msg);
}

/* The call waits for the user, or goes on. */
void
task_input(struct task *t, int waiting)
{
	if (t == NULL)
		return;
	if (waiting)
		task_touch(t, TASK_INPUT_REQUIRED, "waiting for an approval");
	else if (t->status == TASK_INPUT_REQUIRED)
		task_touch(t, TASK_WORKING, NULL);
}

/* Answer a tasks/result request with what the task ended with. */
static void
task_answer(struct task *t, json_object *id)
{
	json_object	*r = NULL;

	if (t->status == TASK_CANCELLED || t->result == NULL) {
		mcp_send_error(t->session, id, RPC_UPSTREAM_GONE,
		    "Task cancelled");
		return;
	}
	json_object_deep_copy(t->result, &r, NULL);
	json_object_object_add(r, "_meta", task_meta(t));
	mcp_send_result(t->session, id, r);
}

/*
 * The call ended with result (taken; NULL when cancelled): the task is
 * completed or failed, and whoever waits for it gets the result.
 */
void
task_finish(struct task *t, json_object *result)
{
	struct task_waiter	*w;

	t->running = 0;
	if (!task_terminal(t)) {
		t->result = result;
		result = NULL;
		task_touch(t, json_object_get_boolean(json_obj(t->result,
		    "isError")) ? TASK_FAILED : TASK_COMPLETED, NULL);
	}
	json_object_put(result);
	while ((w = TAILQ_FIRST(&t->waiters)) != NULL) {
		TAILQ_REMOVE(&t->waiters, w, entry);
		task_answer(t, w->id);
		json_object_put(w->id);
		free(w);
	}
	/* Past its time to live already: go now. */
	if (!evtimer_pending(t->expire, NULL))
		task_free(t);
}

/* Its time to live is over: forget the task once it is over too. */
static void
task_expire_cb(evutil_socket_t fd, short events, void *arg)
{
	struct task	*t = arg;

	if (task_terminal(t) && !t->running)
		task_free(t);
}

/* Forget a task. */
static void
task_free(struct task *t)
{
	struct task_waiter	*w;

	while ((w = TAILQ_FIRST(&t->waiters)) != NULL) {
		TAILQ_REMOVE(&t->waiters, w, entry);
		json_object_put(w->id);
		free(w);
	}
	TAILQ_REMOVE(&t->session->tasks, t, entry);
	event_free(t->expire);
	json_object_put(t->result);
	free(t->message);
	free(t);
}

/* Forget every task of a session that is ending. */
void
tasks_close(struct mcp_session *s)
{
	struct task	*t;

	while ((t = TAILQ_FIRST(&s->tasks)) != NULL)
		task_free(t);
}

/* The task params.taskId names, or NULL after answering with an error. */
static struct task *
task_find(struct mcp_session *s, json_object *id, json_object *params)
{
	struct task	*t;
	const char	*tid = json_str(params, "taskId");

	TAILQ_FOREACH(t, &s->tasks, entry) {
		if (tid != NULL && strcmp(t->id, tid) == 0)
			return (t);
	}
	mcp_send_error(s, id, RPC_INVALID_PARAMS, "Invalid params: unknown "
	    "taskId %s", tid != NULL ? tid : "(none given)");
	return (NULL);
}

/* tasks/get, tasks/result, tasks/list or tasks/cancel. */
void
tasks_request(struct mcp_session *s, json_object *id, const char *method,
    json_object *params)
{
	struct task		*t;
	struct task_waiter	*w;
	json_object		*list, *r;

	if (strcmp(method, "tasks/list") == 0) {
		if (json_obj(params, "cursor") != NULL) {
			mcp_send_error(s, id, RPC_INVALID_PARAMS,
			    "Invalid params: unknown cursor");
			return;
		}
		list = json_object_new_array();
		TAILQ_FOREACH(t, &s->tasks, entry)
			json_object_array_add(list, task_json(t));
		r = json_object_new_object();
		json_object_object_add(r, "tasks", list);
		mcp_send_result(s, id, r);
		return;
	}
	if ((t = task_find(s, id, params)) == NULL)
		return;
	if (strcmp(method, "tasks/get") == 0)
		mcp_send_result(s, id, task_json(t));
	else if (strcmp(method, "tasks/result") == 0) {
		if (task_terminal(t)) {
			task_answer(t, id);
			return;
		}
		w = xcalloc(1, sizeof *w);
		w->id = json_object_get(id);
		TAILQ_INSERT_TAIL(&t->waiters, w, entry);
	} else {
		if (task_terminal(t)) {
			mcp_send_error(s, id, RPC_INVALID_PARAMS, "Invalid "
			    "params: task %s is already %s", t->id,
			    task_statuses[t->status]);
			return;
		}
		task_touch(t, TASK_CANCELLED, "cancelled by the client");
		mcp_send_result(s, id, task_json(t));
		if (t->running)
			reply_cancel(s, NULL, t);
	}
}
