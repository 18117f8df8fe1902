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
 * The command line: every option, its checks and its default, into opts.
 */

#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proxy.h"

#define DEFAULT_HOSTS	"localhost,127.0.0.1,::1"
#define HTTP_ONLY	"kcKHISEQCDN"	/* the options that need --listen */

static __attribute__((noreturn)) void usage(int);
static long	 number_arg(const char *, const char *, long, long);
static int	 choice_arg(const char *, const char *, const char *);
static void	 listen_arg(const char *);
static int	 on_path(const char *);
static char	*default_upstream_cmd(void);
static int	 loopback(const char *);
static void	 upstream_arg(const char *);
static void	 upstream_url_options(void);
static void	 options_check(const char *, int);
static __attribute__((noreturn, format(printf, 1, 2))) void
		 option_error(const char *, ...);

static const struct option longopts[] = {
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, 'V' },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "log-file",		required_argument,	NULL, 'l' },
	{ "upstream-cmd",	required_argument,	NULL, 'u' },
	{ "max-message-size",	required_argument,	NULL, 'm' },
	{ "max-answer",		required_argument,	NULL, 'M' },
	{ "start-timeout",	required_argument,	NULL, 's' },
	{ "resume-retry",	required_argument,	NULL, 'r' },
	{ "api",		required_argument,	NULL, 'a' },
	{ "approvals",		required_argument,	NULL, 'A' },
	{ "approval-timeout",	required_argument,	NULL, 'T' },
	{ "turn-timeout",	required_argument,	NULL, 't' },
	{ "listen",		required_argument,	NULL, 'L' },
	{ "auth-token-file",	required_argument,	NULL, 'k' },
	{ "tls-cert",		required_argument,	NULL, 'c' },
	{ "tls-key",		required_argument,	NULL, 'K' },
	{ "allowed-hosts",	required_argument,	NULL, 'H' },
	{ "insecure-no-auth",	no_argument,		NULL, 'I' },
	{ "session-idle",	required_argument,	NULL, 'S' },
	{ "max-header-size",	required_argument,	NULL, 'E' },
	{ "request-timeout",	required_argument,	NULL, 'Q' },
	{ "max-connections",	required_argument,	NULL, 'C' },
	{ "max-sessions",	required_argument,	NULL, 'N' },
	{ "max-turns",		required_argument,	NULL, 'B' },
	{ "max-session-turns",	required_argument,	NULL, 'F' },
	{ "drain-timeout",	required_argument,	NULL, 'D' },
	{ "trace",		required_argument,	NULL, 'x' },
	{ "trace-level",	required_argument,	NULL, 'X' },
	{ "redact",		required_argument,	NULL, 'R' },
	{ "upstream",		required_argument,	NULL, 'U' },
	{ "upstream-ca",	required_argument,	NULL, 'y' },
	{ "upstream-insecure",	no_argument,		NULL, 'Y' },
	{ "upstream-secret-file", required_argument,	NULL, 'j' },
	{ "upstream-issuer",	required_argument,	NULL, 'e' },
	{ "upstream-audience",	required_argument,	NULL, 'd' },
	{ "upstream-token-file", required_argument,	NULL, 'b' },
	{ "serve-replay",	required_argument,	NULL, 'P' },
	{ "share-upstream",	no_argument,		NULL, 'g' },
	{ "share-idle",		required_argument,	NULL, 'G' },
	{ "share-serve",	required_argument,	NULL, 'W' },
	{ "keeper",		no_argument,		NULL, 'Z' },
	{ "request-state-key",	required_argument,	NULL, 'J' },
	{ "task-after",		required_argument,	NULL, 'O' },
	{ "thread-idle",	required_argument,	NULL, 'i' },
	{ NULL,			0,			NULL, 0 }
};

/* Print the usage and exit. */
static void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
"usage: %s [-hVv] [-l file] [--api auto|v1|v2] [--upstream-cmd command]\n"
"       [--approvals ask|accept|decline] [--approval-timeout seconds]\n"
"       [--turn-timeout seconds] [--max-message-size bytes]\n"
"       [--max-answer bytes] [--max-turns number]\n"
"       [--max-session-turns number]\n"
"       [--start-timeout seconds] [--resume-retry seconds]\n"
"       [--request-state-key file] [--task-after seconds]\n"
"       [--thread-idle seconds]\n"
"       [--listen host:port] [--auth-token-file file] [--tls-cert file]\n"
"       [--tls-key file] [--allowed-hosts list] [--insecure-no-auth]\n"
"       [--session-idle seconds] [--drain-timeout seconds]\n"
"       [--max-header-size bytes] [--request-timeout seconds]\n"
"       [--max-connections number] [--max-sessions number]\n"
"       [--trace file] [--trace-level all|no-deltas] [--redact regex]\n"
"       [--upstream replay:file|unix://path|ws://host:port|wss://host:port]\n"
"       [--upstream-token-file file] [--upstream-secret-file file\n"
"        [--upstream-issuer issuer] [--upstream-audience audience]]\n"
"       [--upstream-ca file] [--upstream-insecure]\n"
"       [--share-upstream [--share-idle seconds]]\n", PROXY_NAME);
	exit(status);
}

