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
 * A dialect's translation on its own: read recorded app-server messages
 * (one JSON object per line) and print, one line per message, the
 * normalized event or approval the dialect makes of it. For
 * t/dialect-translation.t. With "fast", a line the dialect's tree-less
 * fast path takes is printed first as it makes it, after "fast "
 * (t/fast-path-deltas.t). Usage: dialect-events v1|v2 FILE [fast]
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"

static void	 de_string(const char *, const char *);
static void	 de_answer(const struct dialect *, const char *,
		     enum approval_decision);
static void	 de_event(const struct dialect *, const char *, json_object *);
static void	 de_print(const struct cevent *);
static void	 de_request(const struct dialect *, const char *,
		     json_object *);
static int	 de_line(const struct dialect *, const char *, size_t);

static const char *de_types[] = {
	"turn_started",		/* CEV_TURN_STARTED */
	"text_delta",		/* CEV_TEXT_DELTA */
	"agent_message",	/* CEV_AGENT_MESSAGE */
	"command_begin",	/* CEV_COMMAND_BEGIN */
	"command_end",		/* CEV_COMMAND_END */
	"warning",		/* CEV_WARNING */
	"error",		/* CEV_ERROR */
	"turn_completed"	/* CEV_TURN_COMPLETED */
};

static const char *de_phases[] = {
	"unknown",		/* PHASE_UNKNOWN */
	"commentary",		/* PHASE_COMMENTARY */
	"partial_answer",	/* PHASE_PARTIAL */
	"final_answer"		/* PHASE_FINAL */
};

static const char *de_statuses[] = {
	"completed",		/* TURN_COMPLETED */
	"interrupted",		/* TURN_INTERRUPTED */
	"failed"		/* TURN_FAILED */
};

static const char *de_kinds[] = {
	"command",		/* APPROVAL_COMMAND */
	"patch",		/* APPROVAL_PATCH */
	"other"			/* APPROVAL_OTHER */
};

/* Print " key=" and s as a JSON string, or "-" when s is NULL. */
static void
de_string(const char *key, const char *s)
{
	json_object	*o;

	if (s == NULL) {
		printf(" %s=-", key);
		return;
	}
	o = json_object_new_string(s);
	printf(" %s=%s", key, json_text(o));
	json_object_put(o);
}

/* Print " key=" and the dialect's answer for decision d, as compact JSON. */
static void
de_answer(const struct dialect *d, const char *key,
    enum approval_decision decision)
{
	json_object	*answer;

	answer = d->approval_answer(decision);
	printf(" %s=%s", key, json_text(answer));
	json_object_put(answer);
}

/* A notification: the normalized event, or "ignored". */
static void
de_event(const struct dialect *d, const char *method, json_object *params)
{
	struct cevent	 ev;

	if (!d->event(method, params, &ev)) {
		printf("ignored %s\n", method);
		return;
	}
	de_print(&ev);
}

/* An event, on one line. */
static void
de_print(const struct cevent *ev)
{
	printf("event %s", de_types[ev->type]);
	de_string("thread", ev->thread_id);
	de_string("turn", ev->turn_id);
	switch (ev->type) {
	case CEV_TURN_STARTED:
		break;
	case CEV_COMMAND_BEGIN:
	case CEV_COMMAND_END:
		de_string("command", ev->text);
		break;
	case CEV_ERROR:
		de_string("text", ev->text);
		printf(" retry=%d", ev->will_retry);
		break;
	case CEV_TURN_COMPLETED:
		printf(" status=%s", de_statuses[ev->status]);
		de_string("text", ev->text);
		break;
	case CEV_AGENT_MESSAGE:
		de_string("text", ev->text);
		/* Only where the release marks them, so older goldens stand. */
		if (ev->phase != PHASE_UNKNOWN)
			printf(" phase=%s", de_phases[ev->phase]);
		if (ev->hidden != NULL)
			de_string("hidden", ev->hidden);
		break;
	default:
		de_string("text", ev->text);
		break;
	}
	putchar('\n');
}

/* A server request: the normalized approval and its answers, or "refused". */
static void
de_request(const struct dialect *d, const char *method, json_object *params)
{
	struct approval	 ap;

	if (!d->approval(method, params, &ap)) {
		printf("refused %s\n", method);
		return;
	}
	printf("approval %s", de_kinds[ap.kind]);
	de_string("method", ap.method);
	de_string("thread", ap.thread_id);
	de_string("turn", ap.turn_id);
	de_string("command", ap.command);
	de_string("cwd", ap.cwd);
	de_string("reason", ap.reason);
	de_answer(d, "accept", DECISION_ACCEPT);
	de_answer(d, "accept_session", DECISION_ACCEPT_SESSION);
	de_answer(d, "decline", DECISION_DECLINE);
	de_answer(d, "cancel", DECISION_CANCEL);
	putchar('\n');
}

/* One line of the file, told apart as upstream.c does; -1 if it is bad. */
static int
de_line(const struct dialect *d, const char *line, size_t len)
{
	json_object	*msg, *id;
	const char	*method, *err;

	if ((msg = json_parse(line, len, &err)) == NULL ||
	    !json_object_is_type(msg, json_type_object)) {
		fprintf(stderr, "dialect-events: not a JSON object "
		    "(%s): %.80s\n", err != NULL ? err : "not an object", line);
		json_object_put(msg);
		return (-1);
	}
	method = json_str(msg, "method");
	id = json_obj(msg, "id");
	if (method != NULL && id != NULL)
		de_request(d, method, json_obj(msg, "params"));
	else if (method != NULL)
		de_event(d, method, json_obj(msg, "params"));
	else
		printf("skipped\n");
	json_object_put(msg);
	return (0);
}

/* Translate every line of FILE with dialect v1 or v2. */
int
main(int argc, char **argv)
{
	const struct dialect	*d;
	struct cevent		 ev;
	FILE			*fp;
	char			*line = NULL;
	size_t			 size = 0;
	ssize_t			 len;
	int			 status = 0, fast;

	fast = argc == 4 && strcmp(argv[3], "fast") == 0;
	if ((argc != 3 && !fast) || (strcmp(argv[1], "v1") != 0 &&
	    strcmp(argv[1], "v2") != 0)) {
		fprintf(stderr, "usage: dialect-events v1|v2 file [fast]\n");
		return (2);
	}
	d = strcmp(argv[1], "v1") == 0 ? &dialect_v1 : &dialect_v2;
	if ((fp = fopen(argv[2], "r")) == NULL) {
		fprintf(stderr, "dialect-events: %s: %s\n", argv[2],
		    strerror(errno));
		return (1);
	}
	while ((len = getline(&line, &size, fp)) != -1) {
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0)
			continue;
		if (fast && d->line_event != NULL &&
		    d->line_event(line, (size_t)len, &ev)) {
			printf("fast ");
			de_print(&ev);
		}
		if (de_line(d, line, (size_t)len) != 0)
			status = 1;
	}
	free(line);
	fclose(fp);
	d->reset(1);
	return (status);
}
