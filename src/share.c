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
 * One app-server per user and CODEX_HOME (--share-upstream). Its socket
 * lives in a private directory named for CODEX_HOME; the first proxy that
 * finds nobody listening there starts it, and every proxy attaches to it
 * as to any listening app-server (unix://). The app-server belongs to a
 * small process of its own, codex-mcp-proxy --share-serve DIR, outside
 * every proxy's session, so it outlives the proxy that started it. Each
 * proxy holds a shared lock on DIR/users while it runs; once that lock has
 * been free for --share-idle seconds, the server process stops the
 * app-server's group and exits. Locks go with their process, however it
 * ends, so a killed proxy is not counted.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "proxy.h"

#define SHARE_POLL_MS	100	/* how often the server looks at its users */
#define SHARE_STOP_MS	2000	/* from SIGTERM to SIGKILL */
#define SHARE_SOCKET	"app-server.sock"

static char	*share_dir;
static char	*share_url;
static volatile sig_atomic_t share_stop;

static int	 share_private_dir(const char *, char **);
static int	 share_lock(const char *, int, int);
static int	 share_listening(const char *);
static int	 share_spawn(char **);
static pid_t	 share_run_app_server(const char *);
static void	 share_stop_group(pid_t);
static void	 share_signal(int);
static void	 share_sleep(int);

/* Make dir if needed and check it is ours and private (0700). */
static int
share_private_dir(const char *dir, char **cause)
{
	struct stat	st;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		xasprintf(cause, "cannot make %s: %s", dir, strerror(errno));
		return (-1);
	}
	if (lstat(dir, &st) == -1 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
		xasprintf(cause, "%s is not a private directory of ours (it "
		    "must be 0700, owned by uid %ld)", dir, (long)geteuid());
		return (-1);
	}
	return (0);
}

/*
 * Open (creating) the lock file name in the directory and lock all of it,
 * shared (F_RDLCK) or not (F_WRLCK), waiting for it or not: the descriptor,
 * whose close unlocks, or -1. (POSIX locks: a process must not open the
 * file twice, as any close would drop its lock.)
 */