/* Say what is wrong with the command line and exit 2. */
static void
option_error(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "%s: ", PROXY_NAME);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* Parse a number option within [min, max] or exit. */
static long
number_arg(const char *name, const char *s, long min, long max)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || n < min || n > max)
		option_error("%s must be a number from %ld to %ld", name, min,
		    max);
	return (n);
}

/* The index of s among the words in choices ("a|b|c"), or exit. */
static int
choice_arg(const char *name, const char *s, const char *choices)
{
	const char	*p = choices;
	size_t		 n = strlen(s);
	int		 i = 0;

	while (p != NULL) {
		if (strncmp(p, s, n) == 0 && (p[n] == '|' || p[n] == '\0'))
			return (i);
		if ((p = strchr(p, '|')) != NULL)
			p++;
		i++;
	}
	option_error("%s must be one of %s", name, choices);
}

/* Parse --listen host:port (host may be [v6]). */
static void
listen_arg(const char *s)
{
	const char	*colon = strrchr(s, ':');
	size_t		 n;

	if (colon == NULL || colon == s)
		option_error("--listen takes host:port");
	n = colon - s;
	if (s[0] == '[' && n >= 2 && s[n - 1] == ']')
		opts.listen_host = xstrndup(s + 1, n - 2);
	else
		opts.listen_host = xstrndup(s, n);
	opts.listen_port = number_arg("--listen port", colon + 1, 0, 65535);
}

/*
 * --upstream unix://PATH, ws://HOST:PORT[/PATH] or wss://...: a listening
 * app-server. --upstream replay:FILE: the proxy runs itself (self_path) as
 * an app-server answering from the trace in FILE, which is read now so that
 * a wrong FILE stops the proxy at once.
 */
static void
upstream_arg(const char *s)
{
	const char	*self;
	char		*q, *cause;

	if (opts.upstream_cmd != NULL && opts.upstream_cmd_owned == NULL)
		option_error("--upstream and --upstream-cmd exclude each other");
	if (opts.upstream_url != NULL || opts.upstream_cmd_owned != NULL)
		option_error("--upstream is given twice");
	if (strstr(s, "://") != NULL) {
		if (upstream_url_check(s, &cause) != 0)
			option_error("--upstream %s", cause);
		opts.upstream_url = s;
		return;
	}
	if (strncmp(s, "replay:", 7) != 0 || s[7] == '\0')
		option_error("--upstream takes replay:FILE, unix://PATH, "
		    "ws://HOST:PORT or wss://HOST:PORT (use --upstream-cmd for "
		    "a command)");
	if ((self = self_path()) == NULL)
		fatalx("cannot find the proxy's own executable");
	if (strchr(self, '\'') != NULL || strchr(s + 7, '\'') != NULL)
		option_error("--upstream: no quotes in paths, please");
	replay_check(s + 7);
	xasprintf(&q, "exec '%s' --serve-replay '%s'", self, s + 7);
	free(opts.upstream_cmd_owned);
	opts.upstream_cmd = opts.upstream_cmd_owned = q;
}

/*
 * The checks of the options for a listening app-server: what they need,
 * and whether the token or secret file holds one (exits 2 if not).
 */
static void
upstream_url_options(void)
{
	const char	*file;
	char		*secret, *cause;
	int		 wss;

	wss = opts.upstream_url != NULL &&
	    strncmp(opts.upstream_url, "wss://", 6) == 0;
	if (opts.upstream_token_file != NULL && opts.upstream_secret_file !=
	    NULL)
		option_error("--upstream-token-file and --upstream-secret-file "
		    "exclude each other");
	file = opts.upstream_token_file != NULL ? opts.upstream_token_file :
	    opts.upstream_secret_file;
	if (file != NULL && opts.upstream_url == NULL)
		option_error("--upstream-%s-file needs --upstream with a "
		    "ws://, wss:// or unix:// URL", opts.upstream_token_file !=
		    NULL ? "token" : "secret");
	if ((opts.upstream_issuer != NULL || opts.upstream_audience != NULL) &&
	    opts.upstream_secret_file == NULL)
		option_error("--upstream-%s is for --upstream-secret-file",
		    opts.upstream_issuer != NULL ? "issuer" : "audience");
	if ((opts.upstream_ca != NULL || opts.upstream_insecure) && !wss)
		option_error("--upstream-%s is for --upstream wss://...",
		    opts.upstream_ca != NULL ? "ca" : "insecure");
	if (file == NULL)
		return;
	if ((secret = file_secret(file, &cause)) == NULL)
		option_error("%s", cause);
	free(secret);
}

