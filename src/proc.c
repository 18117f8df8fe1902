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
 * Child processes: spawn a shell command in its own process group with its
 * stdin, stdout and stderr on pipes, reap it on SIGCHLD, and kill the whole
 * group (codex's npm launcher forks the native binary, which must not be
 * left behind holding the thread's writer lease). On Linux the proxy is a
 * child subreaper, so descendants orphaned on the way are reaped here too
 * and a group is really empty once its members have exited; elsewhere init
 * reaps them.
 *
 * When the proxy dies, even by SIGKILL, every group it still holds must go
 * too. Linux's PR_SET_PDEATHSIG cannot promise that alone: it signals the
 * one child, /bin/sh, and neither the launcher sh started nor what that
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
#include <sys/wait.h>
#if defined(HAVE_SYS_PRCTL_H) && defined(HAVE_PRCTL)
#include <sys/prctl.h>
#endif
#ifdef HAVE__NSGETEXECUTABLEPATH
#include <mach-o/dyld.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proxy.h"

#if defined(HAVE_PRCTL) && defined(PR_SET_CHILD_SUBREAPER) && \
    defined(PR_SET_PDEATHSIG)
#define PROC_PRCTL 1
#endif

#define KEEPER_GRACE_MS		2000	/* from SIGTERM to SIGKILL */
#define KEEPER_POLL_MS		25

struct proc {
	pid_t			 pid;
	proc_exit_cb		 cb;
	void			*arg;
	TAILQ_ENTRY(proc)	 entry;
};
static TAILQ_HEAD(, proc) procs = TAILQ_HEAD_INITIALIZER(procs);
static struct event	*proc_sigchld;

/* A process group the keeper is to kill if the proxy dies. */
struct proc_group {
	pid_t			 pgid;
	TAILQ_ENTRY(proc_group)	 entry;
};
static TAILQ_HEAD(, proc_group) proc_groups =
    TAILQ_HEAD_INITIALIZER(proc_groups);
static int		 proc_keeper_fd = -1;	/* write end, to the keeper */

static char		*proc_self;	/* our own executable */

static void	 proc_sigchld_cb(evutil_socket_t, short, void *);
static void	 proc_child(const char *, int[2], int[2], int[2]);
static struct proc *proc_add(pid_t, proc_exit_cb, void *);
static void	 proc_release(pid_t);
static void	 proc_keeper_exit_cb(struct proc *, int, void *);
static void	 proc_keeper_kill(pid_t *, size_t);
static int	 proc_group_empty(pid_t);
static char	*proc_self_search(const char *);

/*
 * Start the keeper (see above). Called before anything but the log is
 * open; its stdout is /dev/null, not the proxy's (an MCP client waits for
 * the end of that). Returns once it runs: a second pipe, which exec
 * closes, says when, or why exec failed.
 */
void
proc_keeper_start(void)
{
	sigset_t	 all, old;
	int		 fd[2], done[2], null, e;
	ssize_t		 r;
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
		if (proc_self != NULL && opts.log_file != NULL)
			execl(proc_self, PROXY_NAME, "--keeper", "--log-file",
			    opts.log_file, (char *)NULL);
		else if (proc_self != NULL)
			execl(proc_self, PROXY_NAME, "--keeper", (char *)NULL);
		if (proc_self != NULL)
			e = errno;
		r = write(done[1], &e, sizeof e);
		close(done[1]);
		proc_keeper(STDIN_FILENO);
		/* NOTREACHED */
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fd[0]);
	close(done[1]);
	while ((r = read(done[0], &e, sizeof e)) == -1 && errno == EINTR)
		;
	close(done[0]);
	if (r == sizeof e)
		log_warnx("cannot run %s --keeper (%s); forked instead",
		    proc_self != NULL ? proc_self : PROXY_NAME, strerror(e));
	/* A keeper that stops reading must not block the proxy. */
	evutil_make_socket_nonblocking(fd[1]);
	proc_keeper_fd = fd[1];
	proc_add(pid, proc_keeper_exit_cb, NULL);
	log_debug("%s: keeper pid %ld", __func__, (long)pid);
}

