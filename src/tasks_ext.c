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
 * The tasks extension of MCP 2026-07-28 (io.modelcontextprotocol/tasks):
 * a codex or codex-reply call from a client that declared it, and that is
 * still running after --task-after, is answered with a task handle. Any
 * request may then poll it (tasks/get: status, the latest progress, the
 * open approval as input_required, the result), answer its approval
 * (tasks/update) or cancel it (tasks/cancel). Tasks belong to no session;
 * their ids are 128 random bits. A finished task is kept for its time to
 * live.
 */

#include <sys/time.h>

#include <stdlib.h>
#include <string.h>

#include "proxy.h"
#include "reply.h"

#define EXT_TASK_TTL_MS		(60 * 60 * 1000)
#define EXT_TASK_POLL_MS	1000

enum ext_status {
	EXT_WORKING,
	EXT_INPUT_REQUIRED,
	EXT_COMPLETED,
	EXT_CANCELLED
};

struct ext_task {
	char			 id[33];
	enum ext_status		 status;
	char			*message;	/* the latest progress */
	struct timeval		 created;
	struct timeval		 updated;
	struct reply		*reply;		/* while the call runs */
	json_object		*result;	/* when completed */
	struct event		*expire;
	TAILQ_ENTRY(ext_task)	 entry;
};

static const char *ext_statuses[] = {
	"working", "input_required", "completed", "cancelled"
};

static TAILQ_HEAD(, ext_task) ext_tasks = TAILQ_HEAD_INITIALIZER(ext_tasks);

static json_object *ext_task_json(struct ext_task *);
static void	 ext_task_touch(struct ext_task *, enum ext_status);
static void	 ext_task_expire_cb(evutil_socket_t, short, void *);
static void	 ext_task_free(struct ext_task *);
static struct ext_task *ext_task_find(json_object *);
static void	 ext_tasks_undeclared(struct mcp_session *, json_object *);

/* The task's fields (a new object). */
static json_object *
ext_task_json(struct ext_task *t)
{
	json_object	*j;

	j = task_fields(t->id, ext_statuses[t->status], t->message,
	    &t->created, &t->updated);
	json_object_object_add(j, "ttlMs",
	    json_object_new_int64(EXT_TASK_TTL_MS));
	json_object_object_add(j, "pollIntervalMs",
	    json_object_new_int(EXT_TASK_POLL_MS));
	return (j);
}

/*
 * Reply r's call becomes a task; the CreateTaskResult to answer its
 * request with (a new object, without resultType: the sender adds it).
 */
json_object *
ext_task_new(struct reply *r)
{
	struct ext_task	*t;

	t = xcalloc(1, sizeof *t);
	xrandom_hex(t->id, 16);
	t->status = EXT_WORKING;
	t->reply = r;
	gettimeofday(&t->created, NULL);
	t->updated = t->created;
	t->expire = evtimer_new(proxy_base, ext_task_expire_cb, t);
	TAILQ_INSERT_TAIL(&ext_tasks, t, entry);
	r->ext_task = t;
	log_info("call %s runs on as task %s", json_text(r->id), t->id);
	return (ext_task_json(t));
}

/* Change the status, unless the task is over. */
static void
ext_task_touch(struct ext_task *t, enum ext_status status)
{
	if (t->status == EXT_COMPLETED || t->status == EXT_CANCELLED)
		return;
	t->status = status;
	gettimeofday(&t->updated, NULL);
}

/* What the call is doing now, for tasks/get. */
void
ext_task_progress(struct ext_task *t, const char *message)
{
	free(t->message);
	t->message = xstrdup(message);
	ext_task_touch(t, t->status);
}

/* The call waits for the user's input, or goes on. */
void
ext_task_input(struct ext_task *t, int waiting)
{
	if (waiting)
		ext_task_touch(t, EXT_INPUT_REQUIRED);
	else if (t->status == EXT_INPUT_REQUIRED)
		ext_task_touch(t, EXT_WORKING);
}

/*
 * The call ended with result (taken; NULL when cancelled): the task is
 * completed or cancelled, and kept for its time to live.
 */
void
ext_task_finish(struct ext_task *t, json_object *result)
{
	struct timeval	tv = { EXT_TASK_TTL_MS / 1000, 0 };

	t->reply = NULL;
	free(t->message);
	t->message = NULL;
	t->result = result;
	ext_task_touch(t, result != NULL ? EXT_COMPLETED : EXT_CANCELLED);
	evtimer_add(t->expire, &tv);
	log_info("task %s %s", t->id, ext_statuses[t->status]);
}

