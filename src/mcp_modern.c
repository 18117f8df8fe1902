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
 * MCP 2026-07-28, the stateless revision: every request carries its
 * protocol version and client capabilities in _meta, and nothing of an
 * earlier request counts. The envelope's checks, server/discover, and the
 * shape of every modern result (resultType, serverInfo, cache hints).
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"

#define META_CAPS	"io.modelcontextprotocol/clientCapabilities"
#define META_LEVEL	"io.modelcontextprotocol/logLevel"
#define META_SERVER	"io.modelcontextprotocol/serverInfo"
#define MODERN_TTL_MS	300000	/* the tools change only with the binary */

static const char *modern_versions[] = {
	MCP_MODERN_VERSION,
	NULL
};

static json_object *modern_supported(void);
static json_object *modern_cacheable(json_object *);
static json_object *modern_discover(void);
static int	 traceparent_valid(const char *);
static void	 modern_send_error(struct mcp_session *, json_object *);

/* Does this request's _meta claim a protocol version (2026-07-28 on)? */
int
modern_claimed(json_object *params)
{
	return (json_obj(json_obj(params, "_meta"), META_VERSION) != NULL);
}

/* Is this a 2026-07-28-era revision the proxy speaks? */
int
modern_version_known(const char *version)
{
	return (mcp_version_in(modern_versions, version));
}

/* The list of modern versions, for discover and -32022. */
static json_object *
modern_supported(void)
{
	json_object	*list = json_object_new_array();
	size_t		 i;

	for (i = 0; modern_versions[i] != NULL; i++)
		json_object_array_add(list,
		    json_object_new_string(modern_versions[i]));
	return (list);
}

/* An error answer to request id, with data (taken) if not NULL. */
json_object *
modern_error(json_object *id, int code, const char *message, json_object *data)
{
	json_object	*msg = rpc_error(1, id, code, message);

	if (data != NULL)
		json_object_object_add(json_obj(msg, "error"), "data", data);
	return (msg);
}

/*
 * Is s a W3C traceparent, version-traceid-parentid-flags in lower hex
 * (a later version may add fields after a dash)?
 */
static int
traceparent_valid(const char *s)
{
	size_t	i, len = strlen(s);

	if (len < 55 || (len > 55 && s[55] != '-') ||
	    strncmp(s, "ff", 2) == 0)
		return (0);
	for (i = 0; i < 55; i++) {
		if (i == 2 || i == 35 || i == 52) {
			if (s[i] != '-')
				return (0);
		} else if (!isxdigit((unsigned char)s[i]) ||
		    isupper((unsigned char)s[i]))
			return (0);
	}
	return (strspn(s + 3, "0") < 32 && strspn(s + 36, "0") < 16);
}

/* A request's W3C traceparent from its _meta, or NULL (also if invalid). */
const char *
meta_traceparent(json_object *params)
{
	const char	*tp = json_str(json_obj(params, "_meta"), "traceparent");

	if (tp == NULL)
		return (NULL);
	if (!traceparent_valid(tp)) {
		log_debug("ignoring a traceparent not in W3C format: %s", tp);
		return (NULL);
	}
	return (tp);
}

/*
 * Check the envelope of modern request id and fill ctx from it (borrowing
 * from params). NULL if it is sound, else the error answer to send.
 */
json_object *
modern_envelope(json_object *id, json_object *params, struct mcp_context *ctx)
{
	json_object	*meta = json_obj(params, "_meta"), *data;
	const char	*version, *level;
	enum mcp_level	 least;

	if ((version = json_str(meta, META_VERSION)) == NULL)
		return (modern_error(id, RPC_INVALID_PARAMS, "Invalid params: _meta "
		    "needs " META_VERSION " as a string", NULL));
	if (!modern_version_known(version)) {
		data = json_object_new_object();
		json_object_object_add(data, "supported", modern_supported());
		json_set_str(data, "requested", version);
		return (modern_error(id, RPC_UNSUPPORTED_VERSION,
		    "Unsupported protocol version", data));
	}
	memset(ctx, 0, sizeof *ctx);
	ctx->modern = 1;
	ctx->caps = json_obj(meta, META_CAPS);
	if (ctx->caps == NULL ||
	    !json_object_is_type(ctx->caps, json_type_object))
		return (modern_error(id, RPC_INVALID_PARAMS, "Invalid params: _meta "
		    "needs " META_CAPS " as an object", NULL));
	ctx->log_level = -1;
	if (json_obj(meta, META_LEVEL) != NULL) {
		level = json_str(meta, META_LEVEL);
		if (mcp_level_parse(level, &least) != 0)
			return (modern_error(id, RPC_INVALID_PARAMS, "Invalid "
			    "params: " META_LEVEL " must be one of debug, info, "
			    "notice, warning, error, critical, alert, emergency",
			    NULL));
		ctx->log_level = least;
	}
	ctx->traceparent = meta_traceparent(params);
	return (NULL);
}

