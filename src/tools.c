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
 * The MCP tools: their definitions (built from schemas/), argument checks,
 * and the hand-over of a valid call to the bridge.
 */

#include <stdlib.h>
#include <string.h>

#include "proxy.h"

struct tool {
	const char	*name;
	void		 (*call)(struct reply *, json_object *);
	json_object	*def;		/* the whole Tool object */
};

static void	 tool_codex(struct reply *, json_object *);
static void	 tool_codex_reply(struct reply *, json_object *);
static char	*tool_arg(json_object *, const char *);
static struct turn_args *tool_turn_args(json_object *);
static json_object *tool_result(const char *, const char *, int);

static struct tool tools[] = {
	{ "codex", tool_codex, NULL },
	{ "codex-reply", tool_codex_reply, NULL },
	{ "codex-list", conversations_list, NULL },
	{ "codex-read", conversations_read, NULL },
	{ "codex-archive", conversations_archive, NULL },
	{ "codex-unarchive", conversations_unarchive, NULL },
};
_Static_assert(sizeof tools / sizeof tools[0] == NTOOLS, "NTOOLS is wrong");

/* Parse each tool's definition from its schema file. */
void
tools_init(void)
{
	size_t	i;

	for (i = 0; i < NTOOLS; i++)
		tools[i].def = schema_load(tools[i].name);
}

/* The name of tool i, or NULL past the last. */
const char *
tools_name(size_t i)
{
	return (i < NTOOLS ? tools[i].name : NULL);
}

/* The tools/list result (a new object). */
json_object *
tools_list(void)
{
	json_object	*result, *list;
	size_t		 i;

	list = json_object_new_array();
	for (i = 0; i < NTOOLS; i++)
		json_object_array_add(list, json_object_get(tools[i].def));
	result = json_object_new_object();
	json_object_object_add(result, "tools", list);
	return (result);
}

/* Handle tools/call: find the tool, check the arguments, run it. */
void
tools_call(struct mcp_session *s, json_object *id, json_object *params)
{
	struct tool	*t = NULL;
	struct task	*task = NULL;
	struct reply	*r;
	json_object	*args;
	const char	*name, *support, *full;
	char		*why;
	size_t		 i;

	if ((name = json_str(params, "name")) == NULL) {
		mcp_send_error(s, id, RPC_INVALID_PARAMS,
		    "tools/call needs a tool name in params.name");
		return;
	}
	for (i = 0; i < NTOOLS; i++) {
		if (strcmp(tools[i].name, name) == 0)
			t = &tools[i];
	}
	if (t == NULL) {
		mcp_send_error(s, id, RPC_INVALID_PARAMS, "Unknown tool: %s",
		    name);
		return;
	}
	if (!json_object_object_get_ex(params, "arguments", &args) ||
	    args == NULL)
		args = NULL;
	else if (!json_object_is_type(args, json_type_object)) {
		mcp_send_error(s, id, RPC_INVALID_PARAMS,
		    "tools/call arguments must be an object");
		return;
	}
	if (args == NULL) {
		args = json_object_new_object();
		json_object_object_add(params, "arguments", args);
	}
	/* A turn past the limits is refused before it is a call or a task. */
	if ((t->call == tool_codex || t->call == tool_codex_reply) &&
	    (full = bridge_full(s)) != NULL) {
		mcp_send_error(s, id, RPC_OVERLOADED, "%s", full);
		return;
	}
	/* A task-augmented call, where the session has tasks at all. */
	if (json_obj(params, "task") != NULL && mcp_session_tasks(s)) {
		support = json_path_str(t->def, "execution.taskSupport");
		if (support == NULL || strcmp(support, "forbidden") == 0) {
			mcp_send_error(s, id, RPC_METHOD_NOT_FOUND, "Tool %s "
			    "cannot run as a task", name);
			return;
		}
		task = task_new(s, id, params);
	}
	r = reply_new(s, id, params, t - tools, task);
	if (schema_check(args, json_obj(t->def, "inputSchema"), &why) != 0) {
		reply_send(r, tool_error_result(NULL,
		    "invalid arguments for %s: %s", name, why));
		free(why);
		return;
	}
	t->call(r, args);
}

/* A copy of the string argument name, or NULL. */
static char *
tool_arg(json_object *args, const char *name)
{
	const char	*s = json_str(args, name);

	return (s != NULL ? xstrdup(s) : NULL);
}

