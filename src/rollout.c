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
 * Reading codex's rollout files ($CODEX_HOME/sessions/.../rollout-*.jsonl),
 * for what the v1 API does not say: a conversation's settings, its working
 * directory and its turns. The files are local, small and read at once.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"

typedef int	 (*rollout_line_cb)(json_object *, void *);

static int	 rollout_each(const char *, rollout_line_cb, void *);
static int	 rollout_context_line(json_object *, void *);
static int	 rollout_meta_line(json_object *, void *);
static int	 rollout_turn_line(json_object *, void *);

struct rollout_turns {
	struct thread_turns	*tt;
	char			*prompt;
	char			*answer;
};

/* Call cb for each record of the rollout until it returns nonzero. */
static int
rollout_each(const char *path, rollout_line_cb cb, void *arg)
{
	FILE		*f;
	char		*line = NULL;
	size_t		 size = 0;
	ssize_t		 n;
	json_object	*rec;
	const char	*err;
	int		 stop = 0;

	if ((f = file_read(path)) == NULL) {
		log_warn("%s: %s", __func__, path);
		return (-1);
	}
	while (!stop && (n = getline(&line, &size, f)) != -1) {
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if ((rec = json_parse(line, n, &err)) == NULL)
			continue;
		stop = cb(rec, arg);
		json_object_put(rec);
	}
	free(line);
	fclose(f);
	return (0);
}

/* Keep the payload of every turn_context record; the last one wins. */
static int
rollout_context_line(json_object *rec, void *arg)
{
	json_object	**last = arg;
	const char	 *type = json_str(rec, "type");

	if (type != NULL && strcmp(type, "turn_context") == 0) {
		json_object_put(*last);
		*last = json_object_get(json_obj(rec, "payload"));
	}
	return (0);
}

/*
 * The settings of the conversation's last turn ({cwd, approval_policy,
 * sandbox_policy, model, ...}; a new reference), or NULL.
 */
json_object *
rollout_context(const char *path)
{
	json_object	*last = NULL;

	rollout_each(path, rollout_context_line, &last);
	return (last);
}

/* Take the cwd from the session_meta record and stop. */
static int
rollout_meta_line(json_object *rec, void *arg)
{
	char		**cwd = arg;
	const char	 *type = json_str(rec, "type"), *s;

	if (type == NULL || strcmp(type, "session_meta") != 0)
		return (0);
	if ((s = json_path_str(rec, "payload.cwd")) != NULL)
		*cwd = xstrdup(s);
	return (1);
}

/* The conversation's working directory (to free), or NULL. */
char *
rollout_cwd(const char *path)
{
	char	*cwd = NULL;

	rollout_each(path, rollout_meta_line, &cwd);
	return (cwd);
}

/* Collect the user and agent messages into turns. */
static int
rollout_turn_line(json_object *rec, void *arg)
{
	struct rollout_turns	*rt = arg;
	const char		*type = json_str(rec, "type"), *kind, *text;

	if (type == NULL || strcmp(type, "event_msg") != 0)
		return (0);
	kind = json_path_str(rec, "payload.type");
	text = json_path_str(rec, "payload.message");
	if (kind == NULL || text == NULL)
		return (0);
	if (strcmp(kind, "user_message") == 0) {
		if (rt->prompt != NULL)
			thread_turns_add(rt->tt, rt->prompt, rt->answer);
		free(rt->prompt);
		free(rt->answer);
		rt->prompt = xstrdup(text);
		rt->answer = NULL;
	} else if (strcmp(kind, "agent_message") == 0) {
		free(rt->answer);
		rt->answer = xstrdup(text);
	}
	return (0);
}

/* Add the conversation's turns to tt; -1 if the rollout cannot be read. */
int
rollout_turns(const char *path, struct thread_turns *tt)
{
	struct rollout_turns	rt;

	memset(&rt, 0, sizeof rt);
	rt.tt = tt;
	if (rollout_each(path, rollout_turn_line, &rt) == -1)
		return (-1);
	if (rt.prompt != NULL)
		thread_turns_add(tt, rt.prompt, rt.answer);
	free(rt.prompt);
	free(rt.answer);
	return (0);
}
