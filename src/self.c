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
 * The proxy's own executable, found once at start, for the keeper and for
 * --upstream replay:, which run the proxy again.
 */

#include <sys/types.h>
#include <sys/stat.h>
#ifdef HAVE__NSGETEXECUTABLEPATH
#include <mach-o/dyld.h>
#endif

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proxy.h"

static char	*self;	/* our own executable */

static char	*self_search(const char *);

/*
 * Find our own executable, once, at start (before any chdir): from
 * _NSGetExecutablePath on macOS, a /proc link where configure found one,
 * else argv[0], as a path or looked up in PATH. NULL if not found.
 */
void
self_find(const char *argv0)
{
#if defined(HAVE__NSGETEXECUTABLEPATH) || defined(PROC_SELF_EXE)
	char		 path[PATH_MAX];
#endif
#ifdef HAVE__NSGETEXECUTABLEPATH
	uint32_t	 size = sizeof path;
#endif
#ifdef PROC_SELF_EXE
	ssize_t		 n;
#endif

#ifdef HAVE__NSGETEXECUTABLEPATH
	if (_NSGetExecutablePath(path, &size) == 0 &&
	    (self = realpath(path, NULL)) != NULL)
		return;
#endif
#ifdef PROC_SELF_EXE
	if ((n = readlink(PROC_SELF_EXE, path, sizeof path - 1)) > 0) {
		path[n] = '\0';
		if (access(path, X_OK) == 0) {
			self = xstrdup(path);
			return;
		}
	}
#endif
	if (argv0 == NULL || *argv0 == '\0')
		return;
	if (strchr(argv0, '/') != NULL)
		self = realpath(argv0, NULL);
	else
		self = self_search(argv0);
}

/* Look a command name up in PATH, as the shell that ran us did. */
static char *
self_search(const char *name)
{
	const char	*path = getenv("PATH"), *p, *colon;
	char		*try, *found = NULL;
	struct stat	 st;
	int		 len;

	if (path == NULL)
		return (NULL);
	for (p = path; found == NULL; p = colon + 1) {
		if ((colon = strchr(p, ':')) == NULL)
			colon = p + strlen(p);
		len = (int)(colon - p);
		/* An empty entry is the current directory. */
		if (len == 0)
			xasprintf(&try, "./%s", name);
		else
			xasprintf(&try, "%.*s/%s", len, p, name);
		if (access(try, X_OK) == 0 && stat(try, &st) == 0 &&
		    S_ISREG(st.st_mode))
			found = realpath(try, NULL);
		free(try);
		if (*colon == '\0')
			break;
	}
	return (found);
}

/* Our own executable, as an absolute path; NULL if it was not found. */
const char *
self_path(void)
{
	return (self);
}
