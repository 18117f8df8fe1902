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
 * Fuzz target: the JSON-RPC line input and MCP dispatch. Each line of the
 * input is one message from the client to a fresh stdio-like session
 * (initialize, tools/list, tools/call with any arguments, tasks, logging,
 * answers to our own requests); what the proxy answers goes nowhere. The
 * session is closed at the end and everything it held must be freed.
 */

#include <stdlib.h>

#include "proxy.h"
#include "fuzz.h"

static void	 fuzz_rpc_send(void *, json_object *, json_object *);

static const struct mcp_front fuzz_rpc_front = { fuzz_rpc_send, NULL };

/* Serialize what would be sent, as the stdio front does, and drop it. */
static void
fuzz_rpc_send(void *ctx, json_object *msg, json_object *related)
{
	fuzz_check_write(msg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mcp_session	*s;
	const uint8_t		*p = data;
	char			*line;
	size_t			 len;

	fuzz_setup();
	s = mcp_session_new(&fuzz_rpc_front, NULL);
	mcp_session_name(s, "fuzz");
	while ((line = fuzz_line(&p, data + size, &len)) != NULL) {
		mcp_session_input(s, line, len);
		free(line);
		fuzz_settle();
	}
	mcp_session_close(s);
	fuzz_settle();
	threads_sweep();
	return (0);
}
