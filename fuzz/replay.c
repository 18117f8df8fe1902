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
 * Fuzz target: the trace replay reader (--upstream replay:FILE). The input
 * is a trace, then optionally a line holding only a form feed and the
 * messages the proxy would send, one a line, which the replay answers
 * from the trace (on stdout, which goes nowhere here).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"
#include "fuzz.h"

#define FUZZ_REPLAY_SPLIT	"\n\f\n"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*copy, *split;
	size_t		 tlen = size;
	FILE		*tf, *in = NULL;

	fuzz_setup();
	if (size == 0)
		return (0);
	copy = xmalloc(size);
	memcpy(copy, data, size);
	if ((split = memmem(copy, size, FUZZ_REPLAY_SPLIT, 3)) != NULL)
		tlen = split - copy;
	if (tlen > 0 && (tf = fmemopen(copy, tlen, "r")) != NULL) {
		if (split != NULL && size - tlen > 3)
			in = fmemopen(split + 3, size - tlen - 3, "r");
		(void)replay_serve(tf, in);
		fclose(tf);
		if (in != NULL)
			fclose(in);
	}
	free(copy);
	return (0);
}