/* Send an error answer (taken). */
static void
modern_send_error(struct mcp_session *s, json_object *msg)
{
	mcp_send(s, msg, json_obj(msg, "id"));
	json_object_put(msg);
}

/*
 * Shape a result (taken) for a modern request: its resultType ("complete",
 * or "input_required" and "task" as they come) and the serverInfo _meta.
 * Every modern result goes through here; it returns result.
 */
json_object *
modern_result(json_object *result, const char *result_type)
{
	json_object	*meta;

	json_set_str(result, "resultType", result_type);
	if ((meta = json_obj(result, "_meta")) == NULL) {
		meta = json_object_new_object();
		json_object_object_add(result, "_meta", meta);
	}
	json_object_object_add(meta, META_SERVER, mcp_server_info());
	return (result);
}

/* Add the cache hints to a complete result (taken); it returns it. */
static json_object *
modern_cacheable(json_object *result)
{
	json_object_object_add(result, "ttlMs",
	    json_object_new_int(MODERN_TTL_MS));
	json_set_str(result, "cacheScope", "public");
	return (modern_result(result, "complete"));
}

/* The server/discover result. */
static json_object *
modern_discover(void)
{
	json_object	*r = json_object_new_object(), *caps, *ext;

	json_object_object_add(r, "supportedVersions", modern_supported());
	caps = mcp_capabilities();
	ext = json_object_new_object();
	json_object_object_add(ext, EXT_TASKS, json_object_new_object());
	json_object_object_add(caps, "extensions", ext);
	json_object_object_add(r, "capabilities", caps);
	json_set_str(r, "instructions", mcp_instructions);
	return (modern_cacheable(r));
}

/* A request that claims a modern version: served from itself alone. */
void
modern_request(struct mcp_session *s, json_object *id, const char *method,
    json_object *params)
{
	struct mcp_context	 ctx;
	json_object		*error;

	if ((error = modern_envelope(id, params, &ctx)) != NULL) {
		modern_send_error(s, error);
		return;
	}
	if (strcmp(method, "server/discover") == 0)
		mcp_send_result(s, id, modern_discover());
	else if (strcmp(method, "tools/list") == 0) {
		if (json_obj(params, "cursor") != NULL)
			mcp_send_error(s, id, RPC_INVALID_PARAMS,
			    "Invalid params: unknown cursor");
		else
			mcp_send_result(s, id, modern_cacheable(tools_list(1)));
	} else if (strcmp(method, "tools/call") == 0 &&
	    json_obj(params, "requestState") != NULL)
		reply_resume(s, id, params, &ctx);
	else if (strcmp(method, "tools/call") == 0)
		tools_call(s, id, params, &ctx);
	else if (strncmp(method, "tasks/", 6) == 0)
		ext_tasks_request(s, id, method, params, &ctx);
	else
		mcp_send_error(s, id, RPC_METHOD_NOT_FOUND,
		    "Method not found: %s", method);
}

/*
 * A request without the envelope where only modern ones are served (a
 * process pinned to 2026-07-28): initialize learns the versions served.
 */
void
modern_unclaimed(struct mcp_session *s, json_object *id, const char *method)
{
	json_object	*data;

	if (strcmp(method, "initialize") != 0) {
		modern_send_error(s, modern_error(id, RPC_INVALID_PARAMS,
		    "Invalid params: this process serves MCP " MCP_MODERN_VERSION
		    ": every request needs _meta with " META_VERSION " and "
		    META_CAPS, NULL));
		return;
	}
	data = json_object_new_object();
	json_object_object_add(data, "supported", modern_supported());
	modern_send_error(s, modern_error(id, RPC_UNSUPPORTED_VERSION,
	    "Unsupported protocol version: this process serves "
	    MCP_MODERN_VERSION " requests (initialize is of the 2025 "
	    "revisions)", data));
}
