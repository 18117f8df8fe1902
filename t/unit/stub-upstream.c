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
 * A stub upstream for the unit programs: what the dialects send is
 * recorded (method and params) instead of written to an app-server, and a
 * program answers the requests as it likes. Nothing else of the proxy
 * runs: no event loop, no child process.
 */

#include <stdlib.h>
#include <string.h>

#include "proxy.h"
#include "stub-upstream.h"

struct event_base	*proxy_base;
struct options		 opts;

static struct stub_request	 stub_requests[STUB_MAX];
static size_t			 stub_n;

/* The recorded requests, and how many there are. */
struct stub_request *
stub_requests_sent(size_t *n)
{
	*n = stub_n;
	return (stub_requests);
}

/* Answer recorded request i with result or an error (code, message). */
void
stub_answer(size_t i, json_object *result, int code, const char *message)
{
	struct upstream_reply	 r = { result, code, message };
	struct stub_request	*sr = &stub_requests[i];
	upstream_cb		 cb = sr->cb;

	if (cb == NULL)
		return;
	sr->cb = NULL;
	cb(sr->arg, &r);
}

/* Forget every recorded request. */
void
stub_reset(void)
{
	size_t	i;

	for (i = 0; i < stub_n; i++) {
		free(stub_requests[i].method);
		json_object_put(stub_requests[i].params);
	}
	stub_n = 0;
}

/* Record a request instead of sending it. */
int
upstream_request(struct upstream *up, const char *method, json_object *params,
    upstream_cb cb, void *arg)
{
	return (upstream_request_traced(up, method, params, NULL, cb, arg));
}

/* Record a request, its trace unrecorded. */
int
upstream_request_traced(struct upstream *up, const char *method,
    json_object *params, const char *traceparent, upstream_cb cb, void *arg)
{
	struct stub_request	*sr;

	if (stub_n == STUB_MAX || up == NULL) {
		json_object_put(params);
		return (-1);
	}
	sr = &stub_requests[stub_n++];
	sr->method = xstrdup(method);
	sr->params = params;
	sr->cb = cb;
	sr->arg = arg;
	return (0);
}

/* Answers to the app-server's own requests go nowhere. */
void
upstream_respond(struct upstream *up, json_object *id, json_object *result)
{
	json_object_put(result);
}

/* The same for errors. */
void
upstream_respond_error(struct upstream *up, json_object *id, int code,
    const char *message)
{
}

/* The one spawn there is. */
u_int
upstream_generation(struct upstream *up)
{
	return (1);
}

/* The stub counts nothing. */
void
metrics_approval(enum approval_decision d)
{
}
