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

/* pipe2 for systems without it: pipe, then the flags on each descriptor. */

#include <fcntl.h>
#include <unistd.h>

#include "compat.h"

/*
 * Not atomic: a process forking meanwhile in another thread could pass the
 * descriptors on, but the proxy has a single thread.
 */
int
pipe2(int fd[2], int flags)
{
	int	i, fl;

	if (pipe(fd) == -1)
		return (-1);
	for (i = 0; i < 2; i++) {
		if ((flags & O_CLOEXEC) &&
		    fcntl(fd[i], F_SETFD, FD_CLOEXEC) == -1)
			goto fail;
		if ((flags & O_NONBLOCK) &&
		    ((fl = fcntl(fd[i], F_GETFL)) == -1 ||
		    fcntl(fd[i], F_SETFL, fl | O_NONBLOCK) == -1))
			goto fail;
	}
	return (0);

 fail:
	close(fd[0]);
	close(fd[1]);
	return (-1);
}
