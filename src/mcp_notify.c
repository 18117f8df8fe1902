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
 * Notifications to the client that carry no answer: progress for a request
 * that asked for it, and log messages at or above the level the client set
 * (logging/setLevel, or a 2026-07-28 request's logLevel), rate-limited.
 */

#include <sys/time.h>

#include <stdlib.h>
#include <string.h>

#include "proxy.h"

#define MCP_LOG_PER_SECOND	20

static const char *mcp_levels[] = {
	"debug", "info", "notice", "warning", "error", "critical", "alert",
	"emergency", NULL
};

/* A notification with its params (taken). */
static void
mcp_notify(struct mcp_session *s, const char *method, json_object *params,
    json_object *related)
{
	json_object	*msg = rpc_notification(1, method, params);

	mcp_send(s, msg, related);
	json_object_put(msg);
}

/*
 * notifications/progress for token (from the request related, with _meta
 * meta if not NULL); progress must grow with each call, which is the
 * caller's business.
 */
void
mcp_progress(struct mcp_session *s, json_object *token, json_object *related,
    json_object *meta, double progress, const char *message)
{
	json_object	*p;

	if (token == NULL)
		return;
	p = json_object_new_object();
	json_set_copy(p, "_meta", meta);
	json_set_copy(p, "progressToken", token);
	json_object_object_add(p, "progress", json_object_new_double(progress));
	json_set_str(p, "message", message);
	mcp_notify(s, "notifications/progress", p, related);
}

/* Parse a level name; -1 if it is not one. */
int
mcp_level_parse(const char *name, enum mcp_level *level)
{
	int	i;

	for (i = 0; name != NULL && mcp_levels[i] != NULL; i++) {
		if (strcmp(name, mcp_levels[i]) == 0) {
			*level = i;
			return (0);
		}
	}
	return (-1);
}

/* May one more log message go out this second? */
static int
mcp_log_allowed(struct mcp_session *s)
{
	struct timeval	now;

	gettimeofday(&now, NULL);
	if (now.tv_sec != s->log_window.tv_sec) {
		if (s->log_dropped > 0)
			log_debug("%u log messages to the client dropped",
			    s->log_dropped);
		s->log_window = now;
		s->log_sent = 0;
		s->log_dropped = 0;
	}
	if (s->log_sent >= MCP_LOG_PER_SECOND) {
		s->log_dropped++;
		return (0);
	}
	s->log_sent++;
	return (1);
}

/*
 * A log message (notifications/message) about the client request related
 * (or NULL), at level from logger, if it is at least the level least the
 * client wants; rate limited, and with its secrets hidden.
 */
void
mcp_log(struct mcp_session *s, json_object *related, json_object *meta,
    enum mcp_level least, enum mcp_level level, const char *logger,
    const char *text)
{
	json_object	*p;
	char		*clean;

	if (s->closed || level < least || !mcp_log_allowed(s))
		return;
	clean = redact_text(text);
	p = json_object_new_object();
	json_set_copy(p, "_meta", meta);
	json_set_str(p, "level", mcp_levels[level]);
	json_set_str(p, "logger", logger);
	json_set_str(p, "data", clean);
	mcp_notify(s, "notifications/message", p, related);
	free(clean);
}
