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

#include <openssl/crypto.h>

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

/* Open a file for appending, created 0600; an existing one keeps its mode. */
FILE *
file_append(const char *path)
{
	return (file_fdopen(path, O_WRONLY | O_APPEND | O_CREAT, "a"));
}

/*
 * The secret in the first line of a file, without the blanks around it
 * (the caller frees it); NULL with *cause saying why if there is none.
 */
char *
file_secret(const char *path, char **cause)
{
	FILE	*f;
	char	 line[4096], *p, *end, *secret;

	if ((f = file_read(path)) == NULL) {
		xasprintf(cause, "cannot read %s: %s", path, strerror(errno));
		return (NULL);
	}
	p = fgets(line, sizeof line, f);
	fclose(f);
	if (p == NULL)
		line[0] = '\0';
	for (p = line; isspace((unsigned char)*p); p++)
		;
	end = p + strlen(p);
	while (end > p && isspace((unsigned char)end[-1]))
		*--end = '\0';
	secret = *p != '\0' ? xstrdup(p) : NULL;
	OPENSSL_cleanse(line, sizeof line);
	if (secret == NULL)
		xasprintf(cause, "%s holds no secret", path);
	return (secret);
}
