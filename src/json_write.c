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
 * JSON written straight into an evbuffer, as json_text() would print it
 * (compact, "/" not escaped), without printing the whole text into one
 * string first. A long string is escaped once into a block of its own,
 * which the buffer references, not copies, wherever the same string object
 * appears: a long answer is in a result twice (its content and its
 * structuredContent) but in memory once.
 */

#include <stdlib.h>
#include <string.h>

#include "proxy.h"

#define JSON_WRITE_LONG		65536	/* a string this long gets a block */
#define JSON_WRITE_BLOCKS	4	/* long strings shared in one message */

/* A long string's escaped text, shared by the references to it. */
struct json_block {
	int		 references;
	size_t		 len;
	char		 text[];
};

struct json_writer {
	struct evbuffer		*out;
	json_object		*seen[JSON_WRITE_BLOCKS];
	struct json_block	*block[JSON_WRITE_BLOCKS];
	size_t			 nseen;
};

static void	 json_write_value(struct json_writer *, json_object *);
static void	 json_write_string(struct json_writer *, const char *, size_t);
static size_t	 json_escape(char *, const char *, size_t);
static void	 json_write_long(struct json_writer *, json_object *);
static void	 json_block_unref(const void *, size_t, void *);

/* Escape len bytes of s into out (NULL: only count); the escaped length. */
static size_t
json_escape(char *out, const char *s, size_t len)
{
	static const char	 hex[] = "0123456789abcdef";
	static const char	 from[] = "\b\n\r\t\f\"\\", to[] = "bnrtf\"\\";
	const unsigned char	*p = (const unsigned char *)s;
	const char		*at;
	size_t			 i, n = 0;

	for (i = 0; i < len; i++) {
		if (p[i] >= 0x20 && p[i] != '"' && p[i] != '\\') {
			if (out != NULL)
				out[n] = (char)p[i];
			n++;
		} else if ((at = memchr(from, p[i], sizeof from - 1)) != NULL) {
			if (out != NULL) {
				out[n] = '\\';
				out[n + 1] = to[at - from];
			}
			n += 2;
		} else {
			if (out != NULL) {
				memcpy(out + n, "\\u00", 4);
				out[n + 4] = hex[p[i] >> 4];
				out[n + 5] = hex[p[i] & 0xf];
			}
			n += 6;
		}
	}
	return (n);
}

/* A short string, quoted, straight into the buffer. */
static void
json_write_string(struct json_writer *w, const char *s, size_t len)
{
	char	 buf[512];
	size_t	 n, chunk;

	evbuffer_add(w->out, "\"", 1);
	while (len > 0) {
		/* At most six bytes out for each one in. */
		chunk = len < sizeof buf / 6 ? len : sizeof buf / 6;
		n = json_escape(buf, s, chunk);
		evbuffer_add(w->out, buf, n);
		s += chunk;
		len -= chunk;
	}
	evbuffer_add(w->out, "\"", 1);
}

/* The last reference to a block went with the buffer's data. */
static void
json_block_unref(const void *data, size_t len, void *arg)
{
	struct json_block	*b = arg;

	if (--b->references == 0)
		free(b);
}

/* A long string: its block, escaped the first time it is met. */
static void
json_write_long(struct json_writer *w, json_object *v)
{
	struct json_block	*b = NULL;
	const char		*s = json_object_get_string(v);
	size_t			 len = json_object_get_string_len(v), i, n;

	for (i = 0; i < w->nseen; i++) {
		if (w->seen[i] == v)
			b = w->block[i];
	}
	if (b == NULL) {
		n = json_escape(NULL, s, len);
		b = xmalloc(sizeof *b + n + 2);
		b->references = 0;
		b->text[0] = '"';
		json_escape(b->text + 1, s, len);
		b->text[n + 1] = '"';
		b->len = n + 2;
		if (w->nseen < JSON_WRITE_BLOCKS) {
			w->seen[w->nseen] = v;
			w->block[w->nseen++] = b;
		}
	}
	b->references++;
	if (evbuffer_add_reference(w->out, b->text, b->len, json_block_unref,
	    b) == -1)
		fatalx("evbuffer_add_reference failed");
}

/* Any value (NULL is null). */
static void
json_write_value(struct json_writer *w, json_object *v)
{
	struct json_object_iterator	 it, end;
	size_t				 i, n;
	const char			*key;

	switch (json_object_get_type(v)) {
	case json_type_object:
		evbuffer_add(w->out, "{", 1);
		it = json_object_iter_begin(v);
		end = json_object_iter_end(v);
		for (i = 0; !json_object_iter_equal(&it, &end);
		    json_object_iter_next(&it), i++) {
			if (i > 0)
				evbuffer_add(w->out, ",", 1);
			key = json_object_iter_peek_name(&it);
			json_write_string(w, key, strlen(key));
			evbuffer_add(w->out, ":", 1);
			json_write_value(w, json_object_iter_peek_value(&it));
		}
		evbuffer_add(w->out, "}", 1);
		break;
	case json_type_array:
		evbuffer_add(w->out, "[", 1);
		n = json_object_array_length(v);
		for (i = 0; i < n; i++) {
			if (i > 0)
				evbuffer_add(w->out, ",", 1);
			json_write_value(w, json_object_array_get_idx(v, i));
		}
		evbuffer_add(w->out, "]", 1);
		break;
	case json_type_string:
		if (json_object_get_string_len(v) >= JSON_WRITE_LONG)
			json_write_long(w, v);
		else
			json_write_string(w, json_object_get_string(v),
			    json_object_get_string_len(v));
		break;
	default:
		key = json_text(v);
		evbuffer_add(w->out, key, strlen(key));
		break;
	}
}

/* Write obj (borrowed) to out as json_text(obj) reads. */
void
json_write(struct evbuffer *out, json_object *obj)
{
	struct json_writer	w;

	memset(&w, 0, sizeof w);
	w.out = out;
	json_write_value(&w, obj);
}
