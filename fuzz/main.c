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
 * A fuzz target's main() in a normal build: run the entry point on each
 * file given (a directory's files too), as libFuzzer would run a corpus.
 *
 * usage: TARGET FILE|DIR ...
 */

#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"
#include "fuzz.h"

static size_t	 fuzz_main_runs;

static void	 fuzz_main_file(const char *);
static void	 fuzz_main_path(const char *);

/* Run the target on one file's bytes. */
static void
fuzz_main_file(const char *path)
{
	FILE	*f;
	uint8_t	*data = NULL;
	size_t	 size = 0, n;
	uint8_t	 chunk[65536];

	if ((f = fopen(path, "rb")) == NULL)
		fatal("%s", path);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		data = xrealloc(data, size + n);
		memcpy(data + size, chunk, n);
		size += n;
	}
	if (ferror(f))
		fatal("%s", path);
	fclose(f);
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	fuzz_main_runs++;
}

/* A file, or each file in a directory. */
static void
fuzz_main_path(const char *path)
{
	struct stat	 st;
	DIR		*d;
	struct dirent	*de;
	char		*sub;

	if (stat(path, &st) == -1)
		fatal("%s", path);
	if (!S_ISDIR(st.st_mode)) {
		fuzz_main_file(path);
		return;
	}
	if ((d = opendir(path)) == NULL)
		fatal("%s", path);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		xasprintf(&sub, "%s/%s", path, de->d_name);
		fuzz_main_path(sub);
		free(sub);
	}
	closedir(d);
}

int
main(int argc, char **argv)
{
	int	i;

	for (i = 1; i < argc; i++)
		fuzz_main_path(argv[i]);
	fprintf(stderr, "%s: %zu inputs ran\n", argv[0], fuzz_main_runs);
	return (0);
}
