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
 * Questions in MCP 2026-07-28, which has no server-to-client requests. A
 * call that needs the user's approval is answered at once with
 * resultType "input_required": the form in inputRequests and a sealed
 * requestState naming the waiting call. The turn waits upstream (under
 * --approval-timeout) while the reply is detached; the client's retry,
 * the same tools/call with inputResponses and that requestState, answers
 * codex and takes over the reply, so the rest of the turn answers it. A
 * turn that ends meanwhile (its question timed out, the turn was cut) has
 * its result kept until the state expires, and the retry gets it. A call
 * that became a task of the extension is asked through the task.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proxy.h"
#include "reply.h"

#define INPUT_STATE_NO_LIMIT	86400	/* a state's life without a timeout */
#define INPUT_STATE_SLACK	60	/* seconds past the timeout */
#define INPUT_KEPT_MAX		64	/* ended calls' results kept at once */
#define INPUT_KEPT_S		600	/* and for at most this long */

/* The result of a call that ended while it waited for its retry. */
struct input_kept {
	char			 wait[33];	/* its requestState's */
	char			 digest[33];	/* of its tool and arguments */
	json_object		*result;
	struct event		*timer;		/* when the state expires */
	TAILQ_ENTRY(input_kept)	 entry;
};

/* Detached replies waiting for the retry their requestState names. */
static TAILQ_HEAD(, reply) reply_waiting =
    TAILQ_HEAD_INITIALIZER(reply_waiting);

/* The results of the calls that ended so, oldest first. */
static TAILQ_HEAD(, input_kept) input_kept =
    TAILQ_HEAD_INITIALIZER(input_kept);
static u_int		 input_nkept;

static void	 input_timeout_cb(evutil_socket_t, short, void *);
static void	 input_required(struct reply *);
static char	*input_state(struct reply *);
static int	 input_response_valid(json_object *);
static int	 input_responses_valid(struct reply *, json_object *,
		     const char **);
static void	 input_answer(struct reply *, json_object *);
static const char *input_waiting(json_object *, struct reply **,
		     struct input_kept **, const char **);
static void	 input_kept_cb(evutil_socket_t, short, void *);
static void	 input_kept_free(struct input_kept *);
static void	 input_kept_answer(struct input_kept *, struct mcp_session *,
		     json_object *);

/*
 * Ask as 2026-07-28 does: NULL if this request cannot be asked (it did not
 * declare form elicitation), else the question, put to the client in the
 * answer to its request, or through its task.
 */
struct reply_ask *
reply_ask_modern(struct reply *r, const char *message, int timeout,
    reply_approve_cb cb, void *arg)
{
	struct reply_ask	*ra;
	struct timeval		 tv = { timeout, 0 };

	if (!mcp_caps_form(r->caps))
		return (NULL);
	ra = xcalloc(1, sizeof *ra);
	ra->reply = r;
	ra->cb = cb;
	ra->arg = arg;
	ra->message = xstrdup(message);
	snprintf(ra->key, sizeof ra->key, "approval-%u", ++r->next_key);
	if (timeout > 0) {
		ra->timer = evtimer_new(proxy_base, input_timeout_cb, ra);
		evtimer_add(ra->timer, &tv);
	}
	TAILQ_INSERT_TAIL(&r->asks, ra, entry);
	if (r->ext_task != NULL)
		ext_task_input(r->ext_task, 1);
	else if (r->session != NULL)
		input_required(r);
	return (ra);
}

/* No answer within --approval-timeout: the question fails. */
static void
input_timeout_cb(evutil_socket_t fd, short events, void *arg)
{
	struct reply_ask	*ra = arg;

	log_info("input request %s got no answer in time", ra->key);
	reply_decide(ra, NULL, "timed out");
}

/* The inputRequests for every open question of the reply (a new object). */
json_object *
reply_input_requests(struct reply *r)
{
	struct reply_ask	*ra;
	json_object		*all, *one, *params;

	all = json_object_new_object();
	TAILQ_FOREACH(ra, &r->asks, entry) {
		params = json_object_new_object();
		json_set_str(params, "mode", "form");
		json_set_str(params, "message", ra->message);
		json_set_copy(params, "requestedSchema", reply_approval_schema);
		one = json_object_new_object();
		json_set_str(one, "method", "elicitation/create");
		json_object_object_add(one, "params", params);
		json_object_object_add(all, ra->key, one);
	}
	return (all);
}