static int
share_lock(const char *name, int type, int wait)
{
	struct flock	 fl;
	char		*path;
	int		 fd;

	xasprintf(&path, "%s/%s", share_dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(path);
	if (fd == -1)
		return (-1);
	memset(&fl, 0, sizeof fl);
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	while (fcntl(fd, wait ? F_SETLKW : F_SETLK, &fl) == -1) {
		if (errno != EINTR) {
			close(fd);
			return (-1);
		}
	}
	return (fd);
}

/* Does something accept connections on the unix socket path? */
static int
share_listening(const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd, ok;

	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return (0);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	ok = connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0;
	close(fd);
	return (ok);
}

/*
 * The directory for this CODEX_HOME, made private, and the proxy counted
 * as a user of its app-server for as long as it runs: the unix:// URL to
 * attach to, or NULL with *cause.
 */
const char *
share_init(char **cause)
{
	const char	*home = getenv("CODEX_HOME"), *base;
	unsigned char	 digest[SHA256_DIGEST_LENGTH];
	char		 real[PATH_MAX], *fallback = NULL, *top, hex[17];
	size_t		 i;
	int		 fd;

	if (home == NULL || *home == '\0') {
		xasprintf(&fallback, "%s/.codex", getenv("HOME") != NULL ?
		    getenv("HOME") : "");
		home = fallback;
	}
	if (realpath(home, real) == NULL)
		snprintf(real, sizeof real, "%s", home);
	free(fallback);
	SHA256((unsigned char *)real, strlen(real), digest);
	for (i = 0; i < 8; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	if ((base = getenv("XDG_RUNTIME_DIR")) == NULL || *base != '/')
		base = getenv("TMPDIR");
	if (base == NULL || *base != '/')
		base = "/tmp";
	xasprintf(&top, "%s/%s-%ld", base, PROXY_NAME, (long)geteuid());
	if (share_private_dir(top, cause) != 0) {
		free(top);
		return (NULL);
	}
	xasprintf(&share_dir, "%s/share-%s", top, hex);
	free(top);
	if (share_private_dir(share_dir, cause) != 0)
		return (NULL);
	if ((fd = share_lock("users", F_RDLCK, 1)) == -1) {
		xasprintf(cause, "cannot lock %s/users: %s", share_dir,
		    strerror(errno));
		return (NULL);
	}
	/* fd stays open, and locked, until the proxy exits. */
	xasprintf(&share_url, "unix://%s/%s", share_dir, SHARE_SOCKET);
	log_info("sharing the app-server of %s in %s", real, share_dir);
	return (share_url);
}

/*
 * Before a connection: if no shared app-server listens, start one (one
 * proxy at a time, under DIR/start) and wait until it does. -1 with *cause
 * if it cannot be started.
 */
int
share_ensure(char **cause)
{
	char	*sock;
	int	 fd, rc = 0;

	xasprintf(&sock, "%s/%s", share_dir, SHARE_SOCKET);
	if (!share_listening(sock)) {
		if ((fd = share_lock("start", F_WRLCK, 1)) == -1) {
			xasprintf(cause, "cannot lock %s/start: %s", share_dir,
			    strerror(errno));
			free(sock);
			return (-1);
		}
		if (!share_listening(sock))
			rc = share_spawn(cause);
		close(fd);
	}
	free(sock);
	return (rc);
}

/*
 * Start codex-mcp-proxy --share-serve in a session of its own, not our
 * child (it must outlive us), and read its first line: "ok" once the
 * app-server listens, or why it does not.
 */
static int
share_spawn(char **cause)
{
	const char	*self = self_path();
	char		 line[512], timeout[16], idle[16], *log;
	int		 fd[2], null;
	ssize_t		 n;
	size_t		 got = 0;
	pid_t		 pid;

	if (self == NULL) {
		xasprintf(cause, "cannot find the proxy's own executable");
		return (-1);
	}
	if (pipe2(fd, O_CLOEXEC) == -1) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		return (-1);
	}
	snprintf(timeout, sizeof timeout, "%d", opts.start_timeout);
	snprintf(idle, sizeof idle, "%d", opts.share_idle);
	fflush(NULL);
	xasprintf(&log, "%s/server.log", share_dir);
	if ((pid = fork()) == 0) {
		setsid();
		if (fork() != 0)
			_exit(0);
		/* Nothing of the proxy's: not its stdin, stdout or stderr. */
		dup2(fd[1], STDOUT_FILENO);
		if ((null = open("/dev/null", O_RDONLY)) != -1)
			dup2(null, STDIN_FILENO);
		if ((null = open(log, O_WRONLY | O_APPEND | O_CREAT, 0600)) !=
		    -1)
			dup2(null, STDERR_FILENO);
		execl(self, PROXY_NAME, "--share-serve", share_dir,
		    "--upstream-cmd", opts.upstream_cmd, "--start-timeout",
		    timeout, "--share-idle", idle, (char *)NULL);
		dprintf(STDOUT_FILENO, "cannot run %s: %s\n", self,
		    strerror(errno));
		_exit(1);
	}
	free(log);
	close(fd[1]);
	if (pid != -1)
		waitpid(pid, NULL, 0);
	while (got < sizeof line - 1 && (n = read(fd[0], line + got,
	    sizeof line - 1 - got)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			break;
		got += n;
		if (memchr(line, '\n', got) != NULL)
			break;
	}
	close(fd[0]);
	line[got] = '\0';
	line[strcspn(line, "\n")] = '\0';
	if (strcmp(line, "ok") == 0)
		return (0);
	xasprintf(cause, "the shared app-server did not start: %s",
	    *line != '\0' ? line : "its server process exited");
	return (-1);
}

/* Run the app-server command listening on sock, in a group of its own. */
static pid_t
share_run_app_server(const char *sock)
{
	char	*cmd, *log;
	int	 fd;
	pid_t	 pid;

	xasprintf(&cmd, "%s --listen unix://%s", opts.upstream_cmd, sock);
	xasprintf(&log, "%s/app-server.log", share_dir);
	if ((pid = fork()) == 0) {
		setpgid(0, 0);
		if ((fd = open(log, O_WRONLY | O_APPEND | O_CREAT, 0600)) !=
		    -1) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		setpgid(pid, pid);
	free(cmd);
	free(log);
	return (pid);
}

/* Stop the app-server's group: SIGTERM, then SIGKILL if it lingers. */
static void
share_stop_group(pid_t pid)
{
	int	ms;

	kill(-pid, SIGTERM);
	for (ms = 0; ms < SHARE_STOP_MS; ms += SHARE_POLL_MS) {
		if (kill(-pid, 0) == -1 && errno == ESRCH)
			return;
		waitpid(pid, NULL, WNOHANG);
		share_sleep(SHARE_POLL_MS);
	}
	kill(-pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* SIGTERM, SIGINT or SIGHUP: stop the app-server and exit. */
static void
share_signal(int sig)
{
	(void)sig;
	share_stop = 1;
}

/* Sleep ms milliseconds (a signal may cut it short). */
static void
share_sleep(int ms)
{
	struct timespec	ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

/*
 * Be the server process of the shared app-server in dir (stdout: the
 * pipe to the proxy that started us): start the app-server, say "ok" once
 * it listens, then stop it once no proxy has been a user for --share-idle
 * seconds, or when it exits by itself.
 */
int
share_serve(const char *dir)
{
	struct timespec	 started, now;
	char		*sock;
	int		 fd, status, idle_ms = 0, null;
	pid_t		 pid;

	share_dir = xstrdup(dir);
	xasprintf(&sock, "%s/%s", dir, SHARE_SOCKET);
	signal(SIGTERM, share_signal);
	signal(SIGINT, share_signal);
	signal(SIGHUP, share_signal);
	unlink(sock);
	if ((pid = share_run_app_server(sock)) == -1) {
		printf("fork: %s\n", strerror(errno));
		return (1);
	}
	log_info("shared app-server (pid %ld) starting in %s", (long)pid, dir);
	clock_gettime(CLOCK_MONOTONIC, &started);
	while (!share_listening(sock)) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (waitpid(pid, &status, WNOHANG) == pid || share_stop ||
		    now.tv_sec - started.tv_sec >= opts.start_timeout) {
			printf("it did not listen on %s (see %s/app-server."
			    "log)\n", sock, dir);
			share_stop_group(pid);
			unlink(sock);
			return (1);
		}
		share_sleep(SHARE_POLL_MS / 2);
	}
	printf("ok\n");
	fflush(stdout);
	if ((null = open("/dev/null", O_WRONLY)) != -1)
		dup2(null, STDOUT_FILENO);
	while (!share_stop && waitpid(pid, &status, WNOHANG) != pid) {
		share_sleep(SHARE_POLL_MS);
		if ((fd = share_lock("users", F_WRLCK, 0)) == -1 &&
		    errno != EAGAIN && errno != EACCES) {
			log_warn("shared app-server: cannot lock %s/users; "
			    "stopping it", dir);
			break;
		}
		if (fd == -1) {
			idle_ms = 0;
			continue;
		}
		close(fd);
		if ((idle_ms += SHARE_POLL_MS) >= opts.share_idle * 1000) {
			log_info("shared app-server unused for %d s; stopping "
			    "it", opts.share_idle);
			break;
		}
	}
	share_stop_group(pid);
	unlink(sock);
	free(sock);
	free(share_dir);
	return (0);
}
