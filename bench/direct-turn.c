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
 * The direct side of bench/stdio-bench.js for long turns: start the fake
 * app-server, initialize it, then time thread/start and turn/start with
 * PROMPT up to its turn/completed, reading what comes as fast as the pipe
 * gives it (a client that only looks for the end). Prints the milliseconds.
 *
 * usage: direct-turn FAKE PROMPT
 */

#include <sys/time.h>
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DIRECT_READ	(1 << 20)
#define DIRECT_TURN	"{\"id\":3,\"method\":\"turn/start\",\"params\":" \
	"{\"threadId\":\"thread-1\",\"input\":[{\"type\":\"text\"," \
	"\"text\":\"%s\"}]}}\n"

static char	 direct_buf[DIRECT_READ + 64];

static void	 direct_send(int, const char *);
static void	 direct_wait(int, const char *);
static int	 direct_has(const char *, size_t, const char *, size_t);

/* Write one line, or die. */
static void
direct_send(int fd, const char *line)
{
	size_t	len = strlen(line);

	if (write(fd, line, len) != (ssize_t)len) {
		perror("direct-turn: write");
		exit(1);
	}
}

/* Does buf of len bytes hold what (wlen bytes)? (memmem is not POSIX.) */
static int
direct_has(const char *buf, size_t len, const char *what, size_t wlen)
{
	size_t	i;

	for (i = 0; i + wlen <= len; i++) {
		if (buf[i] == what[0] && memcmp(buf + i, what, wlen) == 0)
			return (1);
	}
	return (0);
}

/* Read until the text what has come (it may span two reads). */
static void
direct_wait(int fd, const char *what)
{
	size_t	keep = 0, wlen = strlen(what);
	ssize_t	n;

	for (;;) {
		n = read(fd, direct_buf + keep, DIRECT_READ);
		if (n <= 0) {
			fprintf(stderr, "direct-turn: EOF before %s\n", what);
			exit(1);
		}
		n += keep;
		if (direct_has(direct_buf, n, what, wlen))
			return;
		keep = (size_t)n < wlen ? (size_t)n : wlen;
		memmove(direct_buf, direct_buf + n - keep, keep);
	}
}

int
main(int argc, char **argv)
{
	struct timeval	 t0, t1;
	int		 in[2], out[2], status;
	pid_t		 pid;
	char		*turn;
	size_t		 len;

	if (argc != 3) {
		fprintf(stderr, "usage: direct-turn FAKE PROMPT\n");
		return (2);
	}
	if (pipe(in) == -1 || pipe(out) == -1 || (pid = fork()) == -1) {
		perror("direct-turn");
		return (1);
	}
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl(argv[1], argv[1], (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	direct_send(in[1], "{\"id\":1,\"method\":\"initialize\",\"params\":"
	    "{\"clientInfo\":{\"name\":\"direct-turn\",\"version\":\"0\"}}}\n");
	direct_wait(out[0], "\"id\":1,");
	direct_send(in[1], "{\"method\":\"initialized\"}\n");

	gettimeofday(&t0, NULL);
	direct_send(in[1], "{\"id\":2,\"method\":\"thread/start\",\"params\":{}}\n");
	direct_wait(out[0], "\"thread-1\"");
	len = strlen(argv[2]) + sizeof DIRECT_TURN;
	if ((turn = malloc(len)) == NULL)
		return (1);
	snprintf(turn, len, DIRECT_TURN, argv[2]);
	direct_send(in[1], turn);
	direct_wait(out[0], "\"turn/completed\"");
	gettimeofday(&t1, NULL);

	close(in[1]);
	waitpid(pid, &status, 0);
	free(turn);
	printf("%.3f\n", (t1.tv_sec - t0.tv_sec) * 1e3 +
	    (t1.tv_usec - t0.tv_usec) / 1e3);
	return (0);
}