/* A new requestState for the reply, naming it by a new wait id. */
static char *
input_state(struct reply *r)
{
	json_object	*p;
	char		*state;
	int		 life;

	xrandom_hex(r->wait, 16);
	life = opts.approval_timeout > 0 ? opts.approval_timeout :
	    INPUT_STATE_NO_LIMIT;
	p = json_object_new_object();
	json_set_str(p, "wait", r->wait);
	json_set_str(p, "call", r->digest);
	r->wait_end = time(NULL) + life + INPUT_STATE_SLACK;
	json_object_object_add(p, "exp", json_object_new_int64(r->wait_end));
	state = request_state_seal(p);
	json_object_put(p);
	return (state);
}

/* Answer the request input_required, then wait detached for the retry. */
static void
input_required(struct reply *r)
{
	json_object	*result;
	char		*state = input_state(r);

	result = json_object_new_object();
	json_object_object_add(result, "inputRequests",
	    reply_input_requests(r));
	json_set_str(result, "requestState", state);
	free(state);
	log_info("call %s waits for the client's input (%s)", json_text(r->id),
	    TAILQ_FIRST(&r->asks)->key);
	mcp_send_result(r->session, r->id, modern_result(result,
	    "input_required"));
	reply_detach(r);
	TAILQ_INSERT_TAIL(&reply_waiting, r, entry);
}

/* Is v a well-formed ElicitResult? */
static int
input_response_valid(json_object *v)
{
	const char	*action = json_str(v, "action");
	json_object	*content = json_obj(v, "content");

	if (!json_object_is_type(v, json_type_object) || action == NULL)
		return (0);
	if (strcmp(action, "accept") != 0 && strcmp(action, "decline") != 0 &&
	    strcmp(action, "cancel") != 0)
		return (0);
	return (content == NULL ||
	    json_object_is_type(content, json_type_object));
}

/* Is inputResponses (borrowed, may be NULL) well formed? Else why not. */
static int
input_responses_valid(struct reply *r, json_object *responses,
    const char **why)
{
	struct reply_ask	*ra;
	json_object		*v;

	if (responses != NULL &&
	    !json_object_is_type(responses, json_type_object)) {
		*why = "inputResponses must be an object";
		return (0);
	}
	TAILQ_FOREACH(ra, &r->asks, entry) {
		v = json_obj(responses, ra->key);
		if (v != NULL && !input_response_valid(v)) {
			*why = "an inputResponses entry must be an ElicitResult "
			    "(action accept, decline or cancel; content an "
			    "object)";
			return (0);
		}
	}
	return (1);
}

/* Answer the open questions that responses (valid, borrowed) answers. */
static void
input_answer(struct reply *r, json_object *responses)
{
	struct reply_ask	*ra, *ra1;
	json_object		*v;

	TAILQ_FOREACH_SAFE(ra, &r->asks, entry, ra1) {
		if ((v = json_obj(responses, ra->key)) != NULL)
			reply_decide(ra, v, NULL);
	}
}

/*
 * Answer the reply's open questions from inputResponses (borrowed; keys
 * not open are ignored); -1 with why, answering none, if it is malformed.
 */
int
reply_input_responses(struct reply *r, json_object *responses,
    const char **why)
{
	if (!input_responses_valid(r, responses, why))
		return (-1);
	input_answer(r, responses);
	return (0);
}

/*
 * The call is over (its asker has withdrawn its questions): it waits for
 * no retry any more.
 */
void
reply_unwait(struct reply *r)
{
	if (r->wait[0] != '\0') {
		TAILQ_REMOVE(&reply_waiting, r, entry);
		r->wait[0] = '\0';
	}
}

/*
 * What requestState (a string) names: a waiting reply (*rp) or the kept
 * result of one that ended (*kp); NULL if neither, with why.
 */
static const char *
input_waiting(json_object *state, struct reply **rp, struct input_kept **kp,
    const char **why)
{
	struct reply		*r;
	struct input_kept	*k = NULL;
	json_object		*payload;
	const char		*wait;

	*rp = NULL;
	*kp = NULL;
	if (!json_object_is_type(state, json_type_string)) {
		*why = "requestState must be a string";
		return (NULL);
	}
	if ((payload = request_state_open(json_object_get_string(state),
	    why)) == NULL)
		return (NULL);
	if ((wait = json_str(payload, "wait")) == NULL)
		wait = "";
	TAILQ_FOREACH(r, &reply_waiting, entry) {
		if (strcmp(r->wait, wait) == 0)
			break;
	}
	if (r == NULL) {
		TAILQ_FOREACH(k, &input_kept, entry) {
			if (strcmp(k->wait, wait) == 0)
				break;
		}
	}
	json_object_put(payload);
	*rp = r;
	*kp = k;
	if (r == NULL && k == NULL) {
		*why = "the requestState names no call waiting for input: it "
		    "was used already, or its call is gone";
		return (NULL);
	}
	return (r != NULL ? r->digest : k->digest);
}

