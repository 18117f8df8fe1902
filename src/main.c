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
 * codex-mcp-proxy: an MCP server in front of the Codex app-server. This file
 * reads the command line, sets up the event loop and signals, and runs and
 * stops everything else.
 */

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proxy.h"

#define SHUTDOWN_LIMIT_S	10	/* give up waiting after this */

struct event_base	*proxy_base;
struct options		 opts;
struct upstream		*proxy_upstream;

static int		 proxy_stopping;
static struct event	*proxy_deadline;

static __attribute__((noreturn)) void usage(int);
static char	*default_upstream_cmd(void);
static int	 on_path(const char *);
static long	 number_arg(const char *, const char *, long, long);
static void	 signal_cb(evutil_socket_t, short, void *);
static void	 deadline_cb(evutil_socket_t, short, void *);
static void	 upstream_stopped(void *);
static void	 stdout_flushed(void *);
static int	 epoll_can_watch(int);
static struct event_base *make_base(void);

/* Print the usage and exit. */
static void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
"usage: %s [-hVv] [-l file] [--api auto|v1|v2] [--upstream-cmd command]\n"
"       [--approvals ask|accept|decline] [--approval-timeout seconds]\n"
"       [--turn-timeout seconds] [--max-message-size bytes]\n"
"       [--start-timeout seconds] [--resume-retry seconds]\n", PROXY_NAME);
	exit(status);
}

/* Is there an executable named name on PATH? */
static int
on_path(const char *name)
{
	const char	*path = getenv("PATH");
	char		*copy, *dir, *last, *file;
	int		 found = 0;

	if (path == NULL)
		return (0);
	copy = xstrdup(path);
	for (dir = strtok_r(copy, ":", &last); dir != NULL && !found;
	    dir = strtok_r(NULL, ":", &last)) {
		xasprintf(&file, "%s/%s", *dir != '\0' ? dir : ".", name);
		found = access(file, X_OK) == 0;
		free(file);
	}
	free(copy);
	return (found);
}

/* codex app-server, with codex from PATH or where the build found it. */
static char *
default_upstream_cmd(void)
{
	char	*cmd;

	if (!on_path("codex") && CODEX_BUILD_PATH[0] != '\0' &&
	    access(CODEX_BUILD_PATH, X_OK) == 0) {
		xasprintf(&cmd, "'%s' app-server", CODEX_BUILD_PATH);
		return (cmd);
	}
	return (xstrdup("codex app-server"));
}

/* Parse a number option within [min, max] or exit. */
static long
number_arg(const char *name, const char *s, long min, long max)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || n < min || n > max) {
		fprintf(stderr, "%s: %s must be a number from %ld to %ld\n",
		    PROXY_NAME, name, min, max);
		exit(2);
	}
	return (n);
}

/* Can epoll watch this descriptor? Not files, nor devices like /dev/null. */
static int
epoll_can_watch(int fd)
{
	struct stat	st;

	if (fstat(fd, &st) == -1)
		return (1);
	if (S_ISREG(st.st_mode))
		return (0);
	return (!S_ISCHR(st.st_mode) || isatty(fd));
}

/* A base that can watch stdin and stdout, whatever they are. */
static struct event_base *
make_base(void)
{
	struct event_config	*cfg;
	struct event_base	*base;

	cfg = event_config_new();
	if (!epoll_can_watch(STDIN_FILENO) || !epoll_can_watch(STDOUT_FILENO))
		event_config_avoid_method(cfg, "epoll");
	base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	if (base == NULL)
		fatalx("cannot create the event loop");
	return (base);
}

/* SIGTERM or SIGINT: stop. */
static void
signal_cb(evutil_socket_t sig, short events, void *arg)
{
	proxy_shutdown(sig == SIGTERM ? "SIGTERM" : "SIGINT");
}

/* Shutdown took too long: leave anyway. */
static void
deadline_cb(evutil_socket_t fd, short events, void *arg)
{
	log_warnx("shutdown took over %d s; exiting", SHUTDOWN_LIMIT_S);
	event_base_loopexit(proxy_base, NULL);
}

/*
 * Stop everything in order: answer the calls still running, shut the
 * app-server down, flush stdout, then leave the event loop.
 */
void
proxy_shutdown(const char *why)
{
	struct timeval	tv;

	if (proxy_stopping)
		return;
	proxy_stopping = 1;
	log_info("shutting down: %s", why);
	proxy_deadline = evtimer_new(proxy_base, deadline_cb, NULL);
	tv.tv_sec = SHUTDOWN_LIMIT_S;
	tv.tv_usec = 0;
	evtimer_add(proxy_deadline, &tv);
	bridge_shutdown();
	upstream_shutdown(proxy_upstream, upstream_stopped, NULL);
}

