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
 * The images a prompt carries: a local file (checked here, so that a bad
 * path is the caller's error and not a turn that codex quietly runs without
 * it) or a data: URL (checked for its form). Each comes back in the form
 * the dialects pass on: an absolute path, or the URL itself.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proxy.h"

static char	*image_data_url(const char *, char **);
static char	*image_file(const char *, char **);

/* The image arg in the form to pass on (to free), or NULL with a cause. */
char *
image_check(const char *arg, char **cause)
{
	if (strncmp(arg, "data:", 5) == 0)
		return (image_data_url(arg, cause));
	return (image_file(arg, cause));
}

/*
 * A data:image/TYPE[;PARAM=VALUE]...;base64,DATA URL, its data whole
 * base64 and no more than IMAGE_MAX bytes once decoded.
 */
static char *
image_data_url(const char *url, char **cause)
{
	static const char	 b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				     "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const char		*p = url + 5, *data;
	size_t			 len, pad;

	if (strncmp(p, "image/", 6) != 0 || (data = strstr(p,
	    ";base64,")) == NULL || strcspn(p, ",") < (size_t)(data - p) ||
	    data == p + 6) {
		xasprintf(cause, "the data: URL does not hold an image: it must "
		    "start data:image/TYPE;base64,");
		return (NULL);
	}
	data += 8;
	len = strlen(data);
	pad = strspn(data + strspn(data, b64), "=");
	if (len == 0 || len % 4 != 0 || strspn(data, b64) + pad != len ||
	    pad > 2) {
		xasprintf(cause, "the data: URL's image is not valid base64");
		return (NULL);
	}
	if (len / 4 * 3 - pad > IMAGE_MAX) {
		xasprintf(cause, "the data: URL's image is %zu bytes, more than "
		    "the limit of %d", len / 4 * 3 - pad, IMAGE_MAX);
		return (NULL);
	}
	return (xstrdup(url));
}

/* A regular file we can read, of at most IMAGE_MAX bytes: its real path. */
static char *
image_file(const char *path, char **cause)
{
	struct stat	 sb;
	char		*real;
	int		 fd;

	if ((real = realpath(path, NULL)) == NULL || stat(real, &sb) == -1) {
		xasprintf(cause, "image %s: %s", path, strerror(errno));
		goto fail;
	}
	if (S_ISDIR(sb.st_mode)) {
		xasprintf(cause, "image %s is a directory, not a file", path);
		goto fail;
	}
	if (!S_ISREG(sb.st_mode)) {
		xasprintf(cause, "image %s is not a regular file", path);
		goto fail;
	}
	if (sb.st_size > IMAGE_MAX) {
		xasprintf(cause, "image %s is %lld bytes, more than the limit "
		    "of %d", path, (long long)sb.st_size, IMAGE_MAX);
		goto fail;
	}
	if ((fd = open(real, O_RDONLY)) == -1) {
		xasprintf(cause, "image %s cannot be read: %s", path,
		    strerror(errno));
		goto fail;
	}
	close(fd);
	return (real);
 fail:
	free(real);
	return (NULL);
}
