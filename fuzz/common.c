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
 * What every fuzz target needs of the proxy outside its main(): the event
 * base and the options (with their defaults), quiet logs, and helpers to
 * cut an input into lines, to let the deferred work of one input run and
 * to check json_write against json_text.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"
#include "fuzz.h"

struct event_base	*proxy_base;
struct options		 opts;

/* Once: the base, the defaults, the tables; logs and stdout go nowhere. */
void
fuzz_setup(void)
{
	static int	done;

	if (done)
		return;
	done = 1;
	if (freopen("/dev/null", "w", stdout) == NULL)
		fatal("fuzz: /dev/null");
	log_open("/dev/null", 0);
	if ((proxy_base = event_base_new()) == NULL)
		fatalx("fuzz: event_base_new");
	opts.upstream_cmd = "false";
	opts.max_message = 1024 * 1024;
	opts.max_answer = 64 * 1024;
	opts.start_timeout = 1;
	opts.resume_retry = 1;
	opts.approval_timeout = 1;
	opts.max_header_size = 8192;
	opts.allowed_hosts = "localhost,127.0.0.1,::1";
	opts.insecure_no_auth = 1;
	opts.listen_loopback = 1;
	opts.drain_timeout = 1;
	redact_init(NULL, 0);
	threads_init();
	tools_init();
	reply_init();
}

/* Run what is due now (deferred frees, zero timers), and no more. */
void
fuzz_settle(void)
{
	int	i;

	for (i = 0; i < 4; i++)
		event_base_loop(proxy_base, EVLOOP_NONBLOCK);
}

/*
 * The next line of the input at *p (up to end), as a NUL-terminated copy
 * (to free) with its length; NULL at the end.
 */
char *
fuzz_line(const uint8_t **p, const uint8_t *end, size_t *len)
{
	const uint8_t	*nl;
	char		*line;

	if (*p >= end)
		return (NULL);
	if ((nl = memchr(*p, '\n', end - *p)) == NULL)
		nl = end;
	*len = nl - *p;
	line = xmalloc(*len + 1);
	memcpy(line, *p, *len);
	line[*len] = '\0';
	*p = nl < end ? nl + 1 : end;
	return (line);
}

/* json_write must write what json_text prints, byte for byte. */
void
fuzz_check_write(json_object *v)
{
	struct evbuffer	*b = evbuffer_new();
	const char	*text = json_text(v);
	size_t		 len = strlen(text);

	json_write(b, v);
	if (evbuffer_get_length(b) != len ||
	    memcmp(evbuffer_pullup(b, -1), text, len) != 0)
		fatalx("fuzz: json_write differs from json_text: %s", text);
	evbuffer_free(b);
}
