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
 * The proxy's status over HTTP: /healthz says whether the app-server is
 * usable, and /metrics shows counters in the Prometheus text format:
 * sessions, tool calls by tool and outcome, turns, approvals, app-server
 * starts, bytes in and out, HTTP answers by status, and request latency.
 */

#include <sys/time.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "proxy.h"

static const char *metrics_outcomes[] = { "ok", "error", "cancelled", NULL };
static const char *metrics_turns[] = {
	"completed", "interrupted", "failed", NULL
};
static const char *metrics_decisions[] = {
	"accept", "acceptForSession", "decline", "cancel", NULL
};
static const double metrics_buckets[] = {
	0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300
};
#define NBUCKETS (sizeof metrics_buckets / sizeof metrics_buckets[0])
#define NCODES	 600

static uint64_t	 m_calls[NTOOLS][3];
static uint64_t	 m_turns[3];
static uint64_t	 m_approvals[4];
static uint64_t	 m_starts;
static uint64_t	 m_bytes_in;
static uint64_t	 m_bytes_out;
static uint64_t	 m_codes[NCODES];
static uint64_t	 m_latency[NBUCKETS + 1];
static double	 m_latency_sum;
static uint64_t	 m_latency_count;

/* Count the end of a call of tool t: result (borrowed) NULL is cancelled. */
void
metrics_tool_result(size_t t, json_object *result)
{
	int	o;

	if (result == NULL)
		o = 2;
	else
		o = json_object_get_boolean(json_obj(result, "isError")) ? 1 :
		    0;
	m_calls[t][o]++;
}

/* Count a turn's end. */
void
metrics_turn(enum turn_status status)
{
	m_turns[status]++;
}

/* Count an approval decision. */
void
metrics_approval(enum approval_decision d)
{
	m_approvals[d]++;
}

/* Count an app-server start. */
void
metrics_upstream_start(void)
{
	m_starts++;
}

/* Count bytes received from clients. */
void
metrics_bytes_in(size_t n)
{
	m_bytes_in += n;
}

/* Count bytes sent to clients. */
void
metrics_bytes_out(size_t n)
{
	m_bytes_out += n;
}

/* An HTTP request came in: count its body. */
void
metrics_http_in(struct evhttp_request *req)
{
	m_bytes_in += evbuffer_get_length(evhttp_request_get_input_buffer(req));
}

/* An HTTP answer with this status and body size goes out. */
void
metrics_http(int status, struct evhttp_request *req, size_t bytes)
{
	if (status >= 0 && status < NCODES)
		m_codes[status]++;
	m_bytes_out += bytes;
}

/* A request that began at started has its answer now. */
void
metrics_latency(const struct timeval *started)
{
	struct timeval	now, d;
	double		secs;
	size_t		i;

	gettimeofday(&now, NULL);
	timersub(&now, started, &d);
	secs = d.tv_sec + d.tv_usec / 1e6;
	for (i = 0; i < NBUCKETS && secs > metrics_buckets[i]; i++)
		;
	m_latency[i]++;
	m_latency_sum += secs;
	m_latency_count++;
}

/* One metric's HELP and TYPE lines. */
static void
metrics_head(struct evbuffer *b, const char *name, const char *type,
    const char *help)
{
	evbuffer_add_printf(b, "# HELP codex_mcp_proxy_%s %s\n"
	    "# TYPE codex_mcp_proxy_%s %s\n", name, help, name, type);
}

/* A counter with one label: a line for each of its values. */
static void
metrics_labelled(struct evbuffer *b, const char *name, const char *label,
    const char **values, const uint64_t *counts)
{
	size_t	i;

	for (i = 0; values[i] != NULL; i++)
		evbuffer_add_printf(b, "codex_mcp_proxy_%s{%s=\"%s\"} %llu\n",
		    name, label, values[i], (unsigned long long)counts[i]);
}

/* /healthz: 200 while the app-server is usable, 503 otherwise. */
void
status_health(struct evhttp_request *req)
{
	struct evbuffer	*b = evbuffer_new();
	const char	*state = dialect_state_name();
	int		 ok = dialect_usable();

	evbuffer_add_printf(b, "{\"status\":\"%s\",\"upstream\":\"%s\"}\n",
	    ok ? "ok" : "unavailable", state);
	http_reply(req, ok ? 200 : 503, ok ? "OK" : "Service Unavailable",
	    "application/json", b);
}