/* The app-server is down: flush what the client has not read yet. */
static void
upstream_stopped(void *arg)
{
	mcp_stdio_stop(stdout_flushed, NULL);
}

/* All written: leave the loop. */
static void
stdout_flushed(void *arg)
{
	event_base_loopexit(proxy_base, NULL);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help",		no_argument,		NULL, 'h' },
		{ "version",		no_argument,		NULL, 'V' },
		{ "verbose",		no_argument,		NULL, 'v' },
		{ "log-file",		required_argument,	NULL, 'l' },
		{ "upstream-cmd",	required_argument,	NULL, 'u' },
		{ "max-message-size",	required_argument,	NULL, 'm' },
		{ "start-timeout",	required_argument,	NULL, 's' },
		{ "resume-retry",	required_argument,	NULL, 'r' },
		{ "api",		required_argument,	NULL, 'a' },
		{ "approvals",		required_argument,	NULL, 'A' },
		{ "approval-timeout",	required_argument,	NULL, 'T' },
		{ "turn-timeout",	required_argument,	NULL, 't' },
		{ NULL,			0,			NULL, 0 }
	};
	struct event	*ev_term, *ev_int;
	char		*cmd = NULL;
	int		 ch;

	opts.max_message = DEFAULT_MAX_MESSAGE;
	opts.start_timeout = 60;
	opts.resume_retry = 5;
	opts.approvals = "ask";
	opts.approval_timeout = 300;
	while ((ch = getopt_long(argc, argv, "hVvl:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(0);
		case 'V':
			printf("%s %s\n", PROXY_NAME, PACKAGE_VERSION);
			exit(0);
		case 'v':
			opts.verbose++;
			break;
		case 'l':
			opts.log_file = optarg;
			break;
		case 'u':
			opts.upstream_cmd = optarg;
			break;
		case 'm':
			opts.max_message = number_arg("--max-message-size",
			    optarg, 1024, LONG_MAX);
			break;
		case 's':
			opts.start_timeout = number_arg("--start-timeout",
			    optarg, 1, 3600);
			break;
		case 'a':
			if (strcmp(optarg, "auto") != 0 &&
			    strcmp(optarg, "v1") != 0 &&
			    strcmp(optarg, "v2") != 0) {
				fprintf(stderr, "%s: --api must be auto, v1 or "
				    "v2\n", PROXY_NAME);
				exit(2);
			}
			opts.api = optarg;
			break;
		case 'A':
			if (strcmp(optarg, "ask") != 0 &&
			    strcmp(optarg, "accept") != 0 &&
			    strcmp(optarg, "decline") != 0) {
				fprintf(stderr, "%s: --approvals must be ask, "
				    "accept or decline\n", PROXY_NAME);
				exit(2);
			}
			opts.approvals = optarg;
			break;
		case 'T':
			opts.approval_timeout = number_arg("--approval-timeout",
			    optarg, 0, 86400);
			break;
		case 't':
			opts.turn_timeout = number_arg("--turn-timeout", optarg,
			    0, 86400 * 7);
			break;
		case 'r':
			opts.resume_retry = number_arg("--resume-retry",
			    optarg, 0, 600);
			break;
		default:
			usage(2);
		}
	}
	if (optind != argc)
		usage(2);

	log_open(opts.log_file, opts.verbose);
	signal(SIGPIPE, SIG_IGN);
	if (opts.upstream_cmd == NULL)
		opts.upstream_cmd = cmd = default_upstream_cmd();

	proxy_base = make_base();
	ev_term = evsignal_new(proxy_base, SIGTERM, signal_cb, NULL);
	ev_int = evsignal_new(proxy_base, SIGINT, signal_cb, NULL);
	evsignal_add(ev_term, NULL);
	evsignal_add(ev_int, NULL);
	proc_init();
	threads_init();
	tools_init();
	approval_init();

	log_info("%s %s starting; upstream: %s", PROXY_NAME, PACKAGE_VERSION,
	    opts.upstream_cmd);
	proxy_upstream = upstream_new(opts.upstream_cmd, bridge_handlers());
	mcp_stdio_start();
	upstream_start(proxy_upstream);

	event_base_dispatch(proxy_base);

	upstream_free(proxy_upstream);
	dialect_v1_free();
	dialect_restore_free_all();
	tools_free();
	approval_free_all();
	threads_free();
	proc_free();
	mcp_stdio_free();
	if (proxy_deadline != NULL)
		event_free(proxy_deadline);
	event_free(ev_term);
	event_free(ev_int);
	event_base_free(proxy_base);
	free(cmd);
	log_info("exiting");
	log_close();
	return (0);
}
