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
 * JSON-RPC envelopes, for both sides: MCP messages carry "jsonrpc":"2.0"
 * (versioned), the app-server's do not. Each returns a new object.
 */

#include "proxy.h"

/* An empty envelope. */
static json_object *
rpc_envelope(int versioned)
{
	json_object	*msg = json_object_new_object();

	if (versioned)
		json_set_str(msg, "jsonrpc", "2.0");
	return (msg);
}

/* A request with our own id (taking params, which may be NULL). */
json_object *
rpc_request(int versioned, int64_t id, const char *method, json_object *params)
{
	json_object	*msg = rpc_envelope(versioned);

	json_object_object_add(msg, "id", json_object_new_int64(id));
	json_set_str(msg, "method", method);
	if (params != NULL)
		json_object_object_add(msg, "params", params);
	return (msg);
}

/* A notification (taking params, which may be NULL). */
json_object *
rpc_notification(int versioned, const char *method, json_object *params)
{
	json_object	*msg = rpc_envelope(versioned);

	json_set_str(msg, "method", method);
	if (params != NULL)
		json_object_object_add(msg, "params", params);
	return (msg);
}

/* The response to request id (borrowed) with result (taken). */
json_object *
rpc_result(int versioned, json_object *id, json_object *result)
{
	json_object	*msg = rpc_envelope(versioned);

	json_object_object_add(msg, "id", json_object_get(id));
	json_object_object_add(msg, "result", result);
	return (msg);
}

/* The error response to request id (borrowed; NULL for null). */
json_object *
rpc_error(int versioned, json_object *id, int code, const char *message)
{
	json_object	*msg = rpc_envelope(versioned), *err;

	err = json_object_new_object();
	json_object_object_add(err, "code", json_object_new_int(code));
	json_set_str(err, "message", message);
	json_object_object_add(msg, "id", json_object_get(id));
	json_object_object_add(msg, "error", err);
	return (msg);
}
