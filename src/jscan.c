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
 * A strict JSON scanner for the hot path: it checks that a line is one JSON
 * object (RFC 8259, valid UTF-8, nothing before or after it) and finds the
 * members it is asked for, without building a tree, reading each byte
 * once. What it cannot vouch for being read as json-c reads it (nesting
 * past JSCAN_DEPTH, escaped keys, \u0000, lone surrogates, exponents and
 * long numbers, control characters) it refuses, and the caller falls back
 * to json_parse.
 */

#include <string.h>

#include "proxy.h"

#define JSCAN_DEPTH	16
#define JSCAN_NUMBER	32	/* longest number taken */
#define JSCAN_WANTS	16	/* members asked for at most */

struct jscan {
	const char		*p;
	const char		*end;
	struct jscan_want	*want;
	size_t			 nwant;
	size_t			 keylen[JSCAN_WANTS];
	size_t			 parentlen[JSCAN_WANTS];
};

static int	 jscan_value(struct jscan *, int, const char *, size_t,
		     struct jscan_want *);
static int	 jscan_object(struct jscan *, int, const char *, size_t);
static int	 jscan_array(struct jscan *, int);
static int	 jscan_string(struct jscan *, struct jscan_want *);
static int	 jscan_escape(struct jscan *);
static int	 jscan_hex4(const char *, u_int *);
static int	 jscan_number(struct jscan *);
static int	 jscan_literal(struct jscan *, const char *, size_t);
static void	 jscan_space(struct jscan *);
static int	 jscan_next(struct jscan *, char);

/* Skip JSON whitespace. */
static void
jscan_space(struct jscan *js)
{
	while (js->p < js->end && (*js->p == ' ' || *js->p == '\t' ||
	    *js->p == '\n' || *js->p == '\r'))
		js->p++;
}

/* After a member or element: 1 at the close, 0 past a comma, -1 else. */
static int
jscan_next(struct jscan *js, char close)
{
	jscan_space(js);
	if (js->p == js->end)
		return (-1);
	if (*js->p == close) {
		js->p++;
		return (1);
	}
	if (*js->p++ != ',')
		return (-1);
	jscan_space(js);
	return (0);
}

/*
 * Scan text (len bytes) as one JSON object and fill in the wants found in
 * it. Returns 0, or -1 if it is not JSON or not JSON the scanner takes.
 */
int
jscan(const char *text, size_t len, struct jscan_want *want, size_t nwant)
{
	struct jscan	js;
	size_t		i;

	if (nwant > JSCAN_WANTS)
		return (-1);
	for (i = 0; i < nwant; i++) {
		js.keylen[i] = strlen(want[i].key);
		js.parentlen[i] = want[i].parent != NULL ?
		    strlen(want[i].parent) : 0;
		want[i].seen = 0;
		want[i].type = 0;
		want[i].at = NULL;
		want[i].len = 0;
		want[i].escaped = 0;
	}
	js.p = text;
	js.end = text + len;
	js.want = want;
	js.nwant = nwant;
	if (len == 0 || *text != '{' || jscan_object(&js, 0, NULL, 0) != 0)
		return (-1);
	return (js.p == js.end ? 0 : -1);
}

/*
 * An object at depth, whose key in the top object is parent (NULL for the
 * top object itself, "" below the second level: nothing is wanted there).
 */
