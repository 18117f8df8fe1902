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

/* memmem for systems without it (POSIX has it only since 2024). */

#include <stdint.h>
#include <string.h>

#include "compat.h"

void *
memmem(const void *big, size_t big_len, const void *little, size_t little_len)
{
	const unsigned char	*b = big, *end, *p;
	const unsigned char	*l = little;

	if (little_len == 0)
		return ((void *)(uintptr_t)big);
	if (big_len < little_len)
		return (NULL);
	end = b + (big_len - little_len) + 1;
	for (p = b; p < end; p++) {
		if ((p = memchr(p, l[0], end - p)) == NULL)
			return (NULL);
		if (memcmp(p, l, little_len) == 0)
			return ((void *)(uintptr_t)p);
	}
	return (NULL);
}