/* The keeper exited before the proxy: groups are no longer looked after. */
static void
proc_keeper_exit_cb(struct proc *p, int status, void *arg)
{
	if (WIFSIGNALED(status))
		log_warnx("the keeper (pid %ld) was killed by signal %d; "
		    "app-server groups are left behind if the proxy dies",
		    (long)p->pid, WTERMSIG(status));
	else
		log_warnx("the keeper (pid %ld) exited with status %d; "
		    "app-server groups are left behind if the proxy dies",
		    (long)p->pid, WEXITSTATUS(status));
	close(proc_keeper_fd);
	proc_keeper_fd = -1;
}

/*
 * The keeper itself (--keeper, or the forked child if that could not be
 * run): hold group ids until the pipe on fd ends, then kill the groups.
 */
void
proc_keeper(int fd)
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
		proc_keeper_kill(groups, n);
	_exit(0);
}

/* The proxy is gone: SIGTERM the groups, SIGKILL what is left after a while. */
static void
proc_keeper_kill(pid_t *groups, size_t n)
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

/* Has every process of the group exited? */
static int
proc_group_empty(pid_t pgid)
{
	return (killpg(pgid, 0) == -1 && errno == ESRCH);
}

/* Start watching SIGCHLD; adopt orphaned descendants on Linux. */
void
proc_init(void)
{
#ifdef PROC_PRCTL
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) == -1)
		log_warn("%s: cannot become a child subreaper", __func__);
#endif
	proc_sigchld = evsignal_new(proxy_base, SIGCHLD, proc_sigchld_cb, NULL);
	if (proc_sigchld == NULL || evsignal_add(proc_sigchld, NULL) == -1)
		fatalx("cannot watch SIGCHLD");
}

/*
 * In the child: become a group leader, tell the keeper, wire the pipes and
 * run the shell.
 */
