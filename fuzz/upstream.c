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
 * Fuzz target: a dialect's handling of what the app-server writes
 * (FUZZ_DIALECT, dialect_v1 or dialect_v2). Each line of the input is one
 * line from the app-server, read as the proxy reads it: the dialect's
 * tree-less fast path first, else repaired UTF-8, the strict parser and
 * the dialect's event and approval readers. When the fast path takes a
 * line, the parser must make the same event of it, or the target aborts;
 * json_write must write each parsed message as json_text prints it.
 */

#include <stdlib.h>
#include <string.h>

#include "proxy.h"
#include "fuzz.h"

static void	 fuzz_same(const char *, const char *, const char *);
static void	 fuzz_parsed(const char *, size_t, struct cevent *, int);

/* Two strings of two events must be equal (both NULL counts). */
static void
fuzz_same(const char *what, const char *a, const char *b)
{
	if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0))
		fatalx("fuzz: the fast path's %s differs: %s against %s", what,
		    a != NULL ? a : "NULL", b != NULL ? b : "NULL");
}

/*
 * The line as the parser reads it; fast is 1 when the fast path took it
 * and made *fev, which the parser's event must equal.
 */
static void
fuzz_parsed(const char *text, size_t len, struct cevent *fev, int fast)
{
	const struct dialect	*d = &FUZZ_DIALECT;
	struct cevent		 ev;
	struct approval		 ap;
	json_object		*msg, *id, *params;
	const char		*method, *err;
	char			*line;
	int			 got = 0;

	/* As lines_next makes it: len bytes, NULs and all, then a NUL. */
	line = xmalloc(len + 1);
	memcpy(line, text, len + 1);
	line = utf8_fix(line, &len);
	msg = json_parse(line, len, &err);
	if (msg != NULL)
		fuzz_check_write(msg);
	if (msg != NULL && json_object_is_type(msg, json_type_object) &&
	    (method = json_str(msg, "method")) != NULL) {
		id = json_obj(msg, "id");
		params = json_obj(msg, "params");
		if (id != NULL)
			(void)d->approval(method, params, &ap);
		else
			got = d->event(method, params, &ev);
	}
	if (fast) {
		if (!got)
			fatalx("fuzz: the fast path took what the parser does "
			    "not: %s", line);
		if (ev.type != fev->type)
			fatalx("fuzz: the fast path's event type differs");
		fuzz_same("text", fev->text, ev.text);
		fuzz_same("thread", fev->thread_id, ev.thread_id);
		fuzz_same("turn", fev->turn_id, ev.turn_id);
	}
	json_object_put(msg);
	free(line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct dialect	*d = &FUZZ_DIALECT;
	const uint8_t		*p = data;
	struct cevent		 fev;
	char			*line;
	size_t			 len;

	fuzz_setup();
	while ((line = fuzz_line(&p, data + size, &len)) != NULL) {
		fuzz_parsed(line, len, &fev, d->line_event != NULL &&
		    d->line_event(line, len, &fev));
		free(line);
	}
	d->reset(0);
	return (0);
}
