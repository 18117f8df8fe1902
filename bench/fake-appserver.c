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
 * A fake codex app-server for the benchmarks (bench/stdio-bench.js): the
 * v2 API's few requests a codex call needs, answered at once, and turns
 * that stream text deltas as fast as the pipe takes them. A turn whose
 * prompt says "deltas N size S" streams N item/agentMessage/delta
 * notifications with S bytes of text in each (JSON as written: letters,
 * spaces, an escaped quote and newline, an é) and then turn/completed;
 * any other prompt gets one delta, "You said: PROMPT".
 *
 * usage: fake-appserver
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#define FAKE_PIECE	"Lorem ipsum \\\"dolor\\\" sit amet, caf\xc3\xa9\\n "

static unsigned long	 fake_threads;
static unsigned long	 fake_turns;

static void	 fake_send(json_object *);
static void	 fake_result(json_object *, json_object *);
static void	 fake_turn(json_object *, json_object *);
static void	 fake_deltas(const char *, const char *, unsigned long, size_t);
static void	 fake_line(const char *);

/* Write one message (taken) as a line. */
static void
fake_send(json_object *msg)
{
	fputs(json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE), stdout);
	fputc('\n', stdout);
	json_object_put(msg);
}

/* Answer request id with result (taken). */
static void
fake_result(json_object *id, json_object *result)
{
	json_object	*msg = json_object_new_object();

	json_object_object_add(msg, "id", json_object_get(id));
	json_object_object_add(msg, "result", result);
	fake_send(msg);
}

/* N deltas of size bytes each on thread tid, turn uid. */
static void
fake_deltas(const char *tid, const char *uid, unsigned long n, size_t size)
{
	char		*text, *line;
	size_t		 piece = sizeof FAKE_PIECE - 1, have = 0, len;
	unsigned long	 i;

	text = malloc(size + piece + 1);
	line = malloc(size + piece + 512);
	if (text == NULL || line == NULL) {
		perror("fake-appserver");
		exit(1);
	}
	while (have < size) {
		memcpy(text + have, FAKE_PIECE, piece);
		have += piece;
	}
	/* Cut at size, not inside an escape or a character. */
	while (size > 0 && ((text[size - 1] & 0xc0) == 0x80 ||
	    (text[size - 1] & 0xc0) == 0xc0 || text[size - 1] == '\\'))
		size--;
	text[size] = '\0';
	len = (size_t)snprintf(line, size + piece + 512,
	    "{\"method\":\"item/agentMessage/delta\",\"params\":{\"threadId\":"
	    "\"%s\",\"turnId\":\"%s\",\"itemId\":\"msg_1\",\"delta\":\"%s\"},"
	    "\"emittedAtMs\":1795630026180}\n", tid, uid, text);
	for (i = 0; i < n; i++)
		fwrite(line, 1, len, stdout);
	free(line);
	free(text);
}

