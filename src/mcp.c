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
 * One MCP session: JSON-RPC 2.0 framing rules, the era (a 2025 session
 * opened by initialize, or 2026-07-28 requests that carry their own
 * context, see mcp_modern.c), the 2025 lifecycle (initialize, version
 * negotiation, capabilities), ping, tools/list and tools/call, and client
 * notifications. The front (stdio or HTTP) hands in whole messages and
 * sends out what the session gives it.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"

static const char *mcp_versions[] = {
	"2025-11-25",
	"2025-06-18",
	"2025-03-26",
	NULL
};

static void	 mcp_request(struct mcp_session *, json_object *, const char *,
		     json_object *);
static void	 mcp_notification(struct mcp_session *, const char *,
		     json_object *);
static void	 mcp_initialize(struct mcp_session *, json_object *,
		     json_object *);
static json_object *mcp_tasks_capability(void);

const char mcp_instructions[] = "Use the codex tool to give Codex, a coding "
    "agent, a task; its result carries a threadId. Use codex-reply with that "
    "threadId to continue the same conversation, also after restarts.";

/* A new session that sends through front. */
struct mcp_session *
mcp_session_new(const struct mcp_front *front, void *ctx)
{
	struct mcp_session	*s;

	s = xcalloc(1, sizeof *s);
	s->front = front;
	s->ctx = ctx;
	s->references = 1;
	s->log_level = LEVEL_INFO;
	s->next_out = 1;
	TAILQ_INIT(&s->outs);
	TAILQ_INIT(&s->tasks);
	TAILQ_INIT(&s->replies);
	return (s);
}

/* The transport is gone: send nothing more, drop the front's reference. */
void
mcp_session_close(struct mcp_session *s)
{
	s->closed = 1;
	mcp_out_close(s);
	replies_close(s);
	tasks_close(s);
	mcp_session_unref(s);
}

/* Take a reference. */
void
mcp_session_ref(struct mcp_session *s)
{
	s->references++;
}

/* Drop a reference; the last one frees the session. */
void
mcp_session_unref(struct mcp_session *s)
{
	if (--s->references > 0)
		return;
	free(s->version);
	free(s->client_name);
	json_object_put(s->client_caps);
	free(s);
}

/* Name the session in the trace. */
void
mcp_session_name(struct mcp_session *s, const char *name)
{
	snprintf(s->name, sizeof s->name, "%s", name);
}

/* Tell the front which thread the session's request runs on. */
void
mcp_session_thread(struct mcp_session *s, const char *id)
{
	if (!s->closed && s->front->thread != NULL)
		s->front->thread(s->ctx, id);
}

/* Is version in the NULL-terminated list? */
int
mcp_version_in(const char **list, const char *version)
{
	size_t	i;

	for (i = 0; list[i] != NULL; i++) {
		if (strcmp(list[i], version) == 0)
			return (1);
	}
	return (0);
}

/* Is this a 2025 MCP revision the proxy speaks? */
int
mcp_version_known(const char *version)
{
	return (mcp_version_in(mcp_versions, version));
}

/* Does anything (a call, a task, a question) still hold the session? */
int
mcp_session_busy(struct mcp_session *s)
{
	return (s->references > 1);
}

/* Does the session have MCP tasks (only revision 2025-11-25 does)? */
int
mcp_session_tasks(struct mcp_session *s)
{
	return (s->version != NULL && strcmp(s->version, "2025-11-25") == 0);
}

/* Send one message (borrowed) to the client, tied to a request or NULL. */
void
mcp_send(struct mcp_session *s, json_object *msg, json_object *related)
{
	if (s->closed)
		return;
	trace_tap("p2c", s->name, 0, msg, NULL, 0);
	s->front->send(s->ctx, msg, related);
}

/* Answer request id with result (taken). */
void
mcp_send_result(struct mcp_session *s, json_object *id, json_object *result)
{
	json_object	*msg = rpc_result(1, id, result);

	mcp_send(s, msg, id);
	json_object_put(msg);
}

/* Answer request id (NULL for null) with an error. */
void
mcp_send_error(struct mcp_session *s, json_object *id, int code,
    const char *fmt, ...)
{
	json_object	*msg;
	va_list		 ap;
	char		*text;

	va_start(ap, fmt);
	xvasprintf(&text, fmt, ap);
	va_end(ap);
	msg = rpc_error(1, id, code, text);
	mcp_send(s, msg, id);
	json_object_put(msg);
	free(text);
}

/* A message too large to read: say so (its id is unknown). */
void
mcp_session_toolarge(struct mcp_session *s, size_t len)
{
	log_warnx("client sent a message over %zu bytes; discarded",
	    opts.max_message);
	mcp_send_error(s, NULL, RPC_INVALID_REQUEST,
	    "message too large: over %zu bytes (see --max-message-size)",
	    opts.max_message);
}