/*
 * A call ended while it waited for its retry: keep its result (taken)
 * for the retry until the state expires, ten minutes at most; the oldest
 * go past a limit.
 */
void
reply_keep(struct reply *r, json_object *result)
{
	struct input_kept	*k;
	struct timeval		 tv = { 1, 0 };
	time_t			 now = time(NULL);

	if (input_nkept >= INPUT_KEPT_MAX) {
		log_info("the oldest result kept for a retry is dropped");
		input_kept_free(TAILQ_FIRST(&input_kept));
	}
	k = xcalloc(1, sizeof *k);
	memcpy(k->wait, r->wait, sizeof k->wait);
	memcpy(k->digest, r->digest, sizeof k->digest);
	k->result = result;
	if (r->wait_end > now)
		tv.tv_sec = r->wait_end - now;
	if (tv.tv_sec > INPUT_KEPT_S)
		tv.tv_sec = INPUT_KEPT_S;
	k->timer = evtimer_new(proxy_base, input_kept_cb, k);
	evtimer_add(k->timer, &tv);
	TAILQ_INSERT_TAIL(&input_kept, k, entry);
	input_nkept++;
	log_info("a call ended while it waited for the client's input; its "
	    "result is kept for the retry");
}

/* The state of a kept result expired: no retry can take it any more. */
static void
input_kept_cb(evutil_socket_t fd, short events, void *arg)
{
	input_kept_free(arg);
}

/* Forget a kept result. */
static void
input_kept_free(struct input_kept *k)
{
	TAILQ_REMOVE(&input_kept, k, entry);
	input_nkept--;
	event_free(k->timer);
	json_object_put(k->result);
	free(k);
}

/* Forget every kept result (at exit). */
void
reply_kept_free_all(void)
{
	while (!TAILQ_EMPTY(&input_kept))
		input_kept_free(TAILQ_FIRST(&input_kept));
}

/* The retry of a call that ended meanwhile: it gets the call's result. */
static void
input_kept_answer(struct input_kept *k, struct mcp_session *s,
    json_object *id)
{
	log_info("call %s takes the result its call left", json_text(id));
	mcp_send_result(s, id, modern_result(k->result, "complete"));
	k->result = NULL;
	input_kept_free(k);
}

/*
 * A 2026-07-28 tools/call with a requestState: the retry of a call that
 * was answered input_required. Its answers go to codex, and the waiting
 * call now answers this request; anything wrong is a -32602 error that
 * touches no call.
 */
void
reply_resume(struct mcp_session *s, json_object *id, json_object *params,
    const struct mcp_context *ctx)
{
	struct reply_ask	*ra, *ra1;
	struct reply		*r;
	struct input_kept	*k;
	json_object		*responses;
	const char		*why, *digest;

	if ((digest = input_waiting(json_obj(params, "requestState"), &r, &k,
	    &why)) == NULL) {
		mcp_send_error(s, id, RPC_INVALID_PARAMS, "Invalid params: %s",
		    why);
		return;
	}
	if (!reply_same_call(digest, params)) {
		mcp_send_error(s, id, RPC_INVALID_PARAMS, "Invalid params: the "
		    "requestState was issued for another tools/call (another "
		    "tool or other arguments)");
		return;
	}
	if (k != NULL) {
		input_kept_answer(k, s, id);
		return;
	}
	responses = json_obj(params, "inputResponses");
	if (!input_responses_valid(r, responses, &why)) {
		mcp_send_error(s, id, RPC_INVALID_PARAMS, "Invalid params: %s",
		    why);
		return;
	}
	reply_unwait(r);
	reply_attach(r, s, id, params, ctx);
	input_answer(r, responses);
	if (TAILQ_EMPTY(&r->asks))
		return;
	if (mcp_caps_form(r->caps)) {
		input_required(r);
		return;
	}
	TAILQ_FOREACH_SAFE(ra, &r->asks, entry, ra1)
		reply_decide(ra, NULL, "could not be asked");
}
