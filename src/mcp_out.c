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
 * Requests this server sends to the client, for now elicitation/create:
 * proxy-allocated ids, the answer matched back to whoever asked, and a time
 * limit after which the request is cancelled towards the client and a late
 * answer is ignored.
 */

#include <stdlib.h>
#include <string.h>

#include "proxy.h"

/* A request this server sent the client, waiting for the answer. */
struct mcp_out {
	struct mcp_session	*session;
	int64_t			 id;
	json_object		*related;	/* the client request it serves */
	mcp_answer_cb		 cb;
	void			*arg;
	struct event		*timer;
	TAILQ_ENTRY(mcp_out)	 entry;
};

static void	 mcp_out_timeout_cb(evutil_socket_t, short, void *);
static void	 mcp_out_free(struct mcp_out *);

/*
 * Can a client with capabilities caps fill in forms? It declared
 * elicitation, either empty (form mode only, as before 2025-11-25) or with
 * form among its modes.
 */
int
mcp_caps_form(json_object *caps)
{
	json_object	*e = json_obj(caps, "elicitation");

	if (e == NULL || !json_object_is_type(e, json_type_object))
		return (0);
	return (json_object_object_length(e) == 0 ||
	    json_obj(e, "form") != NULL);
}

/*
 * Ask the client to fill in a form (elicitation/create, taking schema),
 * on behalf of the client request related. meta (borrowed, may be NULL)
 * goes into the request's _meta. cb gets the result, or an error message
 * ("timed out" after timeout seconds; 0 is no limit). Returns NULL, without
 * calling cb, if the client did not declare the elicitation capability.
 */
struct mcp_out *
mcp_elicit(struct mcp_session *s, json_object *related, json_object *meta,
    const char *message, json_object *schema, int timeout, mcp_answer_cb cb,
    void *arg)
{
	struct mcp_out	*o;
	struct timeval	 tv;
	json_object	*msg, *params;

	if (s->closed || !mcp_caps_form(s->client_caps)) {
		json_object_put(schema);
		return (NULL);
	}
	o = xcalloc(1, sizeof *o);
	o->session = s;
	mcp_session_ref(s);
	o->id = s->next_out++;
	o->related = json_object_get(related);
	o->cb = cb;
	o->arg = arg;
	o->timer = evtimer_new(proxy_base, mcp_out_timeout_cb, o);
	TAILQ_INSERT_TAIL(&s->outs, o, entry);
	if (timeout > 0) {
		tv.tv_sec = timeout;
		tv.tv_usec = 0;
		evtimer_add(o->timer, &tv);
	}

	params = json_object_new_object();
	json_set_str(params, "mode", "form");
	json_set_str(params, "message", message);
	json_object_object_add(params, "requestedSchema", schema);
	json_set_copy(params, "_meta", meta);
	msg = rpc_request(1, o->id, "elicitation/create", params);
	mcp_send(s, msg, related);
	json_object_put(msg);
	return (o);
}

/* Free a request that is over. */
static void
mcp_out_free(struct mcp_out *o)
{
	TAILQ_REMOVE(&o->session->outs, o, entry);
	event_free(o->timer);
	json_object_put(o->related);
	mcp_session_unref(o->session);
	free(o);
}

/*
 * Give up on a request: tell the client (notifications/cancelled with the
 * reason) and forget it, without calling its callback.
 */
void
mcp_out_cancel(struct mcp_out *o, const char *reason)
{
	json_object	*msg, *params;

	params = json_object_new_object();
	json_object_object_add(params, "requestId",
	    json_object_new_int64(o->id));
	json_set_str(params, "reason", reason);
	msg = rpc_notification(1, "notifications/cancelled", params);
	mcp_send(o->session, msg, o->related);
	json_object_put(msg);
	mcp_out_free(o);
}

/* No answer in time: cancel towards the client, then tell the asker. */
static void
mcp_out_timeout_cb(evutil_socket_t fd, short events, void *arg)
{
	struct mcp_out	*o = arg;
	mcp_answer_cb	 cb = o->cb;
	void		*cbarg = o->arg;

	log_info("elicitation %lld got no answer in time; cancelled",
	    (long long)o->id);
	mcp_out_cancel(o, "timed out");
	cb(cbarg, NULL, "timed out");
}

/* A response from the client (msg borrowed): hand it to its request. */
void
mcp_out_answer(struct mcp_session *s, json_object *msg)
{
	struct mcp_out	*o;
	json_object	*id = json_obj(msg, "id"), *err;
	mcp_answer_cb	 cb;
	void		*arg;
	const char	*why;

	TAILQ_FOREACH(o, &s->outs, entry) {
		if (json_object_is_type(id, json_type_int) &&
		    json_object_get_int64(id) == o->id)
			break;
	}
	if (o == NULL) {
		/* Cancelled or timed out before: dropped. */
		log_debug("client answered %s, which is no longer pending",
		    json_text(id));
		return;
	}
	cb = o->cb;
	arg = o->arg;
	mcp_out_free(o);
	if ((err = json_obj(msg, "error")) != NULL) {
		why = json_str(err, "message");
		cb(arg, NULL, why != NULL ? why : "the client refused");
	} else
		cb(arg, json_obj(msg, "result"), NULL);
}

/* The session is ending: every pending request fails. */
void
mcp_out_close(struct mcp_session *s)
{
	struct mcp_out	*o;
	mcp_answer_cb	 cb;
	void		*arg;

	while ((o = TAILQ_FIRST(&s->outs)) != NULL) {
		cb = o->cb;
		arg = o->arg;
		mcp_out_free(o);
		cb(arg, NULL, "the client went away");
	}
}