/* Handle one whole message from the client. */
void
mcp_session_input(struct mcp_session *s, const char *text, size_t len)
{
	json_object	*msg, *id = NULL, *version;
	const char	*err, *method;
	int		 has_id;

	if (len == 0 || strspn(text, " \t\r") == len)
		return;
	msg = json_parse(text, len, &err);
	trace_tap("c2p", s->name, 0, msg, text, len);
	if (msg == NULL) {
		if (err != NULL)
			mcp_send_error(s, NULL, RPC_PARSE_ERROR,
			    "Parse error: %s", err);
		else
			mcp_send_error(s, NULL, RPC_INVALID_REQUEST, "Invalid "
			    "request: a message must be a JSON object");
		return;
	}
	if (json_object_is_type(msg, json_type_array)) {
		mcp_send_error(s, NULL, RPC_INVALID_REQUEST,
		    "Invalid request: JSON-RPC batches are not supported");
		goto out;
	}
	if (!json_object_is_type(msg, json_type_object)) {
		mcp_send_error(s, NULL, RPC_INVALID_REQUEST,
		    "Invalid request: a message must be a JSON object");
		goto out;
	}
	has_id = json_object_object_get_ex(msg, "id", &id);
	if (has_id && !json_id_valid(id)) {
		mcp_send_error(s, NULL, RPC_INVALID_REQUEST, "Invalid request: "
		    "id must be a string or an integer");
		goto out;
	}
	if (!utf8_valid(text, len)) {
		if (has_id && !utf8_valid(json_text(id),
		    strlen(json_text(id))))
			id = NULL;
		if (has_id || json_obj(msg, "method") == NULL)
			mcp_send_error(s, id, RPC_INVALID_REQUEST, "Invalid "
			    "request: the message is not valid UTF-8");
		goto out;
	}
	if (json_has_nul(text, len)) {
		/* json-c cuts names at a NUL: refuse rather than misread. */
		if (has_id || json_obj(msg, "method") == NULL)
			mcp_send_error(s, id, RPC_INVALID_REQUEST, "Invalid "
			    "request: NUL characters (\\u0000) are not accepted");
		goto out;
	}
	if (!json_object_object_get_ex(msg, "jsonrpc", &version) ||
	    !json_object_is_type(version, json_type_string) ||
	    strcmp(json_object_get_string(version), "2.0") != 0) {
		if (has_id || json_obj(msg, "method") == NULL)
			mcp_send_error(s, id, RPC_INVALID_REQUEST, "Invalid "
			    "request: jsonrpc must be \"2.0\"");
		goto out;
	}
	if (json_object_object_get_ex(msg, "method", NULL)) {
		if ((method = json_str(msg, "method")) == NULL) {
			if (has_id)
				mcp_send_error(s, id, RPC_INVALID_REQUEST,
				    "Invalid request: method must be a string");
			goto out;
		}
		if (has_id)
			mcp_request(s, id, method, json_obj(msg, "params"));
		else
			mcp_notification(s, method, json_obj(msg, "params"));
	} else if (has_id && (json_object_object_get_ex(msg, "result", NULL) ||
	    json_object_object_get_ex(msg, "error", NULL)))
		mcp_out_answer(s, msg);
	else
		mcp_send_error(s, id, RPC_INVALID_REQUEST,
		    "Invalid request: no method, and not a response");
 out:
	json_object_put(msg);
}

/*
 * A request from the client. The first one that is not a server/discover
 * probe pins the era: 2026-07-28 if it claims that version in _meta, else
 * the 2025 revisions (an HTTP front pins each POST before it comes here).
 */
static void
mcp_request(struct mcp_session *s, json_object *id, const char *method,
    json_object *params)
{
	struct mcp_context	 ctx;

	if (params != NULL && !json_object_is_type(params, json_type_object)) {
		mcp_send_error(s, id, RPC_INVALID_PARAMS,
		    "Invalid params: params must be an object");
		return;
	}
	if (s->era == ERA_OPEN && modern_claimed(params)) {
		if (strcmp(method, "server/discover") != 0)
			s->era = ERA_MODERN;
		modern_request(s, id, method, params);
		return;
	}
	if (s->era == ERA_MODERN) {
		if (modern_claimed(params))
			modern_request(s, id, method, params);
		else
			modern_unclaimed(s, id, method);
		return;
	}
	s->era = ERA_LEGACY;
	if (strcmp(method, "ping") == 0) {
		mcp_send_result(s, id, json_object_new_object());
		return;
	}
	if (strcmp(method, "initialize") == 0) {
		mcp_initialize(s, id, params);
		return;
	}
	if (!s->initialized) {
		mcp_send_error(s, id, RPC_INVALID_REQUEST,
		    "Invalid request: the session is not initialized; send "
		    "initialize first");
		return;
	}
	if (strcmp(method, "tools/list") == 0) {
		if (json_obj(params, "cursor") != NULL) {
			mcp_send_error(s, id, RPC_INVALID_PARAMS,
			    "Invalid params: unknown cursor");
			return;
		}
		mcp_send_result(s, id, tools_list(0));
		return;
	}
	if (strncmp(method, "tasks/", 6) == 0 && mcp_session_tasks(s)) {
		tasks_request(s, id, method, params);
		return;
	}
	if (strcmp(method, "logging/setLevel") == 0) {
		if (mcp_level_parse(json_str(params, "level"),
		    &s->log_level) != 0) {
			mcp_send_error(s, id, RPC_INVALID_PARAMS, "Invalid "
			    "params: level must be one of debug, info, notice, "
			    "warning, error, critical, alert, emergency");
			return;
		}
		mcp_send_result(s, id, json_object_new_object());
		return;
	}
	if (strcmp(method, "tools/call") == 0) {
		if (params == NULL) {
			mcp_send_error(s, id, RPC_INVALID_PARAMS,
			    "Invalid params: tools/call needs params");
			return;
		}
		memset(&ctx, 0, sizeof ctx);
		ctx.caps = s->client_caps;
		ctx.log_level = -1;
		ctx.traceparent = meta_traceparent(params);
		tools_call(s, id, params, &ctx);
		return;
	}
	mcp_send_error(s, id, RPC_METHOD_NOT_FOUND, "Method not found: %s",
	    method);
}

