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
 * The bridge: one tool call is one codex turn. A call waits for the
 * app-server, starts or resumes its thread, starts the turn, collects the
 * normalized events the dialect reports, and ends with one CallToolResult
 * through its reply.
 *
 * A call is counted: the list of running calls holds one reference until
 * the call is answered, and every dialect operation and approval waiting
 * for an answer holds one. Its timers are its own and die with it.
 *
 * A client whose own time limit ran out may ask the same codex-reply again
 * while the turn still runs: that request waits for the running turn and
 * gets its result too, rather than a busy error.
 */

#include <stdlib.h>
#include <string.h>

#include "proxy.h"

#define BRIDGE_RETRY_MS		250	/* between resume attempts */
#define BRIDGE_GRACE_S		5	/* for an interrupted turn to end */
#define BRIDGE_HEAD		63	/* bytes of the answer in progress */

enum call_state {
	CS_WAITING,		/* for the app-server */
	CS_STARTING,		/* thread/start sent */
	CS_RESUMING,		/* thread/resume sent */
	CS_TURN_STARTING,	/* turn/start sent */
	CS_RUNNING,		/* the turn runs */
	CS_DONE
};

/* Text from codex, kept up to --max-answer bytes. */
struct answer {
	struct evbuffer		*kept;
	size_t			 sent;		/* bytes codex sent in all */
};

/* A repeated request waiting for the result of the running turn. */
struct call_waiter {
	struct call		*call;
	struct reply		*reply;
	TAILQ_ENTRY(call_waiter) entry;
};

struct call {
	int			 references;
	struct reply		*reply;		/* NULL once answered */
	enum call_kind		 kind;
	struct turn_args	*args;
	enum call_state		 state;
	int			 cancelled;
	int			 interrupting;
	int			 timed_out;

	struct thread		*thread;
	char			*turn_id;
	struct answer		 partial;	/* text of the message so far */
	struct answer		 message;	/* the agent message that answers */
	int			 head_said;	/* progress shows all of its head */
	int			 have_message;
	int			 have_final;	/* ...and it is the final answer */
	u_int			 hidden;	/* messages moderation left out */
	int			 turn_began;	/* codex accepted the turn */
	char			*error;		/* the last error codex reported */
	struct evbuffer		*notes;		/* what the proxy did on its own */

	struct event		*retry;
	int			 resume_tries;
	struct event		*foreign;	/* waits for another's turn */
	int			 foreign_tries;
	struct event		*deadline;

	struct approval_waits	 approvals;
	TAILQ_HEAD(, call_waiter) waiters;
	TAILQ_ENTRY(call)	 entry;
};

static TAILQ_HEAD(, call) calls = TAILQ_HEAD_INITIALIZER(calls);

static void	 call_ready(void *, const char *);
static void	 call_deadline_cb(evutil_socket_t, short, void *);
static void	 call_begin(struct call *);
static void	 call_resume(struct call *);
static void	 call_thread_started(void *, const char *,
		     const struct cerror *);
static void	 call_resumed(void *, const char *, const struct cerror *);
static void	 call_retry_cb(evutil_socket_t, short, void *);
static void	 call_claim(evutil_socket_t, short, void *);
static void	 call_turn(struct call *);
static void	 call_turn_started(void *, const char *,
		     const struct cerror *);
static void	 call_interrupt(struct call *);
static void	 call_interrupted(void *, const char *, const struct cerror *);
static void	 call_event(struct call *, const struct cevent *);
static void	 call_completed(struct call *, const struct cevent *);
static void	 call_take_message(struct call *, const struct cevent *);
static int	 call_attach(struct call *, struct reply *,
		     struct turn_args *);
