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
 * The normalized model's data: what a dialect hands the bridge and the
 * conversation tools as plain C, whatever API the app-server speaks.
 */

#include <stdlib.h>
#include <string.h>

#include "proxy.h"

/* Free a turn_args and everything in it. */
void
turn_args_free(struct turn_args *a)
{
	size_t	i;

	if (a == NULL)
		return;
	free(a->prompt);
	free(a->thread_id);
	free(a->approval_policy);
	free(a->sandbox);
	free(a->cwd);
	free(a->model);
	free(a->profile);
	free(a->base_instructions);
	free(a->developer_instructions);
	free(a->compact_prompt);
	free(a->reasoning_effort);
	json_object_put(a->config);
	free(a->traceparent);
	for (i = 0; i < a->nimages; i++)
		free(a->images[i]);
	free(a->images);
	json_object_put(a->output_schema);
	free(a->message_id);
	free(a);
}

/* Do two strings, either NULL, say the same? */
static int
same_string(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

/* Do two turns ask codex the same thing with the same settings? */
int
turn_args_same(const struct turn_args *a, const struct turn_args *b)
{
	size_t	i;

	if (!same_string(a->prompt, b->prompt) ||
	    !same_string(a->thread_id, b->thread_id) ||
	    !same_string(a->approval_policy, b->approval_policy) ||
	    !same_string(a->sandbox, b->sandbox) ||
	    !same_string(a->cwd, b->cwd) ||
	    !same_string(a->model, b->model) ||
	    !same_string(a->reasoning_effort, b->reasoning_effort) ||
	    a->nimages != b->nimages ||
	    !json_object_equal(a->output_schema, b->output_schema))
		return (0);
	for (i = 0; i < a->nimages; i++) {
		if (strcmp(a->images[i], b->images[i]) != 0)
			return (0);
	}
	return (1);
}

/* Add one conversation to a list (every string copied); NULL without id. */
struct thread_info *
thread_list_add(struct thread_list *l, const char *id, const char *preview,
    const char *cwd, const char *created, const char *updated,
    const char *provider, int archived)
{
	struct thread_info	*t;

	if (id == NULL)
		return (NULL);
	l->items = xrealloc(l->items, (l->n + 1) * sizeof *l->items);
	t = &l->items[l->n++];
	t->id = xstrdup(id);
	t->preview = xstrdup(preview != NULL ? preview : "");
	t->cwd = xstrdup_null(cwd);
	t->created = xstrdup_null(created);
	t->updated = xstrdup_null(updated != NULL ? updated : created);
	t->provider = xstrdup_null(provider);
	t->source = NULL;
	t->archived = archived;
	return (t);
}

/* Free what a list holds (not the list itself). */
void
thread_list_free(struct thread_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		free(l->items[i].id);
		free(l->items[i].preview);
		free(l->items[i].cwd);
		free(l->items[i].created);
		free(l->items[i].updated);
		free(l->items[i].provider);
		free(l->items[i].source);
	}
	free(l->items);
	free(l->next_cursor);
	memset(l, 0, sizeof *l);
}

/* Add one turn {prompt, answer} (copied; NULL for none). */
void
thread_turns_add(struct thread_turns *tt, const char *prompt,
    const char *answer)
{
	struct turn_text	*t;

	tt->turns = xrealloc(tt->turns, (tt->n + 1) * sizeof *tt->turns);
	t = &tt->turns[tt->n++];
	t->prompt = xstrdup(prompt != NULL ? prompt : "");
	t->answer = xstrdup(answer != NULL ? answer : "");
}

/* Free what a conversation's turns hold (not the struct itself). */
void
thread_turns_free(struct thread_turns *tt)
{
	size_t	i;

	for (i = 0; i < tt->n; i++) {
		free(tt->turns[i].prompt);
		free(tt->turns[i].answer);
	}
	free(tt->turns);
	free(tt->thread_id);
	memset(tt, 0, sizeof *tt);
}

/* Add a model (copied) to a list. */
void
model_list_add(struct model_list *ml, const char *id, int is_default)
{
	if (id == NULL)
		return;
	ml->items = xrealloc(ml->items, (ml->n + 1) * sizeof *ml->items);
	ml->items[ml->n].id = xstrdup(id);
	ml->items[ml->n++].is_default = is_default;
}

/* Note an effort some model takes, once. */
void
model_list_effort(struct model_list *ml, const char *effort)
{
	size_t	i;

	if (effort == NULL)
		return;
	for (i = 0; i < ml->nefforts; i++) {
		if (strcmp(ml->efforts[i], effort) == 0)
			return;
	}
	ml->efforts = xrealloc(ml->efforts, (ml->nefforts + 1) *
	    sizeof *ml->efforts);
	ml->efforts[ml->nefforts++] = xstrdup(effort);
}

/* Free what a model list holds (not the list itself). */
void
model_list_free(struct model_list *ml)
{
	size_t	i;

	for (i = 0; i < ml->n; i++)
		free(ml->items[i].id);
	for (i = 0; i < ml->nefforts; i++)
		free(ml->efforts[i]);
	free(ml->items);
	free(ml->efforts);
	memset(ml, 0, sizeof *ml);
}