static int
jscan_object(struct jscan *js, int depth, const char *parent, size_t plen)
{
	struct jscan_want	 key, *w;
	size_t			 i;
	int			 done;

	if (++depth > JSCAN_DEPTH)
		return (-1);
	js->p++;
	jscan_space(js);
	if (js->p < js->end && *js->p == '}') {
		js->p++;
		return (0);
	}
	for (;;) {
		if (js->p == js->end || *js->p != '"' ||
		    jscan_string(js, &key) != 0 || key.escaped)
			return (-1);
		w = NULL;
		for (i = 0; i < js->nwant && (parent == NULL || *parent != '\0');
		    i++) {
			if ((js->want[i].parent == NULL) != (parent == NULL))
				continue;
			if (parent != NULL && (js->parentlen[i] != plen ||
			    memcmp(js->want[i].parent, parent, plen) != 0))
				continue;
			if (js->keylen[i] == key.len &&
			    memcmp(js->want[i].key, key.at, key.len) == 0) {
				w = &js->want[i];
				break;
			}
		}
		jscan_space(js);
		if (js->p == js->end || *js->p++ != ':')
			return (-1);
		jscan_space(js);
		if (parent == NULL) {
			if (jscan_value(js, depth, key.at, key.len, w) != 0)
				return (-1);
		} else if (jscan_value(js, depth, "", 0, w) != 0)
			return (-1);
		if ((done = jscan_next(js, '}')) != 0)
			return (done == 1 ? 0 : -1);
	}
}

/* An array at depth. */
static int
jscan_array(struct jscan *js, int depth)
{
	int	done;

	if (++depth > JSCAN_DEPTH)
		return (-1);
	js->p++;
	jscan_space(js);
	if (js->p < js->end && *js->p == ']') {
		js->p++;
		return (0);
	}
	for (;;) {
		if (jscan_value(js, depth, "", 0, NULL) != 0)
			return (-1);
		if ((done = jscan_next(js, ']')) != 0)
			return (done == 1 ? 0 : -1);
	}
}

/* Any value; w, if not NULL, is the want it answers. */
static int
jscan_value(struct jscan *js, int depth, const char *key, size_t klen,
    struct jscan_want *w)
{
	struct jscan_want	 ignored;

	if (js->p == js->end)
		return (-1);
	if (w != NULL) {
		w->seen++;
		w->type = *js->p;
	}
	switch (*js->p) {
	case '{':
		return (jscan_object(js, depth, key, klen));
	case '[':
		return (jscan_array(js, depth));
	case '"':
		return (jscan_string(js, w != NULL ? w : &ignored));
	case 't':
		return (jscan_literal(js, "true", 4));
	case 'f':
		return (jscan_literal(js, "false", 5));
	case 'n':
		return (jscan_literal(js, "null", 4));
	default:
		return (jscan_number(js));
	}
}

/* A literal word. */
static int
jscan_literal(struct jscan *js, const char *word, size_t len)
{
	if ((size_t)(js->end - js->p) < len || memcmp(js->p, word, len) != 0)
		return (-1);
	js->p += len;
	return (0);
}

/* A number without an exponent, of at most JSCAN_NUMBER characters. */
static int
jscan_number(struct jscan *js)
{
	const char	*start = js->p;
	size_t		 digits;

	if (js->p < js->end && *js->p == '-')
		js->p++;
	for (digits = 0; js->p < js->end && *js->p >= '0' && *js->p <= '9';
	    digits++)
		js->p++;
	if (digits == 0 || (digits > 1 && js->p[-(ptrdiff_t)digits] == '0'))
		return (-1);
	if (js->p < js->end && *js->p == '.') {
		js->p++;
		for (digits = 0; js->p < js->end && *js->p >= '0' &&
		    *js->p <= '9'; digits++)
			js->p++;
		if (digits == 0)
			return (-1);
	}
	if (js->p < js->end && (*js->p == 'e' || *js->p == 'E'))
		return (-1);
	return (js->p - start <= JSCAN_NUMBER ? 0 : -1);
}

/* Four hex digits at s into *v. */
static int
jscan_hex4(const char *s, u_int *v)
{
	int	i, c;

	*v = 0;
	for (i = 0; i < 4; i++) {
		c = (unsigned char)s[i];
		if (c >= '0' && c <= '9')
			c -= '0';
		else if (c >= 'a' && c <= 'f')
			c -= 'a' - 10;
		else if (c >= 'A' && c <= 'F')
			c -= 'A' - 10;
		else
			return (-1);
		*v = (*v << 4) | (u_int)c;
	}
	return (0);
}

