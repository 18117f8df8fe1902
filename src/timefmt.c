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
 * The one time formatter: RFC 3339 UTC times, for the log, tasks and
 * conversation lists.
 */

#include <sys/time.h>

#include <stdio.h>
#include <time.h>

#include "proxy.h"

/*
 * Write tv as an RFC 3339 UTC time into buf (TIMEFMT_LEN bytes), with
 * milliseconds if millis is set; returns buf.
 */
char *
timefmt(char *buf, const struct timeval *tv, int millis)
{
	struct tm	tm;
	time_t		secs = tv->tv_sec;
	size_t		n;

	if (gmtime_r(&secs, &tm) == NULL) {
		buf[0] = '\0';
		return (buf);
	}
	n = strftime(buf, TIMEFMT_LEN, "%Y-%m-%dT%H:%M:%S", &tm);
	if (millis)
		snprintf(buf + n, TIMEFMT_LEN - n, ".%03ldZ",
		    (long)tv->tv_usec / 1000);
	else
		snprintf(buf + n, TIMEFMT_LEN - n, "Z");
	return (buf);
}
