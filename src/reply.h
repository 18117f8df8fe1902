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
 * Inside a reply, for reply.c (the request, progress, 2025 elicitations),
 * reply_input.c (2026-07-28 questions: input_required and the retry) and
 * tasks_ext.c (the tasks extension). Nothing else sees these.
 */

#ifndef REPLY_H
#define REPLY_H

struct reply {
	struct mcp_session	*session;	/* NULL while detached */
	json_object		*id;
	json_object		*progress_token;
	json_object		*meta;		/* _meta of related messages */
	struct task		*task;		/* when task-augmented (2025) */
	struct ext_task		*ext_task;	/* when it became one (2026) */
	struct event		*task_timer;	/* --task-after */
	size_t			 tool;		/* its index in the tool table */
	reply_cancel_cb		 cancel;
	void			*cancel_arg;
	u_int			 asking;	/* questions waiting */

	int			 modern;	/* asked in 2026-07-28 */
	json_object		*caps;		/* its client's capabilities */
	int			 log_level;	/* modern: least level, -1: none */
	char			*traceparent;	/* W3C trace context, or NULL */
	char			 digest[33];	/* of the tool and arguments */
	char			 wait[33];	/* in its requestState */
	time_t			 wait_end;	/* when that state expires */
	u_int			 next_key;	/* of its input requests */
	TAILQ_HEAD(, reply_ask)	 asks;		/* 2026: questions open */

	double			 progress;	/* the last value sent */
	struct timeval		 progress_at;
	char			*progress_next;	/* held back by the rate limit */
	struct event		*progress_timer;
	TAILQ_ENTRY(reply)	 entry;		/* in its session, or waiting */
};

/* A question put to the user for a reply. */
struct reply_ask {
	struct reply		*reply;
	struct mcp_out		*out;		/* 2025: the elicitation */
	char			 key[24];	/* 2026: its input request */
	char			*message;	/* 2026: what is asked */
	struct event		*timer;		/* 2026: --approval-timeout */
	reply_approve_cb	 cb;
	void			*arg;
	TAILQ_ENTRY(reply_ask)	 entry;
};

extern json_object	*reply_approval_schema;

void		 reply_decide(struct reply_ask *, json_object *, const char *);
void		 reply_attach(struct reply *, struct mcp_session *,
		     json_object *, json_object *, const struct mcp_context *);
void		 reply_detach(struct reply *);
int		 reply_cancel_now(struct reply *);
int		 reply_same_call(const char *, json_object *);
void		 reply_ask_free(struct reply_ask *);
struct reply_ask *reply_ask_modern(struct reply *, const char *, int,
		     reply_approve_cb, void *);
void		 reply_unwait(struct reply *);
void		 reply_keep(struct reply *, json_object *);
void		 reply_kept_free_all(void);
json_object	*reply_input_requests(struct reply *);
int		 reply_input_responses(struct reply *, json_object *,
		     const char **);

#endif