static void	 call_waiter_cancel(void *);
static void	 call_answer_waiters(struct call *, json_object *);
static void	 call_unsaved_note(struct call *);
static json_object *call_output(struct call *, const char **);
static void	 answer_add(struct answer *, const char *);
static void	 answer_clear(struct answer *);
static void	 call_progress_text(struct call *);
static void	 call_finish(struct call *, json_object *);
static void	 call_fail(struct call *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
static void	 call_cancel(void *);
static char	*call_text(struct call *);
static void	 call_answer(struct call *);
static void	 bridge_event(const struct cevent *);
static void	 bridge_lost(const char *);

static const struct dialect_handlers bridge_dialect_handlers = {
	bridge_event,
	approval_request,
	bridge_lost,
	tools_models
};

/* Start the app-server side, reporting to the bridge. */
void
bridge_init(void)
{
	dialect_init(opts.upstream_cmd, &bridge_dialect_handlers);
}

/*
 * Start a tool call (taking args): a new conversation, or a reply to the
 * thread args->thread_id. The result goes out through reply, which the
 * call owns from now on.
 */
void
bridge_call(struct reply *r, enum call_kind kind, struct turn_args *args)
{
	struct call	*c;
	struct thread	*t;
	char		 id[33];

	if (kind == CALL_REPLY)
		reply_thread(r, args->thread_id);
	if (kind == CALL_REPLY && (t = threads_find(args->thread_id)) != NULL &&
	    t->active != NULL && call_attach(t->active, r, args))
		return;
	xrandom_hex(id, 16);
	args->message_id = xstrdup(id);
	c = xcalloc(1, sizeof *c);
	c->references = 1;
	c->reply = r;
	reply_on_cancel(r, call_cancel, c);
	c->kind = kind;
	c->args = args;
	c->state = CS_WAITING;
	c->partial.kept = evbuffer_new();
	c->message.kept = evbuffer_new();
	c->notes = evbuffer_new();
	c->retry = evtimer_new(proxy_base, call_retry_cb, c);
	c->foreign = evtimer_new(proxy_base, call_claim, c);
	c->deadline = evtimer_new(proxy_base, call_deadline_cb, c);
	TAILQ_INIT(&c->approvals);
	TAILQ_INIT(&c->waiters);
	TAILQ_INSERT_TAIL(&calls, c, entry);
	call_claim(-1, 0, c);
}

/*
 * A reply waits for the thread while another client of a shared app-server
 * runs a turn on it (its turn/completed may be on its way), for up to
 * --resume-retry; then it is refused. A free thread is the call's: go.
 * The thread is looked up at each try and not held between them: nothing
 * marks it as the call's until then, so it may be forgotten meanwhile.
 */
static void
call_claim(evutil_socket_t fd, short events, void *arg)
{
	struct call	*c = arg;
	struct timeval	 tv = { 0, BRIDGE_RETRY_MS * 1000 };

	if (c->state == CS_DONE)
		return;
	if (c->kind == CALL_REPLY)
		c->thread = threads_get(c->args->thread_id);
	if (c->thread != NULL && c->thread->active == NULL &&
	    c->thread->foreign != 0 &&
	    c->thread->foreign == dialect_generation()) {
		if (c->foreign_tries++ * BRIDGE_RETRY_MS <
		    opts.resume_retry * 1000) {
			c->thread = NULL;
			evtimer_add(c->foreign, &tv);
			return;
		}
		c->thread = NULL;
		call_fail(c, "thread %s is busy: another client of the "
		    "shared codex app-server is running a turn on it; "
		    "wait for that turn to finish, then reply again",
		    c->args->thread_id);
		return;
	}
	if (c->thread != NULL && c->thread->active != NULL) {
		c->thread = NULL;
		call_fail(c, "thread %s is busy: a turn started by another "
		    "call is still running on it; wait for that call to "
		    "finish, then reply again", c->args->thread_id);
		return;
	}
	if (c->thread != NULL)
		c->thread->active = c;
	log_debug("%s: %s %s", __func__, c->kind == CALL_NEW ? "codex" :
	    "codex-reply", c->kind == CALL_REPLY ? c->args->thread_id : "");
	if (opts.turn_timeout > 0) {
		tv.tv_sec = opts.turn_timeout;
		tv.tv_usec = 0;
		evtimer_add(c->deadline, &tv);
	}
	reply_progress(c->reply, "waiting for codex");
	c->references++;
	dialect_ready(call_ready, c);
}

/*
 * A request asking what the running call c asks (the client's own time
 * limit ran out and it asked again): wait for c's result, taking r and
 * args. 0 if it asks something else.
 */
static int
call_attach(struct call *c, struct reply *r, struct turn_args *args)
{
	struct call_waiter	*w;

	if (c->state == CS_DONE || c->cancelled || c->kind != CALL_REPLY ||
	    !turn_args_same(c->args, args))
		return (0);
	log_info("codex-reply on %s repeats the running call; it waits for "
	    "that turn's result", args->thread_id);
	w = xcalloc(1, sizeof *w);
	w->call = c;
	w->reply = r;
	reply_on_cancel(r, call_waiter_cancel, w);
	reply_progress(r, "waiting for the turn already running on this "
	    "conversation");
	TAILQ_INSERT_TAIL(&c->waiters, w, entry);
	turn_args_free(args);
	return (1);
}

/* A waiting repeat was cancelled: it alone goes, the turn runs on. */
static void
call_waiter_cancel(void *arg)
{
	struct call_waiter	*w = arg;

	TAILQ_REMOVE(&w->call->waiters, w, entry);
	reply_send(w->reply, NULL);
	free(w);
}

/* Give each waiting repeat the call's result (borrowed), or say why not. */
static void
call_answer_waiters(struct call *c, json_object *result)
{
	struct call_waiter	*w;
	json_object		*copy;

	while ((w = TAILQ_FIRST(&c->waiters)) != NULL) {
		TAILQ_REMOVE(&c->waiters, w, entry);
		copy = NULL;
		if (result == NULL || json_object_deep_copy(result, &copy,
		    NULL) != 0)
			copy = tool_error_result(c->args->thread_id, "the turn "
			    "this call waited for was cancelled by the call "
			    "that started it");
		reply_send(w->reply, copy);
		free(w);
	}
}

/* Take a reference. */
void
call_ref(struct call *c)
{
	c->references++;
}

/* Drop a reference; the last one frees the call. */
void
call_unref(struct call *c)
{
	if (--c->references > 0)
		return;
	event_free(c->retry);
	event_free(c->foreign);
	event_free(c->deadline);
	evbuffer_free(c->partial.kept);
	evbuffer_free(c->message.kept);
	evbuffer_free(c->notes);
	turn_args_free(c->args);
	free(c->turn_id);
	free(c->error);
	free(c);
}

/* The call's reply, while it is not answered. */
struct reply *
call_reply(struct call *c)
{
	return (c->reply);
}

/* The approvals the call waits for. */
struct approval_waits *
call_approvals(struct call *c)
{
	return (&c->approvals);
}

/* Add a line to what the proxy tells the caller with the result. */
void
call_note(struct call *c, const char *fmt, ...)
{
	va_list	ap;

	evbuffer_add_printf(c->notes, "\n\n[");
	va_start(ap, fmt);
	evbuffer_add_vprintf(c->notes, fmt, ap);
	va_end(ap);
	evbuffer_add_printf(c->notes, "]");
}

/*
 * --turn-timeout: interrupt the turn and answer with what codex said so far
 * (or, the second time, when the interrupt itself takes too long, anyway).
 */
static void
call_deadline_cb(evutil_socket_t fd, short events, void *arg)
{
	struct call	*c = arg;
	struct timeval	 tv;

	if (c->cancelled) {
		/* The interrupt of a cancelled call took too long. */
		call_finish(c, NULL);
		return;
	}
	if (c->timed_out) {
		/* The interrupt took too long: answer with what there is. */
		call_answer(c);
		return;
	}
	if (c->state != CS_RUNNING && c->state != CS_TURN_STARTING) {
		call_fail(c, "no turn had started when --turn-timeout of %d s "
		    "ran out; nothing was asked of codex", opts.turn_timeout);
		return;
	}
	log_info("turn on %s hit --turn-timeout (%d s); interrupting",
	    c->thread->id, opts.turn_timeout);
	c->timed_out = 1;
	call_note(c, "codex-mcp-proxy stopped this turn after --turn-timeout "
	    "of %d s; the text above is what Codex had said so far. The "
	    "conversation goes on: call codex-reply with threadId %s.",
	    opts.turn_timeout, c->thread->id);
	/* A turn still starting is interrupted once it has an id. */
	if (c->state == CS_RUNNING)
		call_interrupt(c);
	tv.tv_sec = BRIDGE_GRACE_S;
	tv.tv_usec = 0;
	evtimer_add(c->deadline, &tv);
}

/* The app-server is ready, or could not be started. */
static void
call_ready(void *arg, const char *error)
{
	struct call	*c = arg;

	if (c->state == CS_DONE)
		;
	else if (error != NULL)
		call_fail(c, "%s", error);
	else if (c->cancelled)
		call_finish(c, NULL);
	else
		call_begin(c);
	call_unref(c);
}

/* First step on a ready app-server: start, resume or go straight on. */
static void
call_begin(struct call *c)
{
	const char	*why;

	if ((why = dialect_refuse(c->args)) != NULL) {
		call_fail(c, "%s; nothing was sent to codex", why);
		return;
	}
	if (c->kind == CALL_NEW) {
		c->state = CS_STARTING;
		reply_progress(c->reply, "starting a conversation");
		c->references++;
		dialect_thread_start(c->args, call_thread_started, c);
	} else if (c->thread->loaded == dialect_generation())
		call_turn(c);
	else
		call_resume(c);
}

/* Ask the app-server to load the thread from its rollout. */
static void
call_resume(struct call *c)
{
	c->state = CS_RESUMING;
	if (c->resume_tries == 0)
		reply_progress(c->reply, "resuming the conversation");
	c->resume_tries++;
	c->references++;
	dialect_thread_resume(c->thread->id, c->args, call_resumed, c);
}

/* thread/start answered. */
static void
call_thread_started(void *arg, const char *id, const struct cerror *e)
{
	struct call	*c = arg;

	if (c->state == CS_DONE)
		;
	else if (e != NULL)
		call_fail(c, "codex could not start a conversation: %s",
		    e->message);
	else {
		c->thread = threads_get(id);
		c->thread->loaded = dialect_generation();
		c->thread->active = c;
		log_info("new conversation %s", id);
		reply_thread(c->reply, id);
		if (c->cancelled)
			call_finish(c, NULL);
		else
			call_turn(c);
	}
	call_unref(c);
}

/* thread/resume answered. */
static void
call_resumed(void *arg, const char *id, const struct cerror *e)
{
	struct call	*c = arg;
	struct timeval	 tv;

	if (c->state == CS_DONE)
		;
	else if (e == NULL) {
		c->thread->loaded = dialect_generation();
		log_info("resumed conversation %s", c->thread->id);
		if (c->cancelled)
			call_finish(c, NULL);
		else
			call_turn(c);
	} else if (e->kind == CERR_BUSY &&
	    c->resume_tries * BRIDGE_RETRY_MS < opts.resume_retry * 1000) {
		/* An exiting app-server may still hold the lease. */
		log_debug("%s: %s held elsewhere; retrying", __func__,
		    c->thread->id);
		c->state = CS_WAITING;
		tv.tv_sec = 0;
		tv.tv_usec = BRIDGE_RETRY_MS * 1000;
		evtimer_add(c->retry, &tv);
	} else if (e->kind == CERR_NO_ROLLOUT)
		call_fail(c, "unknown threadId %s: codex has no saved "
		    "conversation with this id in its CODEX_HOME (%s). Codex "
		    "saves a conversation once its first turn starts, so a "
		    "conversation whose first turn never started (the "
		    "app-server stopped before it, say) cannot be continued "
		    "either: start a new one with the codex tool",
		    c->thread->id, e->message);
	else if (e->kind == CERR_NOT_FOUND)
		call_fail(c, "unknown threadId %s: codex has no conversation "
		    "with this id in its CODEX_HOME (%s)", c->thread->id,
		    e->message);
	else if (e->kind == CERR_ARCHIVED)
		call_fail(c, "conversation %s is archived: call the "
		    "codex-unarchive tool with this threadId first",
		    c->thread->id);
	else if (e->kind == CERR_BUSY)
		call_fail(c, "conversation %s is open in another codex "
		    "app-server, and codex lets one app-server at a time write "
		    "to a conversation (%s): continue it from the MCP client "
		    "that has it open, or run every codex-mcp-proxy of this "
		    "CODEX_HOME with --share-upstream so that they share one "
		    "app-server", c->thread->id, e->message);
	else
		call_fail(c, "codex could not resume conversation %s: %s",
		    c->thread->id, e->message);
	call_unref(c);
}

/* Try the resume again once the lease may be free. */
static void
call_retry_cb(evutil_socket_t fd, short events, void *arg)
{
	struct call	*c = arg;

	c->references++;
	dialect_ready(call_ready, c);
}

/* Start the turn. */
static void
call_turn(struct call *c)
{
	struct turn_args	 only;

	c->state = CS_TURN_STARTING;
	c->references++;
	if (c->kind == CALL_NEW) {
		/* The new thread has the settings; the turn needs the prompt. */
		memset(&only, 0, sizeof only);
		only.prompt = c->args->prompt;
		only.traceparent = c->args->traceparent;
		only.images = c->args->images;
		only.nimages = c->args->nimages;
		only.output_schema = c->args->output_schema;
		only.message_id = c->args->message_id;
		dialect_turn_start(c->thread->id, &only, call_turn_started, c);
	} else
		dialect_turn_start(c->thread->id, c->args, call_turn_started,
		    c);
}

/* turn/start answered. */
static void
call_turn_started(void *arg, const char *id, const struct cerror *e)
{
	struct call	*c = arg;

	if (c->state == CS_DONE)
		;
	else if (e != NULL) {
		call_unsaved_note(c);
		call_fail(c, "codex did not start the turn: %s", e->message);
	} else {
		/* v1 names no turn here; its first event will. */
		c->state = CS_RUNNING;
		c->turn_began = 1;
		if (id != NULL) {
			free(c->turn_id);
			c->turn_id = xstrdup(id);
		}
		reply_progress(c->reply, "thinking");
		if (c->cancelled || c->timed_out)
			call_interrupt(c);
	}
	call_unref(c);
}

/* Ask codex to stop the running turn. */
static void
call_interrupt(struct call *c)
{
	if (c->interrupting || c->state != CS_RUNNING)
		return;
	c->interrupting = 1;
	c->references++;
	dialect_turn_interrupt(c->thread->id, c->turn_id, call_interrupted, c);
}

/* turn/interrupt answered; turn/completed will follow. */
static void
call_interrupted(void *arg, const char *id, const struct cerror *e)
{
	struct call	*c = arg;

	if (e != NULL && c->state != CS_DONE)
		log_warnx("interrupting the turn on %s failed: %s",
		    c->thread->id, e->message);
	call_unref(c);
}

/*
 * Keep more of a text codex sends, up to --max-answer bytes and then no
 * more (a later, shorter piece would leave a hole), cut at a character.
 */
static void
answer_add(struct answer *a, const char *text)
{
	size_t	have = evbuffer_get_length(a->kept), len = strlen(text);

	if (have == a->sent && have < opts.max_answer)
		evbuffer_add(a->kept, text, utf8_cut(text, len,
		    opts.max_answer - have));
	a->sent += len;
}

/* Forget a text. */
static void
answer_clear(struct answer *a)
{
	evbuffer_drain(a->kept, evbuffer_get_length(a->kept));
	a->sent = 0;
}

/* The first words of the answer so far, for progress messages. */
static void
call_progress_text(struct call *c)
{
	char		head[BRIDGE_HEAD + 2];
	ev_ssize_t	n;
	size_t		len;

	if (c->head_said)
		return;		/* more text does not change what it says */
	/* One byte more tells whether the text goes on, and how to cut it. */
	n = evbuffer_copyout(c->partial.kept, head, BRIDGE_HEAD + 1);
	if (n == -1)
		return;
	len = utf8_cut(head, n, BRIDGE_HEAD);
	head[len] = '\0';
	c->head_said = len < (size_t)n;
	reply_progress(c->reply, "writing: %s%s", head, len < (size_t)n ?
	    "..." : "");
}

/*
 * The phase rule: a whole agent message becomes the answer if it is the
 * final answer, or if none has come (then the last message is). What
 * moderation hid or blocked is left out, with a note of why.
 */
static void
call_take_message(struct call *c, const struct cevent *ev)
{
	answer_clear(&c->partial);
	if (ev->hidden != NULL) {
		if (c->hidden++ == 0)
			call_note(c, "codex-mcp-proxy left out a message that "
			    "codex's moderation marked \"%s\"", ev->hidden);
		return;
	}
	if (c->have_final && ev->phase != PHASE_FINAL)
		return;
	answer_clear(&c->message);
	answer_add(&c->message, ev->text);
	c->have_message = 1;
	c->have_final = ev->phase == PHASE_FINAL;
}

/* One normalized event for this call's thread. */
static void
call_event(struct call *c, const struct cevent *ev)
{
	const char	*text;

	if (c->state != CS_RUNNING && c->state != CS_TURN_STARTING)
		return;
	if (ev->turn_id != NULL && c->turn_id != NULL &&
	    strcmp(ev->turn_id, c->turn_id) != 0)
		return;		/* a turn that is not ours */
	if (ev->type != CEV_TEXT_DELTA)
		c->head_said = 0;	/* it may say something else now */
	switch (ev->type) {
	case CEV_TURN_STARTED:
		if (c->turn_id == NULL && ev->turn_id != NULL)
			c->turn_id = xstrdup(ev->turn_id);
		break;
	case CEV_TEXT_DELTA:
		answer_add(&c->partial, ev->text);
		call_progress_text(c);
		break;
	case CEV_AGENT_MESSAGE:
		call_take_message(c, ev);
		break;
	case CEV_ERROR:
		if (ev->text == NULL)
			break;
		if (ev->will_retry) {
			log_info("thread %s: %s (codex retries)", c->thread->id,
			    ev->text);
			reply_log(c->reply, LEVEL_NOTICE, "%s (codex retries)",
			    ev->text);
			reply_progress(c->reply, "retrying: %s", ev->text);
			break;
		}
		reply_log(c->reply, LEVEL_ERROR, "%s", ev->text);
		free(c->error);
		c->error = xstrdup(ev->text);
		break;
	case CEV_WARNING:
		log_info("thread %s: codex warns: %s", c->thread->id, ev->text);
		reply_log(c->reply, LEVEL_WARNING, "%s", ev->text);
		break;
	case CEV_COMMAND_BEGIN:
		text = ev->text != NULL ? ev->text : "a command";
		log_debug("thread %s: running %s", c->thread->id, text);
		reply_log(c->reply, LEVEL_INFO, "running: %s", text);
		reply_progress(c->reply, "running: %s", text);
		break;
	case CEV_COMMAND_END:
		reply_progress(c->reply, "thinking");
		break;
	case CEV_TURN_COMPLETED:
		call_completed(c, ev);
		break;
	}
}

/* The turn ended: answer the call according to how. */
static void
call_completed(struct call *c, const struct cevent *ev)
{
	metrics_turn(ev->status);
	if (ev->status == TURN_COMPLETED ||
	    (ev->status == TURN_INTERRUPTED && c->timed_out))
		call_answer(c);
	else if (c->cancelled)
		call_finish(c, NULL);
	else if (ev->status == TURN_INTERRUPTED)
		call_fail(c, "the turn was interrupted before it finished");
	else
		call_fail(c, "codex turn failed: %s", ev->text != NULL ?
		    ev->text : c->error != NULL ? c->error : "no reason given");
}

/*
 * The answer text: the last agent message (or the text streamed since),
 * what --max-answer cut from it, and the proxy's notes. It takes them.
 */
static char *
call_text(struct call *c)
{
	struct answer	*a = c->have_message ? &c->message : &c->partial;
	struct evbuffer	*b = evbuffer_new();
	size_t		 kept = evbuffer_get_length(a->kept);

	evbuffer_add_buffer(b, a->kept);
	if (kept < a->sent)
		evbuffer_add_printf(b, "\n\n[codex-mcp-proxy: answer cut at %zu "
		    "of %zu bytes; see --max-answer]", kept, a->sent);
	evbuffer_add_buffer(b, c->notes);
	return (xevbuffer_string(b));
}

/* The answer parsed as JSON (a new object), or NULL with why in *err. */
static json_object *
call_output(struct call *c, const char **err)
{
	json_object	*v;
	size_t		 len = evbuffer_get_length(c->message.kept);
	char		*text;

	text = xmalloc(len + 1);
	evbuffer_copyout(c->message.kept, text, len);
	text[len] = '\0';
	v = json_parse(text, len, err);
	free(text);
	return (v);
}

/* Answer the call with the text; only the result keeps a copy of it. */
static void
call_answer(struct call *c)
{
	json_object	*result, *output = NULL;
	const char	*err = NULL;
	char		*text;

	/* The answer held to output-schema, parsed for structuredContent. */
	if (c->args->output_schema != NULL && c->have_message)
		output = call_output(c, &err);
	if (c->args->output_schema != NULL && output == NULL)
		call_note(c, "codex-mcp-proxy: the answer is not JSON%s%s, so "
		    "structuredContent has no output", err != NULL ? ": " : "",
		    err != NULL ? err : "");
	text = call_text(c);
	result = tool_text_result(c->thread->id, text);
	free(text);
	if (output != NULL)
		json_object_object_add(json_obj(result, "structuredContent"),
		    "output", output);
	call_finish(c, result);
}

/*
 * End the call: withdraw its questions, answer it (result taken; NULL or a
 * cancelled call answer nothing), free the thread, drop the list's
 * reference.
 */
static void
call_finish(struct call *c, json_object *result)
{
	if (c->state == CS_DONE) {
		json_object_put(result);
		return;
	}
	c->state = CS_DONE;
	evtimer_del(c->retry);
	evtimer_del(c->deadline);
	approvals_drop(&c->approvals, "the turn is over");
	if (c->cancelled) {
		/* A cancelled request is not answered. */
		json_object_put(result);
		result = NULL;
	}
	call_answer_waiters(c, result);
	reply_send(c->reply, result);
	c->reply = NULL;
	if (c->thread != NULL && c->thread->active == c) {
		c->thread->active = NULL;
		threads_release(c->thread);
	}
	c->thread = NULL;
	TAILQ_REMOVE(&calls, c, entry);
	call_unref(c);
}

/*
 * Note that a new conversation's first turn never began: codex saves a
 * conversation only once it does (since 0.151), so the id may lead nowhere.
 */
static void
call_unsaved_note(struct call *c)
{
	if (c->kind == CALL_NEW && !c->turn_began && c->thread != NULL)
		call_note(c, "codex never began this conversation's first "
		    "turn, so it may not have saved the conversation: "
		    "codex-reply with threadId %s can continue it only if it "
		    "did; otherwise start a new one", c->thread->id);
}

/* End the call with an isError result. */
static void
call_fail(struct call *c, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, *notes;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	log_info("tool call failed: %s", msg);
	notes = xevbuffer_string(c->notes);
	c->notes = evbuffer_new();
	call_finish(c, tool_error_result(c->thread != NULL ? c->thread->id :
	    NULL, "%s%s", msg, notes));
	free(notes);
	free(msg);
}

/*
 * The client cancelled the call: interrupt its turn and answer nothing. It
 * ends when codex says the turn is over, or after a grace period.
 */
static void
call_cancel(void *arg)
{
	struct call	*c = arg;
	struct timeval	 tv;

	if (c->cancelled || c->state == CS_DONE)
		return;
	c->cancelled = 1;
	reply_progress_stop(c->reply);
	approvals_drop(&c->approvals, "the tool call was cancelled");
	if (c->state == CS_RUNNING) {
		call_interrupt(c);
		tv.tv_sec = BRIDGE_GRACE_S;
		tv.tv_usec = 0;
		evtimer_add(c->deadline, &tv);
	} else if (c->state == CS_WAITING && (evtimer_pending(c->retry, NULL) ||
	    evtimer_pending(c->foreign, NULL)))
		call_finish(c, NULL);
}

/* Hold the app-server's output while a client is behind (on), or go on. */
void
bridge_hold(int on)
{
	dialect_hold(on);
}

/* How many tool calls are running. */
u_int
bridge_running(void)
{
	struct call	*c;
	u_int		 n = 0;

	TAILQ_FOREACH(c, &calls, entry)
		n++;
	return (n);
}

/*
 * Why one more turn for session s would be too many (--max-turns,
 * --max-session-turns), or NULL if it may run.
 */
const char *
bridge_full(struct mcp_session *s)
{
	struct call	*c;
	int		 all = 0, mine = 0;

	TAILQ_FOREACH(c, &calls, entry) {
		all++;
		if (c->reply != NULL && reply_session(c->reply) == s)
			mine++;
	}
	if (opts.max_turns > 0 && all >= opts.max_turns)
		return ("the proxy is running as many codex turns as "
		    "--max-turns allows; try again when one has finished");
	if (opts.max_session_turns > 0 && mine >= opts.max_session_turns)
		return ("this session is running as many codex turns as "
		    "--max-session-turns allows; try again when one has "
		    "finished");
	return (NULL);
}

/* A codex event: route it to the call running on its thread. */
static void
bridge_event(const struct cevent *ev)
{
	struct thread	*t;

	if ((t = threads_find(ev->thread_id)) == NULL || t->active == NULL) {
		/* Another client of a shared app-server may run a turn. */
		if (t != NULL && ev->type == CEV_TURN_STARTED) {
			log_debug("thread %s: another client of the app-server "
			    "runs a turn on it", t->id);
			t->foreign = dialect_generation();
		} else if (t != NULL && ev->type == CEV_TURN_COMPLETED)
			t->foreign = 0;
		if (ev->type == CEV_WARNING || ev->type == CEV_ERROR)
			log_info("codex: %s", ev->text);
		return;
	}
	call_event(t->active, ev);
}

/* The app-server died: every call still running on it fails now. */
static void
bridge_lost(const char *why)
{
	struct call	*c, *c1;

	TAILQ_FOREACH_SAFE(c, &calls, entry, c1) {
		if (c->state != CS_RUNNING && c->state != CS_TURN_STARTING)
			continue;
		if (c->cancelled) {
			call_finish(c, NULL);
			continue;
		}
		if (c->kind == CALL_NEW && !c->turn_began) {
			call_unsaved_note(c);
			call_fail(c, "%s", why);
			continue;
		}
		call_fail(c, "%s. The conversation is saved: call codex-reply "
		    "with threadId %s to continue it.", why, c->thread->id);
	}
	/* No thread is loaded any more; the calls waiting keep theirs. */
	threads_sweep();
}

/* The proxy is going away: answer every call now. */
void
bridge_shutdown(void)
{
	struct call	*c, *c1;

	TAILQ_FOREACH_SAFE(c, &calls, entry, c1) {
		if (c->thread != NULL && c->state != CS_STARTING)
			call_fail(c, "the proxy is shutting down. The "
			    "conversation is saved: call codex-reply with "
			    "threadId %s to continue it.", c->thread->id);
		else
			call_fail(c, "the proxy is shutting down");
	}
}
