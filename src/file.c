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
 * Opening files: always close-on-exec, so that neither the app-server nor
 * the commands codex runs inherit them; created private; and a directory
 * is never taken for a file.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "proxy.h"

/* Open path with flags as a stream with mode; a directory is EISDIR. */
static FILE *
file_fdopen(const char *path, int flags, const char *mode)
{
	struct stat	 st;
	FILE		*f;
	int		 fd, err;

	if ((fd = open(path, flags | O_CLOEXEC, 0600)) == -1)
		return (NULL);
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
		err = EISDIR;
	else if ((f = fdopen(fd, mode)) != NULL)
		return (f);
	else
		err = errno;
	close(fd);
	errno = err;
	return (NULL);
}

/* Open a file for reading. */
FILE *
file_read(const char *path)
{
	return (file_fdopen(path, O_RDONLY, "r"));
}

/*
 * The first line of the file at path without surrounding blanks, into buf
 * of len bytes (a secret: the caller cleanses it); dies if there is none.
 */
char *
file_secret(const char *path, char *buf, size_t len)
{
	FILE	*f;
	char	*p, *end;

	if ((f = file_read(path)) == NULL)
		fatal("cannot read %s", path);
	if (fgets(buf, len, f) == NULL)
		fatalx("%s is empty", path);
	fclose(f);
	for (p = buf; isspace((unsigned char)*p); p++)
		;
	end = p + strlen(p);
	while (end > p && isspace((unsigned char)end[-1]))
		*--end = '\0';
	if (*p == '\0')
		fatalx("%s holds no secret", path);
	return (p);
}

/* Open a file for appending, created 0600; an existing one keeps its mode. */
FILE *
file_append(const char *path)
{
	return (file_fdopen(path, O_WRONLY | O_APPEND | O_CREAT, "a"));
}
