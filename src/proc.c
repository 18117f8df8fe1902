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
 * reaps them. keeper.c stops the groups still running if the proxy dies.
 */

#include <sys/types.h>
#include <sys/wait.h>
#if defined(HAVE_SYS_PRCTL_H) && defined(HAVE_PRCTL)
#include <sys/prctl.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proxy.h"

#if defined(HAVE_PRCTL) && defined(PR_SET_CHILD_SUBREAPER) && \
    defined(PR_SET_PDEATHSIG)
#define PROC_PRCTL 1
#endif

struct proc {
	pid_t			 pid;
	proc_exit_cb		 cb;
	void			*arg;
	TAILQ_ENTRY(proc)	 entry;
};
static TAILQ_HEAD(, proc) procs = TAILQ_HEAD_INITIALIZER(procs);
static struct event	*proc_sigchld;

static void	 proc_sigchld_cb(evutil_socket_t, short, void *);
static void	 proc_child(const char *, int[2], int[2], int[2]);

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

	setpgid(0, 0);
	keeper_hold(getpid());
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
struct proc *
proc_watch(pid_t pid, proc_exit_cb cb, void *arg)
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
	int	 in[2], out[2], err[2];
	pid_t	 pid;

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
	keeper_watch(pid);
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
	return (proc_watch(pid, cb, arg));

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
		keeper_release(pgid);
}

/* Has every process of the group exited? */
int
proc_group_empty(pid_t pgid)
{
	return (killpg(pgid, 0) == -1 && errno == ESRCH);
}

/* Has every process of the group exited? Then it is let go. */
int
proc_group_gone(pid_t pgid)
{
	if (!proc_group_empty(pgid))
		return (0);
	keeper_release(pgid);
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
	struct proc	*p;

	while ((p = TAILQ_FIRST(&procs)) != NULL) {
		TAILQ_REMOVE(&procs, p, entry);
		free(p);
	}
	keeper_free();
	event_free(proc_sigchld);
}