/* The tasks capability: tools/call as a task, list and cancel. */
static json_object *
mcp_tasks_capability(void)
{
	json_object	*caps, *requests, *tools;

	tools = json_object_new_object();
	json_object_object_add(tools, "call", json_object_new_object());
	requests = json_object_new_object();
	json_object_object_add(requests, "tools", tools);
	caps = json_object_new_object();
	json_object_object_add(caps, "list", json_object_new_object());
	json_object_object_add(caps, "cancel", json_object_new_object());
	json_object_object_add(caps, "requests", requests);
	return (caps);
}

/* initialize: agree on a version and say what this server offers. */
static void
mcp_initialize(struct mcp_session *s, json_object *id, json_object *params)
{
	json_object	*r, *caps, *v;
	const char	*asked, *name;
	size_t		 i;

	if (s->initialized) {
		mcp_send_error(s, id, RPC_INVALID_REQUEST,
		    "Invalid request: the session is already initialized");
		return;
	}
	if (!json_object_object_get_ex(params, "protocolVersion", &v) ||
	    !json_object_is_type(v, json_type_string)) {
		mcp_send_error(s, id, RPC_INVALID_PARAMS, "Invalid params: "
		    "initialize needs protocolVersion as a string");
		return;
	}
	asked = json_object_get_string(v);
	for (i = 0; mcp_versions[i] != NULL; i++) {
		if (strcmp(mcp_versions[i], asked) == 0)
			break;
	}
	s->version = xstrdup(mcp_versions[i] != NULL ? asked :
	    MCP_LATEST_VERSION);
	s->client_caps = json_object_get(json_obj(params, "capabilities"));
	name = json_path_str(params, "clientInfo.name");
	s->client_name = xstrdup(name != NULL ? name : "unknown");
	s->initialized = 1;
	log_info("client %s initialized with protocol %s (asked %s)",
	    s->client_name, s->version, asked);

	r = json_object_new_object();
	json_set_str(r, "protocolVersion", s->version);
	caps = mcp_capabilities();
	if (mcp_session_tasks(s))
		json_object_object_add(caps, "tasks", mcp_tasks_capability());
	json_object_object_add(r, "capabilities", caps);
	json_object_object_add(r, "serverInfo", mcp_server_info());
	json_set_str(r, "instructions", mcp_instructions);
	mcp_send_result(s, id, r);
}

/* What the server offers in either era: tools and log messages. */
json_object *
mcp_capabilities(void)
{
	json_object	*caps, *tools;

	caps = json_object_new_object();
	tools = json_object_new_object();
	json_object_object_add(tools, "listChanged",
	    json_object_new_boolean(0));
	json_object_object_add(caps, "tools", tools);
	json_object_object_add(caps, "logging", json_object_new_object());
	return (caps);
}

/* The server's name, title and version (an Implementation). */
json_object *
mcp_server_info(void)
{
	json_object	*info = json_object_new_object();

	json_set_str(info, "name", PROXY_NAME);
	json_set_str(info, "title", "Codex (via codex-mcp-proxy)");
	json_set_str(info, "version", PACKAGE_VERSION);
	return (info);
}

/* A notification from the client: never answered. */
static void
mcp_notification(struct mcp_session *s, const char *method,
    json_object *params)
{
	json_object	*rid;

	if (strcmp(method, "notifications/initialized") == 0)
		return;
	if (strcmp(method, "notifications/cancelled") == 0) {
		if (json_object_object_get_ex(params, "requestId", &rid) &&
		    json_id_valid(rid) && reply_cancel(s, rid, NULL) == 0)
			return;
		log_debug("cancel for no running call: %s",
		    params != NULL ? json_text(params) : "no params");
		return;
	}
	log_debug("ignoring notification %s", method);
}

/*
 * A client has MCP_BACKLOG_HIGH bytes unread (on), or is down to
 * MCP_BACKLOG_LOW again (off): hold what codex streams meanwhile.
 */
void
mcp_backlog(int on)
{
	bridge_hold(on);
}