/* The escape at js->p (after its backslash). */
static int
jscan_escape(struct jscan *js)
{
	u_int	hi, lo;

	if (js->p == js->end)
		return (-1);
	if (memchr("\"\\/bfnrt", *js->p, 8) != NULL) {
		js->p++;
		return (0);
	}
	if (*js->p != 'u' || js->end - js->p < 5 ||
	    jscan_hex4(js->p + 1, &hi) != 0 || hi == 0)
		return (-1);
	js->p += 5;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return (-1);
	if (hi < 0xd800 || hi > 0xdbff)
		return (0);
	/* A high surrogate: its low one must follow. */
	if (js->end - js->p < 6 || js->p[0] != '\\' || js->p[1] != 'u' ||
	    jscan_hex4(js->p + 2, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
		return (-1);
	js->p += 6;
	return (0);
}

/* A string at js->p (its quote); its contents go to w's at and len. */
static int
jscan_string(struct jscan *js, struct jscan_want *w)
{
	const unsigned char	*s;
	size_t			 n;
	int			 valid;

	w->at = ++js->p;
	w->escaped = 0;
	while (js->p < js->end) {
		/* Most bytes are plain ASCII: skip them in a tight loop. */
		s = (const unsigned char *)js->p;
		while (s < (const unsigned char *)js->end && *s >= 0x20 &&
		    *s < 0x80 && *s != '"' && *s != '\\')
			s++;
		js->p = (const char *)s;
		if (js->p == js->end)
			break;
		if (*s == '"') {
			w->len = js->p - w->at;
			js->p++;
			return (0);
		}
		if (*s < 0x20)
			return (-1);
		if (*s == '\\') {
			w->escaped = 1;
			js->p++;
			if (jscan_escape(js) != 0)
				return (-1);
		} else if (*s < 0x80)
			js->p++;
		else {
			n = utf8_char(js->p, js->end - js->p, &valid);
			if (!valid)
				return (-1);
			js->p += n;
		}
	}
	return (-1);
}

/*
 * Decode the contents of a string jscan took (len bytes) into out, which
 * has room for len + 1: the text is never longer than its JSON. Returns
 * the length; out ends with a NUL.
 */
size_t
jscan_decode(const char *raw, size_t len, char *out)
{
	static const char	 letters[] = "bfnrt", chars[] = "\b\f\n\r\t";
	const char		*p = raw, *end = raw + len, *bs, *at;
	char			*o = out;
	u_int			 c, lo;

	while (p < end) {
		if ((bs = memchr(p, '\\', end - p)) == NULL)
			bs = end;
		memcpy(o, p, bs - p);
		o += bs - p;
		if (bs == end)
			break;
		p = bs + 1;
		if (*p != 'u') {
			/* A letter for a control character, or the character. */
			at = memchr(letters, *p, sizeof letters - 1);
			*o++ = at != NULL ? chars[at - letters] : *p;
			p++;
			continue;
		}
		p++;
		jscan_hex4(p, &c);
		p += 4;
		if (c >= 0xd800 && c <= 0xdbff) {
			jscan_hex4(p + 2, &lo);
			p += 6;
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
		}
		if (c < 0x80)
			*o++ = (char)c;
		else if (c < 0x800) {
			*o++ = (char)(0xc0 | (c >> 6));
			*o++ = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			*o++ = (char)(0xe0 | (c >> 12));
			*o++ = (char)(0x80 | ((c >> 6) & 0x3f));
			*o++ = (char)(0x80 | (c & 0x3f));
		} else {
			*o++ = (char)(0xf0 | (c >> 18));
			*o++ = (char)(0x80 | ((c >> 12) & 0x3f));
			*o++ = (char)(0x80 | ((c >> 6) & 0x3f));
			*o++ = (char)(0x80 | (c & 0x3f));
		}
	}
	*o = '\0';
	return (o - out);
}
