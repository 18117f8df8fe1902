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
 * Logging to stderr or a log file. Nothing here ever writes to stdout, which
 * carries MCP messages only.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proxy.h"

static FILE	*log_fp;
static const char *log_path;
static int	 log_verbose;

static void	 log_vwrite(const char *, const char *, va_list, int)
		     __attribute__((format(printf, 2, 0)));
static void	 log_put(const char *, const char *, int);
static void	 log_event_cb(int, const char *);

/*
 * Open the log: a file when given, stderr otherwise. A new file is made
 * 0600; an existing one keeps its mode, with a warning if -vv would write
 * every prompt and answer where others can read them.
 */
void
log_open(const char *path, int verbose)
{
	struct stat	st;

	log_verbose = verbose;
	if (path != NULL && strcmp(path, "-") != 0) {
		log_path = path;
		log_fp = file_append(path);
		if (log_fp == NULL)
			fatal("cannot open log file %s", path);
		setvbuf(log_fp, NULL, _IOLBF, 0);
		if (verbose >= 2 && fstat(fileno(log_fp), &st) == 0 &&
		    (st.st_mode & 044) != 0)
			log_warnx("%s is readable by others (mode %03o), and "
			    "with -vv it holds every prompt and answer", path,
			    (u_int)st.st_mode & 0777);
	} else
		log_fp = stderr;
	event_set_log_callback(log_event_cb);
}

/* Reopen the log file (after it was rotated); stderr stays stderr. */
void
log_reopen(void)
{
	FILE	*fp;

	if (log_fp == NULL || log_fp == stderr || log_path == NULL)
		return;
	if ((fp = file_append(log_path)) == NULL) {
		log_warn("cannot reopen %s", log_path);
		return;
	}
	setvbuf(fp, NULL, _IOLBF, 0);
	fclose(log_fp);
	log_fp = fp;
	log_info("log reopened");
}

/* Close the log file, if there is one. */
void
log_close(void)
{
	if (log_fp != NULL && log_fp != stderr)
		fclose(log_fp);
	log_fp = stderr;
}

/* How verbose the log is (the number of -v). */
int
log_level(void)
{
	return (log_verbose);
}

/* Write one timestamped line of text whose secrets are already hidden. */
static void
log_put(const char *level, const char *clean, int err)
{
	struct timeval	 tv;
	struct tm	 tm;
	char		 stamp[32];
	FILE		*fp = log_fp != NULL ? log_fp : stderr;

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(fp, "%s.%03ldZ %s[%ld] %s: %s%s%s\n", stamp,
	    (long)tv.tv_usec / 1000, PROXY_NAME, (long)getpid(), level, clean,
	    err != 0 ? ": " : "", err != 0 ? strerror(err) : "");
}

/* Format a line, hide its secrets and write it. */
static void
log_vwrite(const char *level, const char *fmt, va_list ap, int err)
{
	char	*text, *clean;

	xvasprintf(&text, fmt, ap);
	clean = redact_text(text);
	log_put(level, clean, err);
	free(clean);
	free(text);
}

/* Log a debug message (shown with -v). */
void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (log_verbose < 1)
		return;
	va_start(ap, fmt);
	log_vwrite("debug", fmt, ap, 0);
	va_end(ap);
}

/* Log an informational message. */
void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite("info", fmt, ap, 0);
	va_end(ap);
}

/* Log a warning with the current errno. */
void
log_warn(const char *fmt, ...)
{
	va_list	ap;
	int	err = errno;

	va_start(ap, fmt);
	log_vwrite("warning", fmt, ap, err);
	va_end(ap);
}

/* Log a warning. */
void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite("warning", fmt, ap, 0);
	va_end(ap);
}

/* Log an error with errno and exit. */
void
fatal(const char *fmt, ...)
{
	va_list	ap;
	int	err = errno;

	va_start(ap, fmt);
	log_vwrite("fatal", fmt, ap, err);
	va_end(ap);
	exit(1);
}

/* Log an error and exit. */
void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite("fatal", fmt, ap, 0);
	va_end(ap);
	exit(1);
}

/* With -vv: log one protocol message (or raw text), secrets redacted. */
void
log_message(const char *what, json_object *msg, const char *raw)
{
	char	*text, *line;

	text = msg != NULL ? redact_json_text(msg) : redact_text(raw != NULL ?
	    raw : "");
	xasprintf(&line, "%s %s", what, text);
	log_put("debug", line, 0);
	free(line);
	free(text);
}

/* Send libevent's own messages to our log. */
static void
log_event_cb(int severity, const char *msg)
{
	if (severity == EVENT_LOG_DEBUG)
		log_debug("libevent: %s", msg);
	else
		log_warnx("libevent: %s", msg);
}
