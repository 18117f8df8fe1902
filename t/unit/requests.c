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
 * The dialects' requests on their own: each operation of each dialect is
 * run against the stub upstream, and the request it sends (method and
 * params) is printed, then answered with a scripted reply, and what the
 * operation's callback got is printed: an id, plain data or an error kind.
 * For t/dialect-requests.t. Usage: requests v1|v2
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"
#include "stub-upstream.h"

static const char *rq_kinds[] = {
	[CERR_GONE] = "gone", [CERR_BUSY] = "busy",
	[CERR_NOT_FOUND] = "not_found", [CERR_NO_ROLLOUT] = "no_rollout",
	[CERR_ARCHIVED] = "archived", [CERR_UNSUPPORTED] = "unsupported",
	[CERR_OTHER] = "other"
};

static size_t	 rq_seen;	/* requests printed so far */

/* Print the requests sent since the last call. */
static void
rq_sent(void)
{
	struct stub_request	*sr;
	size_t			 n;

	sr = stub_requests_sent(&n);
	for (; rq_seen < n; rq_seen++)
		printf("  -> %s %s\n", sr[rq_seen].method,
		    sr[rq_seen].params != NULL ?
		    json_text(sr[rq_seen].params) : "-");
}

/* Answer the last request with a result (JSON text) or an error. */
static void
rq_answer(const char *result, int code, const char *message)
{
	json_object	*r = NULL;
	const char	*err;
	size_t		 n;

	rq_sent();
	stub_requests_sent(&n);
	if (result != NULL && (r = json_parse(result, strlen(result),
	    &err)) == NULL) {
		fprintf(stderr, "requests: bad scripted reply %s\n", result);
		exit(1);
	}
	stub_answer(n - 1, r, code, message);
	json_object_put(r);
	rq_sent();
}

/* An operation's id callback. */
static void
rq_id(void *arg, const char *id, const struct cerror *e)
{
	if (e != NULL)
		printf("  <= error %s: %s\n", rq_kinds[e->kind], e->message);
	else
		printf("  <= ok %s\n", id != NULL ? id : "-");
}

/* A list's callback. */
static void
rq_list(void *arg, const struct thread_list *l, const struct cerror *e)
{
	size_t	i;

	if (e != NULL) {
		rq_id(arg, NULL, e);
		return;
	}
	printf("  <= list searched=%d next=%s\n", l->searched,
	    l->next_cursor != NULL ? l->next_cursor : "-");
	for (i = 0; i < l->n; i++)
		printf("     %s preview=%s cwd=%s created=%s updated=%s "
		    "archived=%d%s%s\n", l->items[i].id, l->items[i].preview,
		    l->items[i].cwd != NULL ? l->items[i].cwd : "-",
		    l->items[i].created != NULL ? l->items[i].created : "-",
		    l->items[i].updated != NULL ? l->items[i].updated : "-",
		    l->items[i].archived, l->items[i].source != NULL ?
		    " source=" : "", l->items[i].source != NULL ?
		    l->items[i].source : "");
}

/* A read's callback. */
static void
rq_read(void *arg, const struct thread_turns *tt, const struct cerror *e)
{
	size_t	i;

	if (e != NULL) {
		rq_id(arg, NULL, e);
		return;
	}
	printf("  <= read %s, %zu turns\n", tt->thread_id, tt->n);
	for (i = 0; i < tt->n; i++)
		printf("     %s => %s\n", tt->turns[i].prompt,
		    tt->turns[i].answer);
}

/* The settings a codex call may give. */
static struct turn_args *
rq_args(int full)
{
	struct turn_args	*a = xcalloc(1, sizeof *a);
	const char		*err;

	a->prompt = xstrdup("hello");
	if (!full)
		return (a);
	a->cwd = xstrdup("/work");
	a->model = xstrdup("mock-model");
	a->approval_policy = xstrdup("untrusted");
	a->sandbox = xstrdup("workspace-write");
	a->profile = xstrdup("fast");
	a->reasoning_effort = xstrdup("high");
	a->base_instructions = xstrdup("be brief");
	a->config = json_parse("{\"x\":1}", 7, &err);
	return (a);
}

