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
 * UTF-8: what is valid (strict: no overlong forms, surrogates or values
 * past U+10FFFF), repair of what is not (each maximal invalid subpart
 * becomes U+FFFD, as the Unicode standard and WHATWG decoders do) and
 * cutting text short without splitting a character.
 */

#include <stdlib.h>
#include <string.h>

#include "proxy.h"

#define UTF8_REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

/*
 * The length of the character at s (len > 0 bytes left), with *valid set;
 * for an invalid one, of its maximal subpart: the bytes that could still
 * have begun a character, at least one.
 */
size_t
utf8_char(const char *text, size_t len, int *valid)
{
	const unsigned char	*s = (const unsigned char *)text;
	unsigned char		 lo = 0x80, hi = 0xbf;
	size_t			 need, i;

	*valid = 0;
	if (s[0] < 0x80) {
		*valid = 1;
		return (1);
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 1;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 2;
		if (s[0] == 0xe0)
			lo = 0xa0;	/* shorter forms are overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;	/* above are the surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 3;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;	/* above is past U+10FFFF */
	} else
		return (1);
	for (i = 1; i <= need; i++) {
		if (i >= len || s[i] < lo || s[i] > hi)
			return (i);
		lo = 0x80;
		hi = 0xbf;
	}
	*valid = 1;
	return (need + 1);
}

/* Is this strict UTF-8? */
int
utf8_valid(const char *text, size_t len)
{
	size_t	i = 0;
	int	valid = 1;

	while (i < len && valid)
		i += utf8_char(text + i, len - i, &valid);
	return (valid);
}

/*
 * Text (len bytes, NUL-terminated, taken) as valid UTF-8: itself when it is,
 * else a new copy with U+FFFD for each invalid part; *len is updated.
 */
char *
utf8_fix(char *text, size_t *len)
{
	struct evbuffer	*b;
	size_t		 i = 0, n;
	int		 valid;

	if (utf8_valid(text, *len))
		return (text);
	b = evbuffer_new();
	while (i < *len) {
		n = utf8_char(text + i, *len - i, &valid);
		if (valid)
			evbuffer_add(b, text + i, n);
		else
			evbuffer_add(b, UTF8_REPLACEMENT, 3);
		i += n;
	}
	free(text);
	*len = evbuffer_get_length(b);
	return (xevbuffer_string(b));
}

/*
 * How much of text (len bytes of UTF-8) fits in max bytes without cutting
 * a character in two: len if all of it.
 */
size_t
utf8_cut(const char *text, size_t len, size_t max)
{
	size_t	n = max;

	if (len <= max)
		return (len);
	/* Back up over the continuation bytes of the character at max. */
	while (n > 0 && max - n < 3 && ((unsigned char)text[n] & 0xc0) == 0x80)
		n--;
	return (n);
}