/* turn/start: answer, then stream the turn the prompt asks for. */
static void
fake_turn(json_object *id, json_object *params)
{
	json_object	*v, *turn, *msg, *p, *input;
	const char	*tid = "", *prompt = "";
	char		 uid[32], *said;
	unsigned long	 n;
	size_t		 size;

	if (json_object_object_get_ex(params, "threadId", &v))
		tid = json_object_get_string(v);
	if (json_object_object_get_ex(params, "input", &input) &&
	    json_object_array_length(input) > 0 &&
	    json_object_object_get_ex(json_object_array_get_idx(input, 0),
	    "text", &v))
		prompt = json_object_get_string(v);
	snprintf(uid, sizeof uid, "turn-%lu", ++fake_turns);
	turn = json_object_new_object();
	json_object_object_add(turn, "id", json_object_new_string(uid));
	json_object_object_add(turn, "status",
	    json_object_new_string("inProgress"));
	p = json_object_new_object();
	json_object_object_add(p, "turn", turn);
	fake_result(id, p);

	msg = json_object_new_object();
	p = json_object_new_object();
	json_object_object_add(p, "threadId", json_object_new_string(tid));
	turn = json_object_new_object();
	json_object_object_add(turn, "id", json_object_new_string(uid));
	json_object_object_add(p, "turn", turn);
	json_object_object_add(msg, "method",
	    json_object_new_string("turn/started"));
	json_object_object_add(msg, "params", p);
	fake_send(msg);

	if (sscanf(prompt, "deltas %lu size %zu", &n, &size) == 2)
		fake_deltas(tid, uid, n, size);
	else {
		msg = json_object_new_object();
		p = json_object_new_object();
		json_object_object_add(p, "threadId", json_object_new_string(tid));
		json_object_object_add(p, "turnId", json_object_new_string(uid));
		if ((said = malloc(strlen(prompt) + sizeof "You said: ")) ==
		    NULL)
			exit(1);
		snprintf(said, strlen(prompt) + sizeof "You said: ",
		    "You said: %s", prompt);
		json_object_object_add(p, "delta", json_object_new_string(said));
		free(said);
		json_object_object_add(msg, "method",
		    json_object_new_string("item/agentMessage/delta"));
		json_object_object_add(msg, "params", p);
		fake_send(msg);
	}

	msg = json_object_new_object();
	p = json_object_new_object();
	json_object_object_add(p, "threadId", json_object_new_string(tid));
	turn = json_object_new_object();
	json_object_object_add(turn, "id", json_object_new_string(uid));
	json_object_object_add(turn, "status",
	    json_object_new_string("completed"));
	json_object_object_add(p, "turn", turn);
	json_object_object_add(msg, "method",
	    json_object_new_string("turn/completed"));
	json_object_object_add(msg, "params", p);
	fake_send(msg);
}

/* One request or notification from the client. */
static void
fake_line(const char *line)
{
	json_object	*msg, *id, *m, *params, *r, *t;
	const char	*method;
	char		 tid[32];

	if ((msg = json_tokener_parse(line)) == NULL)
		return;
	if (!json_object_object_get_ex(msg, "id", &id) ||
	    !json_object_object_get_ex(msg, "method", &m)) {
		json_object_put(msg);
		return;
	}
	method = json_object_get_string(m);
	json_object_object_get_ex(msg, "params", &params);
	r = json_object_new_object();
	if (strcmp(method, "initialize") == 0)
		json_object_object_add(r, "userAgent",
		    json_object_new_string("fake-appserver/0.171.0 (bench)"));
	else if (strcmp(method, "thread/list") == 0)
		json_object_object_add(r, "data", json_object_new_array());
	else if (strcmp(method, "thread/start") == 0) {
		snprintf(tid, sizeof tid, "thread-%lu", ++fake_threads);
		t = json_object_new_object();
		json_object_object_add(t, "id", json_object_new_string(tid));
		json_object_object_add(r, "thread", t);
	} else if (strcmp(method, "turn/start") == 0) {
		json_object_put(r);
		fake_turn(id, params);
		json_object_put(msg);
		return;
	} else {
		json_object_put(r);
		r = json_object_new_object();
		json_object_object_add(r, "id", json_object_get(id));
		t = json_object_new_object();
		json_object_object_add(t, "code", json_object_new_int(-32601));
		json_object_object_add(t, "message",
		    json_object_new_string("unknown method"));
		json_object_object_add(r, "error", t);
		fake_send(r);
		json_object_put(msg);
		return;
	}
	fake_result(id, r);
	json_object_put(msg);
}

int
main(void)
{
	char	*line = NULL;
	size_t	 size = 0;

	setvbuf(stdout, NULL, _IOFBF, 1 << 20);
	while (getline(&line, &size, stdin) != -1) {
		fake_line(line);
		fflush(stdout);
	}
	free(line);
	return (0);
}
