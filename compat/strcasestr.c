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

/* strcasestr for systems without it: strstr ignoring ASCII case. */

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "compat.h"

char *
strcasestr(const char *big, const char *little)
{
	size_t	n = strlen(little), i;

	if (n == 0)
		return ((char *)(uintptr_t)big);
	for (; *big != '\0'; big++) {
		for (i = 0; i < n; i++) {
			if (tolower((unsigned char)big[i]) !=
			    tolower((unsigned char)little[i]))
				break;
		}
		if (i == n)
			return ((char *)(uintptr_t)big);
	}
	return (NULL);
}
