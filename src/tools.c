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
 * The MCP tools: their definitions (built from schemas/; for 2026-07-28
 * with threadId mirrored into an Mcp-Param-ThreadId header), argument
 * checks, and the hand-over of a valid call to the bridge.
 */

#include <stdlib.h>
#include <string.h>

#include "proxy.h"

struct tool {
	const char	*name;
	void		 (*call)(struct reply *, json_object *);
	json_object	*def;		/* the whole Tool object */
	json_object	*modern_def;	/* ...with x-mcp-header annotations */
};

static void	 tool_codex(struct reply *, json_object *);
static void	 tool_codex_reply(struct reply *, json_object *);
static char	*tool_arg(json_object *, const char *);
static struct turn_args *tool_turn_args(struct reply *, const char *,
		     json_object *);
static json_object *tool_header_def(json_object *);
static json_object *tool_result(const char *, const char *, int);
static void	 tool_add_models(json_object *, const struct model_list *);
static void	 tool_describe(json_object *, const char *, char **, size_t,
		     const char *);

static struct tool tools[] = {
	{ "codex", tool_codex, NULL, NULL },
	{ "codex-reply", tool_codex_reply, NULL, NULL },
	{ "codex-list", conversations_list, NULL, NULL },
	{ "codex-read", conversations_read, NULL, NULL },
	{ "codex-archive", conversations_archive, NULL, NULL },
	{ "codex-unarchive", conversations_unarchive, NULL, NULL },
};
_Static_assert(sizeof tools / sizeof tools[0] == NTOOLS, "NTOOLS is wrong");

/* Parse each tool's definition from its schema file. */
void
tools_init(void)
{
	size_t	i;

	for (i = 0; i < NTOOLS; i++) {
		tools[i].def = schema_load(tools[i].name);
		tools[i].modern_def = tool_header_def(tools[i].def);
	}
}

/*
 * A copy of a definition whose threadId argument carries x-mcp-header, so
 * that 2026-07-28 clients send it as Mcp-Param-ThreadId too and a balancer
 * can route a conversation without reading the body.
 */
static json_object *
tool_header_def(json_object *def)
{
	json_object	*copy = NULL, *thread;

	if (json_object_deep_copy(def, &copy, NULL) != 0)
		fatalx("%s: cannot copy a tool definition", __func__);
	thread = json_obj(json_path(copy, "inputSchema.properties"),
	    "threadId");
	if (thread != NULL)
		json_set_str(thread, "x-mcp-header", "ThreadId");
	return (copy);
}

/* The name of tool i, or NULL past the last. */
const char *
tools_name(size_t i)
{
	return (i < NTOOLS ? tools[i].name : NULL);
}

/* May tool i run as a task? */
int
tools_task_capable(size_t i)
{
	const char	*support;

	support = json_path_str(tools[i].def, "execution.taskSupport");
	return (support != NULL && strcmp(support, "forbidden") != 0);
}

/* The definition of the tool name (borrowed; modern: annotated), or NULL. */
json_object *
tools_def(const char *name, int modern)
{
	size_t	i;

	for (i = 0; i < NTOOLS; i++) {
		if (strcmp(tools[i].name, name) == 0)
			return (modern ? tools[i].modern_def : tools[i].def);
	}
	return (NULL);
}

/* The tools/list result (a new object), in table order; modern: annotated. */
json_object *
tools_list(int modern)
{
	json_object	*result, *list;
	size_t		 i;

	list = json_object_new_array();
	for (i = 0; i < NTOOLS; i++)
		json_object_array_add(list, json_object_get(modern ?
		    tools[i].modern_def : tools[i].def));
	result = json_object_new_object();
	json_object_object_add(result, "tools", list);
	return (result);
}

/*
 * Handle tools/call: find the tool, check the arguments, run it for a
 * request that declared ctx.
 */
void
tools_call(struct mcp_session *s, json_object *id, json_object *params,
    const struct mcp_context *ctx)
{
	struct tool	*t = NULL;
	struct task	*task = NULL;
	struct reply	*r;
	json_object	*args;
	const char	*name, *full;
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
		if (!tools_task_capable(t - tools)) {
			mcp_send_error(s, id, RPC_METHOD_NOT_FOUND, "Tool %s "
			    "cannot run as a task", name);
			return;
		}
		task = task_new(s, id, params);
	}
	r = reply_new(s, id, params, t - tools, task, ctx);
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

/*
 * The arguments both tools share, and the call's trace, as turn_args; NULL when an image is bad,
 * and then tool's call is answered with why.
 */