/* A turn with two images, an output schema and the client's message id. */
static struct turn_args *
rq_images(void)
{
	struct turn_args	*a = rq_args(0);
	const char		*err;

	a->images = xcalloc(2, sizeof *a->images);
	a->images[a->nimages++] = xstrdup("/tmp/a.png");
	a->images[a->nimages++] = xstrdup("data:image/png;base64,AAAA");
	a->output_schema = json_parse("{\"type\":\"object\"}", 17, &err);
	a->message_id = xstrdup("m-1");
	return (a);
}

/* The v2 operations. */
static void
rq_v2(struct upstream *up)
{
	const struct dialect	*d = &dialect_v2;
	struct turn_args	*full = rq_args(1), *plain = rq_args(0);
	struct turn_args	*images = rq_images();
	json_object		*probe = json_object_new_object();
	struct list_args	 la = { 5, "c1", "/work", "fix", 0, NULL, NULL, NULL };

	printf("thread_start\n");
	d->thread_start(up, full, rq_id, NULL);
	rq_sent();
	rq_answer("{\"thread\":{\"id\":\"t-1\"}}", 0, NULL);
	printf("thread_start, no id in the reply\n");
	d->thread_start(up, plain, rq_id, NULL);
	rq_answer("{}", 0, NULL);
	printf("thread_resume, held by another process\n");
	d->thread_resume(up, "t-1", plain, rq_id, NULL);
	rq_sent();
	rq_answer(NULL, RPC_INVALID_REQUEST,
	    "thread t-1 already has an active writer");
	printf("thread_resume, unknown\n");
	d->thread_resume(up, "t-9", plain, rq_id, NULL);
	rq_answer(NULL, RPC_INVALID_REQUEST, "no rollout found for thread id "
	    "t-9");
	printf("thread_resume, the app-server is gone\n");
	d->thread_resume(NULL, "t-1", plain, rq_id, NULL);
	printf("turn_start with every override\n");
	d->turn_start(up, "t-1", full, rq_id, NULL);
	rq_sent();
	rq_answer("{\"turn\":{\"id\":\"turn-1\"}}", 0, NULL);
	printf("turn_interrupt\n");
	d->turn_interrupt(up, "t-1", "turn-1", rq_id, NULL);
	rq_sent();
	rq_answer("{}", 0, NULL);
	printf("list, on a release with its own filters\n");
	d->list(up, &la, rq_list, NULL);
	rq_sent();
	rq_answer("{\"data\":[{\"id\":\"t-1\",\"preview\":\"fix it\","
	    "\"cwd\":\"/work\",\"createdAt\":1767225600,\"updatedAt\":"
	    "1767229200,\"path\":\"/h/sessions/r.jsonl\"}],\"nextCursor\":"
	    "\"c2\",\"backwardsCursor\":null}", 0, NULL);
	printf("list archived, on a release that ignores it\n");
	la.archived = 1;
	d->list(up, &la, rq_list, NULL);
	rq_sent();
	rq_answer("{\"data\":[{\"id\":\"t-1\",\"createdAt\":1,"
	    "\"path\":\"/h/sessions/r.jsonl\"}]}", 0, NULL);
	printf("unarchive, on a release without it\n");
	d->archive(up, "t-1", 1, rq_id, NULL);
	rq_sent();
	rq_answer(NULL, RPC_INVALID_REQUEST, "Invalid request: unknown "
	    "variant `thread/unarchive`");
	printf("read, falling back to thread/resume\n");
	d->read(up, "t-1", rq_read, NULL);
	rq_sent();
	rq_answer(NULL, RPC_INVALID_REQUEST, "Invalid request: unknown "
	    "variant `thread/read`");
	rq_answer("{\"thread\":{\"turns\":[{\"items\":[{\"type\":"
	    "\"userMessage\",\"content\":[{\"type\":\"text\",\"text\":"
	    "\"hi\"}]},{\"type\":\"agentMessage\",\"text\":\"hello\"}]}]}}",
	    0, NULL);
	printf("read, unknown\n");
	d->read(up, "t-9", rq_read, NULL);
	rq_answer(NULL, RPC_INVALID_REQUEST, "thread not loaded: t-9");
	printf("turn_start with images and an output schema, on 0.77\n");
	d->probed(probe);
	printf("  refused: %s\n", d->refuse(images));
	d->turn_start(up, "t-1", images, rq_id, NULL);
	rq_sent();
	rq_answer("{\"turn\":{\"id\":\"turn-2\"}}", 0, NULL);
	printf("the same on 0.169\n");
	json_object_object_add(probe, "backwardsCursor", NULL);
	d->probed(probe);
	printf("  refused: %s\n", d->refuse(images) != NULL ? "yes" : "no");
	d->turn_start(up, "t-1", images, rq_id, NULL);
	rq_sent();
	rq_answer("{\"turn\":{\"id\":\"turn-3\"}}", 0, NULL);
	printf("list on 0.169: every source and provider, from the state db\n");
	la.archived = 0;
	d->list(up, &la, rq_list, NULL);
	rq_sent();
	rq_answer("{\"data\":[{\"id\":\"t-1\",\"createdAt\":1,"
	    "\"source\":{\"subAgent\":\"review\"}},{\"id\":\"t-2\","
	    "\"createdAt\":1,\"source\":\"exec\"}]}", 0, NULL);
	json_object_put(probe);
	turn_args_free(images);
	turn_args_free(full);
	turn_args_free(plain);
}