static void
proc_child(const char *cmd, int in[2], int out[2], int err[2])
{
	sigset_t	set;
	pid_t		me;
	ssize_t		n;

	setpgid(0, 0);
	if (proc_keeper_fd != -1) {
		me = getpid();
		n = write(proc_keeper_fd, &me, sizeof me);
		(void)n;	/* if the keeper has gone, the proxy said so */
	}
#ifdef PROC_PRCTL
	/* SIGTERM as soon as the proxy dies (the keeper does the rest). */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
	if (dup2(in[0], STDIN_FILENO) == -1 ||
	    dup2(out[1], STDOUT_FILENO) == -1 ||
	    dup2(err[1], STDERR_FILENO) == -1)
		_exit(127);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

/* Watch for this child's exit. */
static struct proc *
proc_add(pid_t pid, proc_exit_cb cb, void *arg)
{
	struct proc	*p;

	p = xcalloc(1, sizeof *p);
	p->pid = pid;
	p->cb = cb;
	p->arg = arg;
	TAILQ_INSERT_TAIL(&procs, p, entry);
	return (p);
}

/*
 * Run cmd through /bin/sh in a new process group. On success the three fds
 * are the parent's ends of the child's stdin, stdout and stderr
 * (non-blocking, close-on-exec). Returns NULL on failure.
 */
struct proc *
proc_spawn(const char *cmd, int *in_fd, int *out_fd, int *err_fd,
    proc_exit_cb cb, void *arg)
{
	struct proc_group	*g;
	int			 in[2], out[2], err[2];
	pid_t			 pid;

	if (pipe2(in, O_CLOEXEC) == -1)
		return (NULL);
	if (pipe2(out, O_CLOEXEC) == -1)
		goto fail_in;
	if (pipe2(err, O_CLOEXEC) == -1)
		goto fail_out;

	switch (pid = fork()) {
	case -1:
		goto fail_err;
	case 0:
		proc_child(cmd, in, out, err);
		/* NOTREACHED */
	}
	setpgid(pid, pid);	/* also here, so killpg works at once */
	if (proc_keeper_fd != -1) {
		g = xcalloc(1, sizeof *g);
		g->pgid = pid;
		TAILQ_INSERT_TAIL(&proc_groups, g, entry);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	evutil_make_socket_nonblocking(in[1]);
	evutil_make_socket_nonblocking(out[0]);
	evutil_make_socket_nonblocking(err[0]);
	*in_fd = in[1];
	*out_fd = out[0];
	*err_fd = err[0];
	log_debug("%s: pid %ld: %s", __func__, (long)pid, cmd);
	return (proc_add(pid, cb, arg));

 fail_err:
	close(err[0]);
	close(err[1]);
 fail_out:
	close(out[0]);
	close(out[1]);
 fail_in:
	close(in[0]);
	close(in[1]);
	return (NULL);
}

/* The group is gone or has had SIGKILL: the keeper can let it go. */
static void
proc_release(pid_t pgid)
{
	struct proc_group	*g;
	pid_t			 v = -pgid;

	TAILQ_FOREACH(g, &proc_groups, entry) {
		if (g->pgid == pgid)
			break;
	}
	if (g == NULL)
		return;
	TAILQ_REMOVE(&proc_groups, g, entry);
	free(g);
	if (proc_keeper_fd != -1 &&
	    write(proc_keeper_fd, &v, sizeof v) != sizeof v)
		log_warn("%s: cannot tell the keeper", __func__);
}

/* The child's pid. */
pid_t
proc_pid(struct proc *p)
{
	return (p->pid);
}

/* Send a signal to a whole process group; after SIGKILL it is let go. */
void
proc_kill_group(pid_t pgid, int sig)
{
	if (killpg(pgid, sig) == -1 && errno != ESRCH)
		log_warn("%s: killpg %ld", __func__, (long)pgid);
	if (sig == SIGKILL)
		proc_release(pgid);
}

/* Has every process of the group exited? Then it is let go. */
int
proc_group_gone(pid_t pgid)
{
	if (!proc_group_empty(pgid))
		return (0);
	proc_release(pgid);
	return (1);
}

/* Stop reporting this child's exit (it is still reaped). */
void
proc_forget(struct proc *p)
{
	p->cb = NULL;
	p->arg = NULL;
}

/* Reap every exited child (adopted ones too) and tell the owners. */
static void
proc_sigchld_cb(evutil_socket_t sig, short events, void *arg)
{
	struct proc	*p, *p1;
	pid_t		 pid;
	int		 status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		TAILQ_FOREACH_SAFE(p, &procs, entry, p1) {
			if (p->pid != pid)
				continue;
			TAILQ_REMOVE(&procs, p, entry);
			if (p->cb != NULL)
				p->cb(p, status, p->arg);
			free(p);
			break;
		}
	}
}

/*
 * Stop watching children; forget the ones still running. Groups still held
 * stay with the keeper, which stops them once the proxy has exited.
 */
void
proc_free(void)
{
	struct proc		*p;
	struct proc_group	*g;

	while ((p = TAILQ_FIRST(&procs)) != NULL) {
		TAILQ_REMOVE(&procs, p, entry);
		free(p);
	}
	while ((g = TAILQ_FIRST(&proc_groups)) != NULL) {
		TAILQ_REMOVE(&proc_groups, g, entry);
		free(g);
	}
	event_free(proc_sigchld);
}

/*
 * Find our own executable, once, at start (before any chdir): from
 * _NSGetExecutablePath on macOS, a /proc link where configure found one,
 * else argv[0], as a path or looked up in PATH. NULL if not found.
 */
void
proc_self_find(const char *argv0)
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
	    (proc_self = realpath(path, NULL)) != NULL)
		return;
#endif
#ifdef PROC_SELF_EXE
	if ((n = readlink(PROC_SELF_EXE, path, sizeof path - 1)) > 0) {
		path[n] = '\0';
		if (access(path, X_OK) == 0) {
			proc_self = xstrdup(path);
			return;
		}
	}
#endif
	if (argv0 == NULL || *argv0 == '\0')
		return;
	if (strchr(argv0, '/') != NULL)
		proc_self = realpath(argv0, NULL);
	else
		proc_self = proc_self_search(argv0);
}

/* Look a command name up in PATH, as the shell that ran us did. */
static char *
proc_self_search(const char *name)
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
proc_self_path(void)
{
	return (proc_self);
}