/* Its time to live after the end is over: forget it. */
static void
ext_task_expire_cb(evutil_socket_t fd, short events, void *arg)
{
	ext_task_free(arg);
}

/* Forget a task that is over. */
static void
ext_task_free(struct ext_task *t)
{
	TAILQ_REMOVE(&ext_tasks, t, entry);
	event_free(t->expire);
	json_object_put(t->result);
	free(t->message);
	free(t);
}

/* Do capabilities caps (borrowed, may be NULL) declare the extension? */
int
ext_tasks_declared(json_object *caps)
{
	return (json_obj(json_obj(caps, "extensions"), EXT_TASKS) != NULL);
}

/* Answer -32021: the request must declare the extension. */
static void
ext_tasks_undeclared(struct mcp_session *s, json_object *id)
{
	json_object	*msg, *data, *caps, *ext;

	ext = json_object_new_object();
	json_object_object_add(ext, EXT_TASKS, json_object_new_object());
	caps = json_object_new_object();
	json_object_object_add(caps, "extensions", ext);
	data = json_object_new_object();
	json_object_object_add(data, "requiredCapabilities", caps);
	msg = modern_error(id, RPC_MISSING_CAPABILITY, "Missing required "
	    "client capability: the tasks extension (" EXT_TASKS ")", data);
	mcp_send(s, msg, id);
	json_object_put(msg);
}

/* The task taskId names, or NULL. */
static struct ext_task *
ext_task_find(json_object *params)
{
	struct ext_task	*t;
	const char	*id = json_str(params, "taskId");

	TAILQ_FOREACH(t, &ext_tasks, entry) {
		if (id != NULL && strcmp(t->id, id) == 0)
			return (t);
	}
	return (NULL);
}

/*
 * tasks/get, tasks/update or tasks/cancel from a 2026-07-28 request; any
 * other tasks/ method is not found, and a request that did not declare the
 * extension is told it must.
 */
void
ext_tasks_request(struct mcp_session *s, json_object *id, const char *method,
    json_object *params, const struct mcp_context *ctx)
{
	struct ext_task	*t;
	json_object	*j, *copy = NULL;
	const char	*why;

	if (strcmp(method, "tasks/get") != 0 &&
	    strcmp(method, "tasks/update") != 0 &&
	    strcmp(method, "tasks/cancel") != 0) {
		mcp_send_error(s, id, RPC_METHOD_NOT_FOUND, "Method not found: "
		    "%s", method);
		return;
	}
	if (!ext_tasks_declared(ctx->caps)) {
		ext_tasks_undeclared(s, id);
		return;
	}
	if ((t = ext_task_find(params)) == NULL) {
		mcp_send_error(s, id, RPC_INVALID_PARAMS, "Invalid params: "
		    "unknown taskId %s (never issued, or past its time to "
		    "live)", json_str(params, "taskId") != NULL ?
		    json_str(params, "taskId") : "(none given)");
		return;
	}
	if (strcmp(method, "tasks/get") == 0) {
		j = ext_task_json(t);
		if (t->status == EXT_INPUT_REQUIRED && t->reply != NULL)
			json_object_object_add(j, "inputRequests",
			    reply_input_requests(t->reply));
		if (t->result != NULL) {
			json_object_deep_copy(t->result, &copy, NULL);
			json_object_object_add(j, "result", copy);
		}
		mcp_send_result(s, id, modern_result(j, "complete"));
		return;
	}
	if (strcmp(method, "tasks/update") == 0 && t->reply != NULL &&
	    reply_input_responses(t->reply, json_obj(params, "inputResponses"),
	    &why) == -1) {
		mcp_send_error(s, id, RPC_INVALID_PARAMS, "Invalid params: %s",
		    why);
		return;
	}
	if (strcmp(method, "tasks/cancel") == 0 && t->reply != NULL)
		reply_cancel_now(t->reply);
	mcp_send_result(s, id, modern_result(json_object_new_object(),
	    "complete"));
}

/* Forget every task (at exit). */
void
ext_tasks_free(void)
{
	struct ext_task	*t;

	while ((t = TAILQ_FIRST(&ext_tasks)) != NULL) {
		if (t->reply != NULL)
			t->reply->ext_task = NULL;
		ext_task_free(t);
	}
}
