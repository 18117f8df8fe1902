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
 * The headers of a 2026-07-28 request POST, which mirror its body so that
 * what stands between client and server can route without reading it:
 * MCP-Protocol-Version, Mcp-Method, Mcp-Name, and an Mcp-Param-{Name} for
 * each argument a tool marks with x-mcp-header. Each must say what the body
 * says, once a =?base64?...?= value is decoded; else 400 and -32020.
 */

#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "proxy.h"

#define B64_OPEN	"=?base64?"
#define B64_CLOSE	"?="

static char	*header_decode(const char *, size_t);
static char	*header_value(struct evhttp_request *, const char *, int *);
static json_object *header_match(struct evhttp_request *, json_object *,
		     const char *, const char *);
static json_object *header_params(struct evhttp_request *, json_object *,
		     json_object *);
static const char *header_name_of(const char *, json_object *);

/* Decode a base64 text of len bytes to a string; NULL if it is not one. */
static char *
header_decode(const char *text, size_t len)
{
	unsigned char	*out;
	size_t		 n;

	if ((out = base64_decode(text, len, 0, &n)) == NULL)
		return (NULL);
	if (!utf8_valid((char *)out, n) || strlen((char *)out) != n) {
		free(out);
		return (NULL);
	}
	return ((char *)out);
}

/*
 * The value of header name, without surrounding blanks and decoded if it
 * is base64-wrapped; NULL if absent, or with *bad set if it cannot be read.
 */
static char *
header_value(struct evhttp_request *req, const char *name, int *bad)
{
	const char	*h, *end;
	char		*out;
	size_t		 len, i;

	*bad = 0;
	h = evhttp_find_header(evhttp_request_get_input_headers(req), name);
	if (h == NULL)
		return (NULL);
	h += strspn(h, " \t");
	for (end = h + strlen(h); end > h && (end[-1] == ' ' ||
	    end[-1] == '\t'); end--)
		;
	len = end - h;
	for (i = 0; i < len; i++) {
		if ((unsigned char)h[i] < 0x20 || h[i] == 0x7f) {
			*bad = 1;
			return (NULL);
		}
	}
	if (len < strlen(B64_OPEN) + strlen(B64_CLOSE) ||
	    strncmp(h, B64_OPEN, strlen(B64_OPEN)) != 0 ||
	    strncmp(end - strlen(B64_CLOSE), B64_CLOSE, strlen(B64_CLOSE)) != 0)
		return (xstrndup(h, len));
	h += strlen(B64_OPEN);
	len -= strlen(B64_OPEN) + strlen(B64_CLOSE);
	if ((out = header_decode(h, len)) == NULL)
		*bad = 1;
	return (out);
}

/*
 * Does header name say expected (NULL: the body has nothing for it, so
 * any header is not checked)? NULL if so, else the -32020 answer to id.
 */
static json_object *
header_match(struct evhttp_request *req, json_object *id, const char *name,
    const char *expected)
{
	json_object	*error;
	char		*value, *why;
	int		 bad;

	if (expected == NULL)
		return (NULL);
	value = header_value(req, name, &bad);
	if (value != NULL && strcmp(value, expected) == 0) {
		free(value);
		return (NULL);
	}
	if (bad)
		xasprintf(&why, "Header mismatch: the %s header value cannot "
		    "be read (bad characters or base64)", name);
	else if (value == NULL)
		xasprintf(&why, "Header mismatch: the %s header is missing; "
		    "the body says '%s'", name, expected);
	else
		xasprintf(&why, "Header mismatch: %s header value '%s' does "
		    "not match body value '%s'", name, value, expected);
	error = modern_error(id, RPC_HEADER_MISMATCH, why, NULL);
	free(why);
	free(value);
	return (error);
}

/* What the Mcp-Name header mirrors for method, from params; or NULL. */
static const char *
header_name_of(const char *method, json_object *params)
{
	if (strcmp(method, "tools/call") == 0 ||
	    strcmp(method, "prompts/get") == 0)
		return (json_str(params, "name"));
	if (strcmp(method, "resources/read") == 0)
		return (json_str(params, "uri"));
	if (strcmp(method, "tasks/get") == 0 ||
	    strcmp(method, "tasks/update") == 0 ||
	    strcmp(method, "tasks/cancel") == 0)
		return (json_str(params, "taskId"));
	return (NULL);
}

/* Check the Mcp-Param-* headers of a tools/call; NULL if they match. */
static json_object *
header_params(struct evhttp_request *req, json_object *id, json_object *params)
{
	struct json_object_iter	 it;
	json_object		*def, *args, *value, *error, *props;
	const char		*name, *mirror;
	char			*header;

	name = json_str(params, "name");
	if (name == NULL || (def = tools_def(name, 1)) == NULL)
		return (NULL);
	args = json_obj(params, "arguments");
	if ((props = json_path(def, "inputSchema.properties")) == NULL)
		return (NULL);
	json_object_object_foreachC(props, it) {
		if ((mirror = json_str(it.val, "x-mcp-header")) == NULL)
			continue;
		value = json_obj(args, it.key);
		if (value == NULL || json_object_is_type(value, json_type_null))
			continue;
		xasprintf(&header, "Mcp-Param-%s", mirror);
		error = header_match(req, id, header,
		    json_object_get_string(value));
		free(header);
		if (error != NULL)
			return (error);
	}
	return (NULL);
}

/*
 * Check the headers of request msg (an object) against its body, and its
 * envelope; NULL if both are sound, else the answer (400): -32020, or the
 * envelope's own error.
 */
json_object *
http_headers_check(struct evhttp_request *req, json_object *msg)
{
	json_object	*id = json_obj(msg, "id"), *params, *error;
	const char	*method = json_str(msg, "method"), *version;
	struct mcp_context ctx;

	params = json_obj(msg, "params");
	version = json_str(json_obj(params, "_meta"), META_VERSION);
	if (version == NULL && method != NULL &&
	    strcmp(method, "initialize") == 0)
		return (modern_error(id, RPC_HEADER_MISMATCH, "Header mismatch: "
		    "MCP-Protocol-Version names " MCP_MODERN_VERSION ", which "
		    "has no initialize", NULL));
	if (version == NULL)
		return (modern_envelope(id, params, &ctx));
	if ((error = header_match(req, id, "MCP-Protocol-Version",
	    version)) != NULL ||
	    (error = header_match(req, id, "Mcp-Method", method)) != NULL ||
	    (error = header_match(req, id, "Mcp-Name",
	    header_name_of(method, params))) != NULL ||
	    (error = modern_envelope(id, params, &ctx)) != NULL)
		return (error);
	if (strcmp(method, "tools/call") == 0)
		return (header_params(req, id, params));
	return (NULL);
}