/* /metrics. */
void
status_metrics(struct evhttp_request *req)
{
	struct evbuffer	*b = evbuffer_new();
	uint64_t	 cumulative = 0;
	size_t		 i, j;

	metrics_head(b, "sessions", "gauge", "Open MCP sessions over HTTP.");
	evbuffer_add_printf(b, "codex_mcp_proxy_sessions %u\n",
	    mcp_http_sessions());
	metrics_head(b, "threads", "gauge", "Conversations the proxy keeps "
	    "track of: in use by a call or loaded in the app-server.");
	evbuffer_add_printf(b, "codex_mcp_proxy_threads %u\n",
	    threads_count());
	metrics_head(b, "tool_calls_total", "counter",
	    "Tool calls answered, by tool and outcome.");
	for (i = 0; i < NTOOLS; i++) {
		for (j = 0; metrics_outcomes[j] != NULL; j++)
			evbuffer_add_printf(b, "codex_mcp_proxy_tool_calls_total"
			    "{tool=\"%s\",outcome=\"%s\"} %llu\n",
			    tools_name(i), metrics_outcomes[j],
			    (unsigned long long)m_calls[i][j]);
	}
	metrics_head(b, "turns_total", "counter", "Codex turns, by how they "
	    "ended.");
	metrics_labelled(b, "turns_total", "status", metrics_turns, m_turns);
	metrics_head(b, "approvals_total", "counter", "Approval requests "
	    "answered, by decision.");
	metrics_labelled(b, "approvals_total", "decision", metrics_decisions,
	    m_approvals);
	metrics_head(b, "upstream_restarts_total", "counter", "Times the "
	    "app-server was started again after the first.");
	evbuffer_add_printf(b, "codex_mcp_proxy_upstream_restarts_total %llu\n",
	    (unsigned long long)(m_starts > 0 ? m_starts - 1 : 0));
	metrics_head(b, "upstream_up", "gauge", "1 while the app-server is "
	    "ready.");
	evbuffer_add_printf(b, "codex_mcp_proxy_upstream_up %d\n",
	    dialect_usable());
	metrics_head(b, "received_bytes_total", "counter", "Bytes received "
	    "from clients.");
	evbuffer_add_printf(b, "codex_mcp_proxy_received_bytes_total %llu\n",
	    (unsigned long long)m_bytes_in);
	metrics_head(b, "sent_bytes_total", "counter", "Bytes sent to "
	    "clients.");
	evbuffer_add_printf(b, "codex_mcp_proxy_sent_bytes_total %llu\n",
	    (unsigned long long)m_bytes_out);
	metrics_head(b, "http_responses_total", "counter", "HTTP answers, by "
	    "status.");
	for (i = 0; i < NCODES; i++) {
		if (m_codes[i] > 0)
			evbuffer_add_printf(b, "codex_mcp_proxy_http_responses_"
			    "total{code=\"%zu\"} %llu\n", i,
			    (unsigned long long)m_codes[i]);
	}
	metrics_head(b, "request_duration_seconds", "histogram", "Time from "
	    "an MCP request over HTTP to its response.");
	for (i = 0; i <= NBUCKETS; i++) {
		cumulative += m_latency[i];
		if (i < NBUCKETS)
			evbuffer_add_printf(b, "codex_mcp_proxy_request_duration"
			    "_seconds_bucket{le=\"%g\"} %llu\n",
			    metrics_buckets[i], (unsigned long long)cumulative);
		else
			evbuffer_add_printf(b, "codex_mcp_proxy_request_duration"
			    "_seconds_bucket{le=\"+Inf\"} %llu\n",
			    (unsigned long long)cumulative);
	}
	evbuffer_add_printf(b, "codex_mcp_proxy_request_duration_seconds_sum "
	    "%.6f\ncodex_mcp_proxy_request_duration_seconds_count %llu\n",
	    m_latency_sum, (unsigned long long)m_latency_count);
	http_reply(req, 200, "OK", "text/plain; version=0.0.4", b);
}