/*
 * Is this address in 127.0.0.0/8 or ::1 (plain or v4-mapped)? It is copied
 * out, as a struct sockaddr may be less aligned than the one it stands for.
 */
static int
loopback_address(const struct sockaddr *sa, socklen_t len)
{
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	const struct in6_addr	*a6 = &sin6.sin6_addr;

	if (sa->sa_family == AF_INET && len >= sizeof sin) {
		memcpy(&sin, sa, sizeof sin);
		return ((ntohl(sin.sin_addr.s_addr) >> 24) == IN_LOOPBACKNET);
	}
	if (sa->sa_family != AF_INET6 || len < sizeof sin6)
		return (0);
	memcpy(&sin6, sa, sizeof sin6);
	return (IN6_IS_ADDR_LOOPBACK(a6) || (IN6_IS_ADDR_V4MAPPED(a6) &&
	    a6->s6_addr[12] == IN_LOOPBACKNET));
}

/*
 * Does host resolve to loopback addresses only? Judged by what the name
 * resolves to, as the listener will bind it, not by how it is spelt; a
 * name that does not resolve is not loopback.
 */
static int
loopback(const char *host)
{
	struct addrinfo	 hints, *res, *ai;
	int		 all = 1;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return (0);
	for (ai = res; ai != NULL; ai = ai->ai_next)
		all = all && loopback_address(ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(res);
	return (all);
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

/*
 * The checks across options: http_only names one that needs --listen (or
 * is NULL), trace_level says --trace-level was given. Exits 2 on a mistake.
 */
static void
options_check(const char *http_only, int trace_level)
{
	if (opts.listen_host == NULL && http_only != NULL)
		option_error("--%s is for HTTP: it needs --listen", http_only);
	if (opts.allowed_hosts[strspn(opts.allowed_hosts, ", \t")] == '\0')
		option_error("--allowed-hosts: the list is empty (* allows any "
		    "host)");
	if (opts.trace_file == NULL && trace_level)
		option_error("--trace-level needs --trace");
}

/* Read the command line into opts; exit on anything wrong. */
void
options_parse(int argc, char **argv)
{
	const char	*http_only = NULL;
	int		 ch, li = 0, trace_level = 0, share_idle = 0;

	opts.max_message = DEFAULT_MAX_MESSAGE;
	opts.max_answer = DEFAULT_MAX_ANSWER;
	opts.start_timeout = 60;
	opts.resume_retry = 5;
	opts.approvals = APPROVALS_ASK;
	opts.trace_deltas = 1;
	opts.approval_timeout = 300;
	opts.task_after = 10;
	opts.allowed_hosts = DEFAULT_HOSTS;
	opts.session_idle = 3600;
	opts.max_header_size = 65536;
	opts.request_timeout = 30;
	opts.max_sessions = DEFAULT_MAX_SESSIONS;
	opts.max_turns = DEFAULT_MAX_TURNS;
	opts.max_session_turns = DEFAULT_MAX_SESSION_TURNS;
	opts.drain_timeout = 30;
	opts.share_idle = 60;
	while ((ch = getopt_long(argc, argv, "hVvl:", longopts, &li)) != -1) {
		if (strchr(HTTP_ONLY, ch) != NULL)
			http_only = longopts[li].name;
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
			if (opts.upstream_cmd_owned != NULL ||
			    opts.upstream_url != NULL)
				option_error("--upstream-cmd and --upstream "
				    "exclude each other");
			if (optarg[strspn(optarg, " \t")] == '\0')
				option_error("--upstream-cmd: the command is "
				    "empty");
			opts.upstream_cmd = optarg;
			break;
		case 'm':
			opts.max_message = number_arg("--max-message-size",
			    optarg, 1024, LONG_MAX);
			break;
		case 'M':
			opts.max_answer = number_arg("--max-answer", optarg,
			    1024, LONG_MAX);
			break;
		case 's':
			opts.start_timeout = number_arg("--start-timeout",
			    optarg, 1, 3600);
			break;
		case 'r':
			opts.resume_retry = number_arg("--resume-retry",
			    optarg, 0, 600);
			break;
		case 'a':
			opts.api = choice_arg("--api", optarg, "auto|v1|v2");
			break;
		case 'A':
			opts.approvals = choice_arg("--approvals", optarg,
			    "ask|accept|decline");
			break;
		case 'T':
			opts.approval_timeout = number_arg("--approval-timeout",
			    optarg, 0, 86400);
			break;
		case 't':
			opts.turn_timeout = number_arg("--turn-timeout", optarg,
			    0, 86400 * 7);
			break;
		case 'L':
			listen_arg(optarg);
			break;
		case 'k':
			opts.auth_token_file = optarg;
			break;
		case 'J':
			opts.request_state_key = optarg;
			break;
		case 'O':
			opts.task_after = number_arg("--task-after", optarg, 0,
			    86400);
			break;
		case 'i':
			opts.thread_idle = number_arg("--thread-idle", optarg, 0,
			    86400 * 7);
			break;
		case 'c':
			opts.tls_cert = optarg;
			break;
		case 'K':
			opts.tls_key = optarg;
			break;
		case 'H':
			opts.allowed_hosts = optarg;
			break;
		case 'I':
			opts.insecure_no_auth = 1;
			break;
		case 'S':
			opts.session_idle = number_arg("--session-idle", optarg,
			    0, 86400 * 30);
			break;
		case 'E':
			opts.max_header_size = number_arg("--max-header-size",
			    optarg, 1024, LONG_MAX);
			break;
		case 'Q':
			opts.request_timeout = number_arg("--request-timeout",
			    optarg, 0, 86400);
			break;
		case 'C':
			opts.max_connections = number_arg("--max-connections",
			    optarg, 1, 1000000);
			break;
		case 'N':
			opts.max_sessions = number_arg("--max-sessions",
			    optarg, 0, 1000000);
			break;
		case 'B':
			opts.max_turns = number_arg("--max-turns", optarg, 0,
			    1000000);
			break;
		case 'F':
			opts.max_session_turns = number_arg(
			    "--max-session-turns", optarg, 0, 1000000);
			break;
		case 'D':
			opts.drain_timeout = number_arg("--drain-timeout",
			    optarg, 0, 86400);
			break;
		case 'x':
			opts.trace_file = optarg;
			break;
		case 'X':
			trace_level = 1;
			opts.trace_deltas = choice_arg("--trace-level", optarg,
			    "all|no-deltas") == 0;
			break;
		case 'R':
			opts.redact = xrealloc(opts.redact, (opts.nredact + 1) *
			    sizeof *opts.redact);
			opts.redact[opts.nredact++] = optarg;
			break;
		case 'U':
			upstream_arg(optarg);
			break;
		case 'y':
			opts.upstream_ca = optarg;
			break;
		case 'Y':
			opts.upstream_insecure = 1;
			break;
		case 'j':
			opts.upstream_secret_file = optarg;
			break;
		case 'b':
			opts.upstream_token_file = optarg;
			break;
		case 'e':
			opts.upstream_issuer = optarg;
			break;
		case 'd':
			opts.upstream_audience = optarg;
			break;
		case 'P':
			opts.serve_replay = optarg;
			break;
		case 'g':
			opts.share_upstream = 1;
			break;
		case 'G':
			share_idle = 1;
			opts.share_idle = number_arg("--share-idle", optarg, 0,
			    86400 * 7);
			break;
		case 'W':
			opts.share_serve = optarg;
			break;
		case 'Z':
			opts.keeper = 1;
			break;
		default:
			usage(2);
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected operand '%s'\n", PROXY_NAME,
		    argv[optind]);
		usage(2);
	}
	options_check(http_only, trace_level);
	upstream_url_options();
	if (opts.share_upstream && (opts.upstream_url != NULL ||
	    opts.upstream_cmd_owned != NULL))
		option_error("--share-upstream and --upstream exclude each "
		    "other");
	if (share_idle && !opts.share_upstream && opts.share_serve == NULL)
		option_error("--share-idle needs --share-upstream");
	if (opts.listen_host != NULL)
		opts.listen_loopback = loopback(opts.listen_host);
	if (opts.listen_host != NULL && !opts.listen_loopback &&
	    opts.auth_token_file == NULL && !opts.insecure_no_auth) {
		fprintf(stderr, "%s: refusing to listen on %s without "
		    "--auth-token-file (or --insecure-no-auth)\n", PROXY_NAME,
		    opts.listen_host);
		exit(2);
	}
	if (opts.upstream_cmd == NULL)
		opts.upstream_cmd = opts.upstream_cmd_owned =
		    default_upstream_cmd();
}

/* Free what the options own. */
void
options_free(void)
{
	free(opts.upstream_cmd_owned);
	free(opts.listen_host);
	free(opts.redact);
}