/* The arguments both tools share, as turn_args. */
static struct turn_args *
tool_turn_args(json_object *args)
{
	struct turn_args	*a;

	a = xcalloc(1, sizeof *a);
	a->prompt = tool_arg(args, "prompt");
	a->approval_policy = tool_arg(args, "approval-policy");
	a->sandbox = tool_arg(args, "sandbox");
	a->cwd = tool_arg(args, "cwd");
	a->model = tool_arg(args, "model");
	a->reasoning_effort = tool_arg(args, "reasoning-effort");
	return (a);
}

/* codex: start a new conversation. */
static void
tool_codex(struct reply *r, json_object *args)
{
	struct turn_args	*a = tool_turn_args(args);

	a->profile = tool_arg(args, "profile");
	a->base_instructions = tool_arg(args, "base-instructions");
	a->developer_instructions = tool_arg(args, "developer-instructions");
	a->compact_prompt = tool_arg(args, "compact-prompt");
	a->config = json_object_get(json_obj(args, "config"));
	bridge_call(r, CALL_NEW, a);
}

/* codex-reply: continue a conversation by its id. */
static void
tool_codex_reply(struct reply *r, json_object *args)
{
	static const char	*names[] = {
		"threadId", "conversationId", "sessionId"
	};
	struct turn_args	*a;
	const char		*thread = NULL, *v;
	size_t			 i, first = 0;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if ((v = json_str(args, names[i])) == NULL)
			continue;
		if (thread != NULL && strcmp(thread, v) != 0) {
			reply_send(r, tool_error_result(NULL,
			    "invalid arguments for codex-reply: `%s` and `%s` "
			    "name different conversations; give threadId only",
			    names[first], names[i]));
			return;
		}
		if (thread == NULL)
			first = i;
		thread = v;
	}
	if (thread == NULL) {
		reply_send(r, tool_error_result(NULL,
		    "invalid arguments for codex-reply: `threadId` is required "
		    "(the threadId returned by the codex tool)"));
		return;
	}
	a = tool_turn_args(args);
	a->thread_id = xstrdup(thread);
	bridge_call(r, CALL_REPLY, a);
}

/* A CallToolResult: one text block, and structuredContent sc (taken). */
json_object *
tool_content_result(const char *text, json_object *sc, int is_error)
{
	json_object	*r, *content, *block;

	block = json_object_new_object();
	json_set_str(block, "type", "text");
	json_set_str(block, "text", text);
	content = json_object_new_array();
	json_object_array_add(content, block);
	r = json_object_new_object();
	json_object_object_add(r, "content", content);
	if (sc != NULL)
		json_object_object_add(r, "structuredContent", sc);
	if (is_error)
		json_object_object_add(r, "isError",
		    json_object_new_boolean(1));
	return (r);
}

/* A call's result: the text, and {threadId, content} when one is known. */
static json_object *
tool_result(const char *thread_id, const char *text, int is_error)
{
	json_object	*r, *sc = NULL, *block;

	if (thread_id != NULL) {
		sc = json_object_new_object();
		json_set_str(sc, "threadId", thread_id);
	}
	r = tool_content_result(text, sc, is_error);
	if (sc != NULL) {
		/* The same string object: a long answer is held once. */
		block = json_object_array_get_idx(json_obj(r, "content"), 0);
		json_set_copy(sc, "content", json_obj(block, "text"));
	}
	return (r);
}

/* A successful CallToolResult. */
json_object *
tool_text_result(const char *thread_id, const char *text)
{
	return (tool_result(thread_id, text, 0));
}

/* An isError CallToolResult, naming the thread when there is one. */
json_object *
tool_error_result(const char *thread_id, const char *fmt, ...)
{
	json_object	*r;
	va_list		 ap;
	char		*msg;
	size_t		 len;

	va_start(ap, fmt);
	len = xvasprintf(&msg, fmt, ap);
	va_end(ap);
	/* It may quote the app-server's stderr. */
	msg = utf8_fix(msg, &len);
	r = tool_result(thread_id, msg, 1);
	free(msg);
	return (r);
}

/* Free the tool definitions. */
void
tools_free(void)
{
	size_t	i;

	for (i = 0; i < NTOOLS; i++) {
		json_object_put(tools[i].def);
		tools[i].def = NULL;
	}
}