static struct turn_args *
tool_turn_args(struct reply *r, const char *tool, json_object *args)
{
	struct turn_args	*a;
	json_object		*images = json_obj(args, "images");
	char			*cause;
	size_t			 i, n;

	a = xcalloc(1, sizeof *a);
	a->traceparent = xstrdup_null(reply_traceparent(r));
	a->prompt = tool_arg(args, "prompt");
	a->approval_policy = tool_arg(args, "approval-policy");
	a->sandbox = tool_arg(args, "sandbox");
	a->cwd = tool_arg(args, "cwd");
	a->model = tool_arg(args, "model");
	a->reasoning_effort = tool_arg(args, "reasoning-effort");
	a->output_schema = json_object_get(json_obj(args, "output-schema"));
	n = images != NULL ? json_object_array_length(images) : 0;
	a->images = xcalloc(n, sizeof *a->images);
	for (i = 0; i < n; i++) {
		a->images[i] = image_check(json_object_get_string(
		    json_object_array_get_idx(images, i)), &cause);
		if (a->images[i] == NULL) {
			reply_send(r, tool_error_result(NULL, "invalid arguments "
			    "for %s: `images`[%zu]: %s; nothing was sent to "
			    "codex", tool, i, cause));
			free(cause);
			turn_args_free(a);
			return (NULL);
		}
		a->nimages++;
	}
	return (a);
}

/* codex: start a new conversation. */
static void
tool_codex(struct reply *r, json_object *args)
{
	struct turn_args	*a;

	if ((a = tool_turn_args(r, "codex", args)) == NULL)
		return;
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
	if ((a = tool_turn_args(r, "codex-reply", args)) == NULL)
		return;
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

/*
 * The app-server told which models it offers: codex and codex-reply name
 * them in the model argument's description and take every effort they do.
 */
void
tools_models(const struct model_list *ml)
{
	size_t	i;

	for (i = 0; i < NTOOLS; i++) {
		if (tools[i].call != tool_codex && tools[i].call !=
		    tool_codex_reply)
			continue;
		json_object_put(tools[i].def);
		tools[i].def = schema_load(tools[i].name);
		tool_add_models(json_obj(tools[i].def, "inputSchema"), ml);
	}
}

/* Append lead and the n names to the description of prop; marked is so. */
static void
tool_describe(json_object *prop, const char *lead, char **names, size_t n,
    const char *marked)
{
	struct evbuffer	*b = evbuffer_new();
	const char	*text = json_str(prop, "description");
	char		*s;
	size_t		 i;

	evbuffer_add_printf(b, "%s %s:", text != NULL ? text : "", lead);
	for (i = 0; i < n; i++)
		evbuffer_add_printf(b, "%s `%s`%s", i > 0 ? "," : "", names[i],
		    marked != NULL && strcmp(names[i], marked) == 0 ?
		    " (the default)" : "");
	evbuffer_add_printf(b, ".");
	json_set_str(prop, "description", s = xevbuffer_string(b));
	free(s);
}

/* Add the models and their efforts to one tool's inputSchema. */
static void
tool_add_models(json_object *schema, const struct model_list *ml)
{
	json_object	*model, *effort, *values;
	const char	*marked = NULL;
	char		**ids;
	size_t		 i, j, n;

	model = json_path(schema, "properties.model");
	effort = json_path(schema, "properties.reasoning-effort");
	if (model == NULL || effort == NULL || ml->n == 0)
		return;
	ids = xcalloc(ml->n, sizeof *ids);
	for (i = 0; i < ml->n; i++) {
		ids[i] = ml->items[i].id;
		if (ml->items[i].is_default)
			marked = ids[i];
	}
	tool_describe(model, "Models this Codex offers", ids, ml->n, marked);
	free(ids);

	values = json_obj(effort, "enum");
	n = values != NULL ? json_object_array_length(values) : 0;
	for (i = 0; values != NULL && i < ml->nefforts; i++) {
		for (j = 0; j < n; j++) {
			if (strcmp(json_object_get_string(
			    json_object_array_get_idx(values, j)),
			    ml->efforts[i]) == 0)
				break;
		}
		if (j == n)
			json_object_array_add(values,
			    json_object_new_string(ml->efforts[i]));
	}
	tool_describe(effort, "This Codex's models take", ml->efforts,
	    ml->nefforts, NULL);
}

/* Free the tool definitions. */
void
tools_free(void)
{
	size_t	i;

	for (i = 0; i < NTOOLS; i++) {
		json_object_put(tools[i].def);
		json_object_put(tools[i].modern_def);
		tools[i].def = tools[i].modern_def = NULL;
	}
}
