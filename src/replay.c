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
 * Replay (--upstream replay:FILE): the proxy runs itself as its own
 * app-server, answering from a recorded trace. Each message the proxy
 * sends is matched to the next recorded one of the same kind (a request by
 * its method, a response, a notification by its method), not by raw id; a
 * request gets its recorded response under the live id, and then the
 * app-server's recorded messages that followed it come out, up to the
 * proxy's next recorded message. No codex and no model are needed.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"

struct replay_line {
	int		 from_proxy;	/* p2s, or else s2p */
	int		 used;
	json_object	*msg;
};

static struct replay_line	*lines;
static size_t			 nlines;

static size_t	 replay_load(FILE *);
static void	 replay_unload(void);
static FILE	*replay_open(const char *);
static void	 replay_write(json_object *);
static void	 replay_message(json_object *);
static void	 replay_window(size_t);
static void	 replay_window_until(size_t, size_t);
static int	 replay_kind(json_object *);

/* 1 a request, 2 a response, 3 a notification. */
static int
replay_kind(json_object *msg)
{
	int	has_id = json_obj(msg, "id") != NULL;

	if (json_str(msg, "method") != NULL)
		return (has_id ? 1 : 3);
	return (2);
}

/* Read the app-server side of a trace; how many messages it has. */
static size_t
replay_load(FILE *f)
{
	char		*line = NULL;
	size_t		 size = 0;
	ssize_t		 n;
	json_object	*rec, *msg;
	const char	*dir, *err;

	while ((n = getline(&line, &size, f)) != -1) {
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if ((rec = json_parse(line, n, &err)) == NULL)
			continue;
		dir = json_str(rec, "dir");
		msg = json_obj(rec, "msg");
		if (dir != NULL && msg != NULL && (strcmp(dir, "p2s") == 0 ||
		    strcmp(dir, "s2p") == 0)) {
			lines = xrealloc(lines, (nlines + 1) * sizeof *lines);
			lines[nlines].from_proxy = dir[0] == 'p';
			lines[nlines].used = 0;
			lines[nlines].msg = json_object_get(msg);
			nlines++;
		}
		json_object_put(rec);
	}
	free(line);
	return (nlines);
}

/* Open the trace at path, or exit. */
static FILE *
replay_open(const char *path)
{
	FILE	*f;

	if ((f = file_read(path)) == NULL)
		fatal("replay: cannot read %s", path);
	return (f);
}

/* Forget the loaded trace. */
static void
replay_unload(void)
{
	size_t	i;

	for (i = 0; i < nlines; i++)
		json_object_put(lines[i].msg);
	free(lines);
	lines = NULL;
	nlines = 0;
}

/* Check that path holds a trace to replay; exits 1 if not. */
void
replay_check(const char *path)
{
	FILE	*f = replay_open(path);

	if (replay_serve(f, NULL) == -1)
		fatalx("replay: %s holds no app-server traffic", path);
	fclose(f);
}

/* Write one message to stdout, as the app-server would. */
static void
replay_write(json_object *msg)
{
	const char	*text = json_text(msg);

	fputs(text, stdout);
	fputc('\n', stdout);
	fflush(stdout);
}

/* Send the recorded app-server messages after line i, up to the proxy's. */
static void
replay_window(size_t i)
{
	for (i++; i < nlines && !lines[i].from_proxy; i++) {
		if (lines[i].used)
			continue;
		lines[i].used = 1;
		replay_write(lines[i].msg);
	}
}

/* Send the recorded app-server messages between lines i and j. */
static void
replay_window_until(size_t i, size_t j)
{
	for (i++; i < j && !lines[i].from_proxy; i++) {
		if (lines[i].used)
			continue;
		lines[i].used = 1;
		replay_write(lines[i].msg);
	}
}

/* The proxy sent msg: answer it as the recording says. */
static void
replay_message(json_object *msg)
{
	json_object	*rid, *resp, *copy = NULL;
	const char	*method = json_str(msg, "method");
	int		 kind = replay_kind(msg);
	size_t		 i, j;

	for (i = 0; i < nlines; i++) {
		if (lines[i].used || !lines[i].from_proxy ||
		    replay_kind(lines[i].msg) != kind)
			continue;
		if (kind == 2 || strcmp(json_str(lines[i].msg, "method"),
		    method) == 0)
			break;
	}
	if (i == nlines) {
		if (kind == 1) {
			resp = json_object_new_object();
			json_set_copy(resp, "id", json_obj(msg, "id"));
			json_object_object_add(resp, "error", json_tokener_parse(
			    "{\"code\":-32600,\"message\":\"replay: the trace "
			    "has no more requests like this\"}"));
			replay_write(resp);
			json_object_put(resp);
		}
		return;
	}
	lines[i].used = 1;
	if (kind == 1) {
		/* The recorded response, under the live id. */
		rid = json_obj(lines[i].msg, "id");
		for (j = i + 1; j < nlines; j++) {
			if (!lines[j].used && !lines[j].from_proxy &&
			    replay_kind(lines[j].msg) == 2 &&
			    json_id_equal(json_obj(lines[j].msg, "id"), rid))
				break;
		}
		if (j < nlines) {
			json_object_deep_copy(lines[j].msg, &copy, NULL);
			json_set_copy(copy, "id", json_obj(msg, "id"));
			lines[j].used = 1;
			/* What came before the response still comes first. */
			replay_window_until(i, j);
			replay_write(copy);
			json_object_put(copy);
		}
	}
	replay_window(i);
}

/*
 * Serve as the app-server from the trace in tf, answering each message of
 * in (NULL: none) on stdout; -1 if the trace holds no app-server traffic
 * or cannot be read.
 */
int
replay_serve(FILE *tf, FILE *in)
{
	char		*line = NULL;
	size_t		 size = 0;
	ssize_t		 n;
	json_object	*msg;
	const char	*err;

	if (replay_load(tf) == 0 || ferror(tf)) {
		replay_unload();
		return (-1);
	}
	while (in != NULL && (n = getline(&line, &size, in)) != -1) {
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if ((msg = json_parse(line, n, &err)) == NULL)
			continue;
		if (json_object_is_type(msg, json_type_object))
			replay_message(msg);
		json_object_put(msg);
	}
	free(line);
	replay_unload();
	return (0);
}

/* Serve as the app-server from the trace at path, on stdin and stdout. */
int
replay_main(const char *path)
{
	FILE	*f = replay_open(path);

	if (replay_serve(f, stdin) == -1)
		fatalx("replay: %s holds no app-server traffic", path);
	fclose(f);
	return (0);
}