/* The v1 operations (those that need no rollout on disk). */
static void
rq_v1(struct upstream *up)
{
	const struct dialect	*d = &dialect_v1;
	struct turn_args	*full = rq_args(1), *plain = rq_args(0);
	struct turn_args	*images = rq_images();
	struct list_args	 la = { 5, NULL, NULL, NULL, 0, NULL, NULL, NULL };

	printf("thread_start\n");
	d->thread_start(up, full, rq_id, NULL);
	rq_sent();
	rq_answer("{\"conversationId\":\"c-1\",\"rolloutPath\":"
	    "\"/nonexistent/rollout.jsonl\"}", 0, NULL);
	rq_answer("{}", 0, NULL);
	printf("turn_start, keeping the settings\n");
	d->turn_start(up, "c-1", plain, rq_id, NULL);
	rq_sent();
	rq_answer("{}", 0, NULL);
	printf("turn_start with images; an output schema is refused\n");
	printf("  refused: %s\n", d->refuse(images));
	json_object_put(images->output_schema);
	images->output_schema = NULL;
	printf("  refused: %s\n", d->refuse(images) != NULL ? "yes" : "no");
	d->turn_start(up, "c-1", images, rq_id, NULL);
	rq_sent();
	rq_answer("{}", 0, NULL);
	printf("turn_start with overrides, no rollout to complete them\n");
	d->turn_start(up, "c-1", full, rq_id, NULL);
	rq_sent();
	printf("turn_interrupt\n");
	d->turn_interrupt(up, "c-1", NULL, rq_id, NULL);
	rq_sent();
	rq_answer("{}", 0, NULL);
	printf("thread_resume by id, on a release that resumes by path only\n");
	d->thread_resume(up, "c-2", plain, rq_id, NULL);
	rq_sent();
	rq_answer(NULL, RPC_INVALID_REQUEST, "Invalid request");
	rq_answer("{\"items\":[],\"nextCursor\":null}", 0, NULL);
	printf("list\n");
	d->list(up, &la, rq_list, NULL);
	rq_sent();
	rq_answer("{\"items\":[{\"conversationId\":\"c-1\",\"preview\":"
	    "\"hi\",\"cwd\":\"/work\",\"timestamp\":\"2026-01-01T00:00:00Z\","
	    "\"path\":\"/h/archived_sessions/r.jsonl\"}],\"nextCursor\":"
	    "\"n\"}", 0, NULL);
	printf("list archived\n");
	la.archived = 1;
	d->list(up, &la, rq_list, NULL);
	printf("unarchive\n");
	d->archive(up, "c-1", 1, rq_id, NULL);
	printf("archive, at the path newConversation gave\n");
	d->archive(up, "c-1", 0, rq_id, NULL);
	rq_sent();
	rq_answer("{}", 0, NULL);
	turn_args_free(images);
	turn_args_free(full);
	turn_args_free(plain);
}

/* Run one dialect's operations. */
int
main(int argc, char **argv)
{
	struct upstream	*up = (struct upstream *)&rq_seen;

	if (argc != 2 || (strcmp(argv[1], "v1") != 0 &&
	    strcmp(argv[1], "v2") != 0)) {
		fprintf(stderr, "usage: requests v1|v2\n");
		return (2);
	}
	if (strcmp(argv[1], "v1") == 0)
		rq_v1(up);
	else
		rq_v2(up);
	rq_sent();
	stub_reset();
	dialect_v1.reset(1);
	dialect_v2.reset(1);
	dialect_restore_free_all();
	return (0);
}
