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
 * Newline-delimited framing: take whole lines out of an evbuffer, one at a
 * time, with a size limit. A line over the limit is discarded up to its end
 * and reported once, so one bad message never desynchronizes the stream.
 */

#include <string.h>

#include "proxy.h"

/*
 * Take the next line out of buf into *line (NUL-terminated, without the
 * newline or a trailing CR; the caller frees it). Returns LINES_OK,
 * LINES_NONE when no whole line is there yet, or LINES_TOOLONG once for a
 * line longer than max (with *len its size so far).
 */
int
lines_next(struct lines *lr, struct evbuffer *buf, size_t max, char **line,
    size_t *len)
{
	struct evbuffer_ptr	 start, eol;
	size_t			 have, n;
	char			*p;

	for (;;) {
		have = evbuffer_get_length(buf);
		if (lr->scanned >= have)
			return (LINES_NONE);
		if (evbuffer_ptr_set(buf, &start, lr->scanned,
		    EVBUFFER_PTR_SET) == -1)
			return (LINES_NONE);
		eol = evbuffer_search_eol(buf, &start, NULL, EVBUFFER_EOL_LF);
		if (eol.pos == -1) {
			lr->scanned = have;
			if (have <= max)
				return (LINES_NONE);
			/* Too long and still going: drop what we have. */
			evbuffer_drain(buf, have);
			lr->scanned = 0;
			if (lr->skipping)
				continue;
			lr->skipping = 1;
			*len = have;
			return (LINES_TOOLONG);
		}
		n = eol.pos;
		lr->scanned = 0;
		if (lr->skipping || n > max) {
			evbuffer_drain(buf, n + 1);
			if (lr->skipping) {
				lr->skipping = 0;
				continue;
			}
			*len = n;
			return (LINES_TOOLONG);
		}
		p = xmalloc(n + 1);
		evbuffer_remove(buf, p, n);
		evbuffer_drain(buf, 1);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		p[n] = '\0';
		*line = p;
		*len = n;
		return (LINES_OK);
	}
}
