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
 * The keeper. When the proxy dies, even by SIGKILL, every group of an
 * app-server it still holds must go too. Linux's PR_SET_PDEATHSIG cannot
 * promise that alone: it signals the one child, /bin/sh, and neither the launcher sh started nor what that
 * forked; other systems have nothing like it. So the proxy starts a keeper
 * first thing, before the event loop or any connection exists: itself again
 * (codex-mcp-proxy --keeper, re-executed so that it holds none of the
 * proxy's memory or descriptors), doing nothing but read, on its stdin, a
 * pipe whose write end only the proxy holds (close-on-exec, so no
 * app-server inherits it). Each app-server child, after setpgid and before
 * exec, writes its group id there; the proxy writes the id negated once the
 * group has had SIGKILL or is found empty. When read() sees the end of the
 * pipe, the proxy has exited, however it did: the keeper sends SIGTERM to
 * each group still held, SIGKILL to what is left after KEEPER_GRACE_MS, and
 * exits. After a clean shutdown it holds none and exits at once. The keeper
 * is in a session of its own, so a signal to the proxy's process group or
 * terminal spares it. As the child announces itself while it still holds
 * the write end, a proxy killed just after the fork cannot leave a group
 * the keeper missed. If the executable cannot be run again, the forked
 * child is the keeper all the same.
 * (kqueue's EVFILT_PROC could watch the proxy too, but only on the BSDs
 * and macOS, and it would still need a process to do the killing.)
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proxy.h"

#define KEEPER_GRACE_MS		2000	/* from SIGTERM to SIGKILL */
#define KEEPER_POLL_MS		25

/* A process group the keeper is to kill if the proxy dies. */
struct keeper_group {
	pid_t				 pgid;
	TAILQ_ENTRY(keeper_group)	 entry;
};
static TAILQ_HEAD(, keeper_group) keeper_groups =
    TAILQ_HEAD_INITIALIZER(keeper_groups);
static int		 keeper_fd = -1;	/* write end, to the keeper */
static int		 keeper_exec_fd = -1;	/* closed once it has exec'd */

static void	 keeper_exited(struct proc *, int, void *);
static void	 keeper_execd_cb(evutil_socket_t, short, void *);
static void	 keeper_kill(pid_t *, size_t);

/*
 * Start the keeper (see above). Called before anything but the log is
 * open; its stdout is /dev/null, not the proxy's (an MCP client waits for
 * the end of that). Returns at once, not waiting for the exec: a second
 * pipe, which exec closes, tells keeper_started whether it failed.
 */
void
keeper_start(void)
{
	const char	*self = self_path();
	sigset_t	 all, old;
	int		 fd[2], done[2], null, e;
	ssize_t		 n;
	pid_t		 pid;

	if (pipe2(fd, O_CLOEXEC) == -1) {
		log_warn("%s: pipe", __func__);
		return;
	}
	if (pipe2(done, O_CLOEXEC) == -1) {
		log_warn("%s: pipe", __func__);
		close(fd[0]);
		close(fd[1]);
		return;
	}
	fflush(NULL);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	switch (pid = fork()) {
	case -1:
		log_warn("%s: fork", __func__);
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(fd[0]);
		close(fd[1]);
		close(done[0]);
		close(done[1]);
		return;
	case 0:
		close(fd[1]);
		close(done[0]);
		if (fd[0] != STDIN_FILENO) {
			dup2(fd[0], STDIN_FILENO);
			close(fd[0]);
		}
		fcntl(STDIN_FILENO, F_SETFD, 0);
		if ((null = open("/dev/null", O_WRONLY)) != -1 &&
		    null != STDOUT_FILENO) {
			dup2(null, STDOUT_FILENO);
			close(null);
		}
		setsid();
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		e = ENOENT;
		if (self != NULL && opts.log_file != NULL)
			execl(self, PROXY_NAME, "--keeper", "--log-file",
			    opts.log_file, (char *)NULL);
		else if (self != NULL)
			execl(self, PROXY_NAME, "--keeper", (char *)NULL);
		if (self != NULL)
			e = errno;
		n = write(done[1], &e, sizeof e);
		(void)n;	/* the proxy then says nothing of it */
		close(done[1]);
		keeper_run(STDIN_FILENO);
		/* NOTREACHED */
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fd[0]);
	close(done[1]);
	/* Not waited for: what is written to it waits in the pipe. */
	keeper_exec_fd = done[0];
	/* A keeper that stops reading must not block the proxy. */
	evutil_make_socket_nonblocking(fd[1]);
	keeper_fd = fd[1];
	proc_watch(pid, keeper_exited, NULL);
	log_debug("%s: keeper pid %ld", __func__, (long)pid);
}

/* Once the event loop runs: say whether the keeper's exec failed. */
void
keeper_started(void)
{
	if (keeper_exec_fd != -1)
		event_base_once(proxy_base, keeper_exec_fd, EV_READ,
		    keeper_execd_cb, NULL, NULL);
}

/* The keeper has exec'd (its end of the pipe closed), or says why not. */
static void
keeper_execd_cb(evutil_socket_t fd, short events, void *arg)
{
	ssize_t	r;
	int	e;

	while ((r = read(fd, &e, sizeof e)) == -1 && errno == EINTR)
		;
	close(fd);
	keeper_exec_fd = -1;
	if (r == sizeof e)
		log_warnx("cannot run %s --keeper (%s); forked instead",
		    self_path() != NULL ? self_path() : PROXY_NAME,
		    strerror(e));
}

/* The keeper exited before the proxy: groups are no longer looked after. */
static void
keeper_exited(struct proc *p, int status, void *arg)
{
	if (WIFSIGNALED(status))
		log_warnx("the keeper (pid %ld) was killed by signal %d; "
		    "app-server groups are left behind if the proxy dies",
		    (long)proc_pid(p), WTERMSIG(status));
	else
		log_warnx("the keeper (pid %ld) exited with status %d; "
		    "app-server groups are left behind if the proxy dies",
		    (long)proc_pid(p), WEXITSTATUS(status));
	close(keeper_fd);
	keeper_fd = -1;
}

/* In the child, before exec: ask the keeper to look after our group. */
void
keeper_hold(pid_t pgid)
{
	ssize_t	n;

	if (keeper_fd != -1) {
		n = write(keeper_fd, &pgid, sizeof pgid);
		(void)n;	/* if the keeper has gone, the proxy said so */
	}
}

/* In the proxy: the group of a child just forked is held by the keeper. */
void
keeper_watch(pid_t pgid)
{
	struct keeper_group	*g;

	if (keeper_fd == -1)
		return;
	g = xcalloc(1, sizeof *g);
	g->pgid = pgid;
	TAILQ_INSERT_TAIL(&keeper_groups, g, entry);
}

/* The group is gone or has had SIGKILL: the keeper can let it go. */
void
keeper_release(pid_t pgid)
{
	struct keeper_group	*g;
	pid_t			 v = -pgid;

	TAILQ_FOREACH(g, &keeper_groups, entry) {
		if (g->pgid == pgid)
			break;
	}
	if (g == NULL)
		return;
	TAILQ_REMOVE(&keeper_groups, g, entry);
	free(g);
	if (keeper_fd != -1 &&
	    write(keeper_fd, &v, sizeof v) != sizeof v)
		log_warn("%s: cannot tell the keeper", __func__);
}

/* Forget the groups held (the keeper keeps them till the proxy exits). */
void
keeper_free(void)
{
	struct keeper_group	*g;

	while ((g = TAILQ_FIRST(&keeper_groups)) != NULL) {
		TAILQ_REMOVE(&keeper_groups, g, entry);
		free(g);
	}
}

/*
 * The keeper itself (--keeper, or the forked child if that could not be
 * run): hold group ids until the pipe on fd ends, then kill the groups.
 */
void
keeper_run(int fd)
{
	pid_t		*groups = NULL, v, *g;
	size_t		 n = 0, i, have = 0;
	char		 buf[64 * sizeof v];
	struct stat	 st;
	ssize_t		 r;

	if (fstat(fd, &st) == -1 || !S_ISFIFO(st.st_mode))
		fatalx("--keeper is for the proxy's own use");
	signal(SIGPIPE, SIG_IGN);	/* a closed stderr must not stop us */
	for (;;) {
		r = read(fd, buf + have, sizeof buf - have);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		have += r;
		for (i = 0; have - i >= sizeof v; i += sizeof v) {
			memcpy(&v, buf + i, sizeof v);
			if (v > 1) {
				g = realloc(groups, (n + 1) * sizeof *groups);
				if (g != NULL) {
					groups = g;
					groups[n++] = v;
				}
				continue;
			}
			for (g = groups; v < -1 && g < groups + n; g++) {
				if (*g == -v) {
					*g = groups[--n];
					break;
				}
			}
		}
		memmove(buf, buf + i, have - i);
		have -= i;
	}
	if (n != 0)
		keeper_kill(groups, n);
	_exit(0);
}

/* The proxy is gone: SIGTERM the groups, SIGKILL what is left after a while. */
static void
keeper_kill(pid_t *groups, size_t n)
{
	struct timespec	 ts;
	size_t		 i, left;
	int		 waited;

	for (i = 0; i < n; i++)
		killpg(groups[i], SIGTERM);
	ts.tv_sec = 0;
	ts.tv_nsec = KEEPER_POLL_MS * 1000000L;
	for (waited = 0; waited < KEEPER_GRACE_MS; waited += KEEPER_POLL_MS) {
		for (left = i = 0; i < n; i++)
			left += !proc_group_empty(groups[i]);
		if (left == 0)
			break;
		nanosleep(&ts, NULL);
	}
	for (left = i = 0; i < n; i++) {
		if (!proc_group_empty(groups[i])) {
			killpg(groups[i], SIGKILL);
			left++;
		}
	}
	/* Only now, as writing to a stderr nobody reads could block. */
	log_warnx("the proxy exited while %zu app-server group%s ran (first "
	    "%ld); the keeper sent SIGTERM%s", n, n == 1 ? "" : "s",
	    (long)groups[0], left != 0 ? ", then SIGKILL" : "");
}
