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
 * The one private header: every struct and cross-file prototype, grouped by
 * the file that implements it. See DESIGN.md for the layers.
 */

#ifndef PROXY_H
#define PROXY_H

#include <sys/types.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include <json-c/json.h>

#include "compat.h"	/* <sys/queue.h>, u_int, timersub, pipe2, ... */

#define PROXY_NAME		"codex-mcp-proxy"
#define MCP_LATEST_VERSION	"2025-11-25"
#define MCP_MODERN_VERSION	"2026-07-28"
#define DEFAULT_MAX_MESSAGE	(64 * 1024 * 1024)
#define DEFAULT_MAX_ANSWER	(4 * 1024 * 1024)
#define DEFAULT_MAX_SESSIONS	1024
#define DEFAULT_MAX_TURNS	256
#define DEFAULT_MAX_SESSION_TURNS 64

/* JSON-RPC error codes. */
#define RPC_PARSE_ERROR		-32700
#define RPC_INVALID_REQUEST	-32600
#define RPC_METHOD_NOT_FOUND	-32601
#define RPC_INVALID_PARAMS	-32602
#define RPC_INTERNAL_ERROR	-32603
#define RPC_UPSTREAM_GONE	-32000
#define RPC_HEADER_MISMATCH	-32020	/* 2026-07-28 */
#define RPC_MISSING_CAPABILITY	-32021
#define RPC_UNSUPPORTED_VERSION	-32022
#define RPC_OVERLOADED		-32001	/* a limit is reached: try later */

struct mcp_session;
struct upstream;
struct reply;
struct task;
struct approval;

/* Which app-server API to speak (--api). */
enum api_choice {
	API_AUTO,
	API_V1,
	API_V2
};

/* What to do with codex's requests for approval (--approvals). */
enum approval_policy {
	APPROVALS_ASK,
	APPROVALS_ACCEPT,
	APPROVALS_DECLINE
};

/* Settings from the command line. */
struct options {
	const char	*upstream_cmd;
	char		*upstream_cmd_owned;
	const char	*log_file;
	int		 verbose;
	size_t		 max_message;
	size_t		 max_answer;		/* bytes of an answer kept */
	int		 start_timeout;		/* seconds */
	int		 resume_retry;		/* seconds */
	enum api_choice	 api;
	enum approval_policy approvals;
	int		 approval_timeout;	/* seconds */
	int		 turn_timeout;		/* seconds, 0 for none */
	char		*listen_host;		/* --listen: HTTP mode */
	int		 listen_port;
	int		 listen_loopback;	/* it binds loopback only */
	const char	*auth_token_file;
	const char	*tls_cert;
	const char	*tls_key;
	const char	*allowed_hosts;		/* comma-separated */
	int		 insecure_no_auth;
	int		 session_idle;		/* seconds, 0 for never */
	size_t		 max_header_size;	/* bytes, an HTTP request's */
	int		 request_timeout;	/* seconds, 0 for none */
	int		 max_connections;	/* 0: as the fd limit allows */
	int		 max_sessions;		/* HTTP sessions, 0: no limit */
	int		 max_turns;		/* running at once, 0: no limit */
	int		 max_session_turns;	/* ...in one session */
	int		 drain_timeout;		/* seconds */
	const char	*trace_file;
	int		 trace_deltas;		/* --trace-level all */
	char		**redact;		/* --redact patterns */
	size_t		 nredact;
	const char	*upstream_url;		/* a listening app-server */
	const char	*upstream_token_file;
	const char	*upstream_secret_file;	/* signs a JWT */
	const char	*upstream_issuer;	/* its iss claim */
	const char	*upstream_audience;	/* its aud claim */
	const char	*upstream_ca;
	int		 upstream_insecure;	/* wss:// unverified */
	int		 share_upstream;	/* one app-server per user */
	int		 share_idle;		/* seconds it outlives its users */
	const char	*share_serve;		/* be the shared one's server */
	const char	*serve_replay;		/* be the replay app-server */
	int		 keeper;		/* be the keeper (keeper.c) */
	const char	*request_state_key;	/* file: shared HMAC key */
	int		 task_after;		/* seconds until a call is a task */
	int		 thread_idle;		/* seconds until an idle thread
						   is given back, 0: never */
};

/* base64.c */
char		*base64url_encode(const void *, size_t);
unsigned char	*base64_decode(const char *, size_t, int, size_t *);

/* request_state.c: sealed requestState of input_required results. */
void		 request_state_init(const char *);
char		*request_state_seal(json_object *);
json_object	*request_state_open(const char *, const char **);

/* redact.c: secrets out of everything written down. */
void		 redact_init(char **, size_t);
void		 redact_free(void);
int		 redact_key(const char *);
char		*redact_text(const char *);
void		 redact_json(struct evbuffer *, json_object *);
char		*redact_json_text(json_object *);

/* trace.c: the JSONL trace of all four directions. */
void		 trace_open(const char *, int);
int		 trace_on(void);
void		 trace_reopen(void);
void		 trace_tap(const char *, const char *, u_int, json_object *,
		     const char *, size_t);
void		 trace_close(void);

/* replay.c: the proxy as its own app-server, from a trace. */
int		 replay_main(const char *);
int		 replay_serve(FILE *, FILE *);
void		 replay_check(const char *);

/* options.c */
void		 options_parse(int, char **);
void		 options_free(void);

/* main.c */
extern struct event_base	*proxy_base;
extern struct options		 opts;
void		 proxy_shutdown(const char *);

/* log.c */
void		 log_open(const char *, int);
void		 log_close(void);
void		 log_reopen(void);
void		 log_message(const char *, json_object *, const char *);
int		 log_level(void);
void		 log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void		 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void		 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void		 log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void
		 fatal(const char *, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void
		 fatalx(const char *, ...) __attribute__((format(printf, 1, 2)));

/* image.c: the images of a prompt. */
#define IMAGE_MAX	(20 * 1024 * 1024)	/* bytes of one image */
char		*image_check(const char *, char **);

/* file.c */
FILE		*file_read(const char *);
FILE		*file_append(const char *);
char		*file_secret(const char *, char **);

/* jwt.c */
char		*jwt_hs256(const char *, int, const char *, const char *);

/* xmalloc.c */
void		*xmalloc(size_t);
void		*xcalloc(size_t, size_t);
void		*xrealloc(void *, size_t);
char		*xstrdup(const char *);
char		*xstrndup(const char *, size_t);
char		*xstrdup_null(const char *);
int		 xasprintf(char **, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
int		 xvasprintf(char **, const char *, va_list)
		     __attribute__((format(printf, 2, 0)));
char		*xevbuffer_string(struct evbuffer *);
void		 xrandom_hex(char *, size_t);

/* timefmt.c */
#define TIMEFMT_LEN	32
char		*timefmt(char *, const struct timeval *, int);

/* json.c */
const char	*json_str(json_object *, const char *);
json_object	*json_typed(json_object *, const char *, enum json_type,
		     char **);
json_object	*json_needed(json_object *, const char *, enum json_type,
		     char **);
json_object	*json_obj(json_object *, const char *);
json_object	*json_path(json_object *, const char *);
const char	*json_path_str(json_object *, const char *);
void		 json_set_str(json_object *, const char *, const char *);
void		 json_set_copy(json_object *, const char *, json_object *);
json_object	*json_parse(const char *, size_t, const char **);
int		 json_has_nul(const char *, size_t);
const char	*json_text(json_object *);
int		 json_id_valid(json_object *);
int		 json_id_equal(json_object *, json_object *);

/* json_write.c */
void		 json_write(struct evbuffer *, json_object *);

/* jscan.c: strict JSON members found without a tree, for the hot path. */
struct jscan_want {
	const char	*parent;	/* NULL: a member of the top object */
	const char	*key;
	int		 seen;		/* how often (more: a duplicate) */
	int		 type;		/* its first byte: '"', '{', ... */
	const char	*at;		/* a string's contents, as written */
	size_t		 len;
	int		 escaped;	/* they need jscan_decode */
};
int		 jscan(const char *, size_t, struct jscan_want *, size_t);
size_t		 jscan_decode(const char *, size_t, char *);

/* utf8.c */
size_t		 utf8_char(const char *, size_t, int *);
int		 utf8_valid(const char *, size_t);
char		*utf8_fix(char *, size_t *);
size_t		 utf8_cut(const char *, size_t, size_t);

/* rpc.c: JSON-RPC envelopes; versioned adds "jsonrpc":"2.0" (MCP does). */
json_object	*rpc_request(int, int64_t, const char *, json_object *);
json_object	*rpc_notification(int, const char *, json_object *);
json_object	*rpc_result(int, json_object *, json_object *);
json_object	*rpc_error(int, json_object *, int, const char *);

/* lines.c */
struct lines {
	size_t		 scanned;	/* bytes already searched for a newline */
	int		 skipping;	/* discarding the rest of a too-long line */
};
#define LINES_NONE	0
#define LINES_OK	1
#define LINES_TOOLONG	2
int		 lines_next(struct lines *, struct evbuffer *, size_t, char **,
		     size_t *);

/* proc.c */
struct proc;
typedef void	 (*proc_exit_cb)(struct proc *, int, void *);
struct proc	*proc_spawn(const char *, int *, int *, int *, proc_exit_cb,
		     void *);
struct proc	*proc_watch(pid_t, proc_exit_cb, void *);
pid_t		 proc_pid(struct proc *);
void		 proc_kill_group(pid_t, int);
int		 proc_group_empty(pid_t);
int		 proc_group_gone(pid_t);
void		 proc_forget(struct proc *);
void		 proc_init(void);
void		 proc_free(void);

/* keeper.c: stops the app-servers' groups if the proxy dies */
void		 keeper_start(void);
void		 keeper_started(void);
void		 keeper_hold(pid_t);
void		 keeper_watch(pid_t);
void		 keeper_release(pid_t);
void		 keeper_free(void);
__attribute__((noreturn)) void
		 keeper_run(int);

/* self.c */
void		 self_find(const char *);
const char	*self_path(void);

/*
 * upstream.c: one codex app-server, spawned and restarted on demand. Replies
 * to requests arrive through an upstream_cb; the handshake, notifications,
 * server requests and the loss of the app-server through the handlers,
 * which are the dialect layer's.
 */
struct upstream_reply {
	json_object	*result;	/* borrowed; NULL on error */
	int		 code;		/* JSON-RPC error code */
	const char	*message;	/* error message */
};
typedef void	 (*upstream_cb)(void *, const struct upstream_reply *);
typedef void	 (*upstream_ready_cb)(void *, const char *);
struct upstream_handlers {
	void	(*initialized)(void *, const char *);
	int	(*line)(void *, const char *, size_t);	/* 1: taken whole */
	void	(*notification)(void *, const char *, json_object *);
	void	(*request)(void *, json_object *, const char *, json_object *);
	void	(*lost)(void *, const char *);
};
struct upstream	*upstream_new(const char *, const struct upstream_handlers *,
		     void *);
void		 upstream_free(struct upstream *);
void		 upstream_start(struct upstream *);
void		 upstream_set_ready(struct upstream *);
void		 upstream_ready(struct upstream *, upstream_ready_cb, void *);
int		 upstream_request(struct upstream *, const char *, json_object *,
		     upstream_cb, void *);
int		 upstream_request_traced(struct upstream *, const char *,
		     json_object *, const char *, upstream_cb, void *);
void		 upstream_respond(struct upstream *, json_object *,
		     json_object *);
void		 upstream_respond_error(struct upstream *, json_object *, int,
		     const char *);
void		 upstream_shutdown(struct upstream *, void (*)(void *), void *);
void		 upstream_hold(struct upstream *, int);
u_int		 upstream_generation(struct upstream *);
int		 upstream_usable(struct upstream *);
const char	*upstream_state_name(struct upstream *);

/* upstream.c: the one entry point of every transport, a whole message. */
void		 upstream_message(struct upstream *, char *, size_t);

/*
 * ws.c: a WebSocket client on a bufferevent. The owner gets whole text
 * messages (taking them), and closed exactly once, after which it frees it.
 */
struct ws;
struct ws_handlers {
	void	(*open)(void *);
	void	(*message)(void *, char *, size_t);
	void	(*closed)(void *, const char *);
};
struct ws	*ws_new(struct bufferevent *, const char *, const char *,
		     const char *, size_t, const struct ws_handlers *, void *);
void		 ws_free(struct ws *);
int		 ws_send(struct ws *, const char *, size_t);
int		 ws_close(struct ws *);

/* share.c: one app-server per user and CODEX_HOME (--share-upstream). */
const char	*share_init(char **);
int		 share_ensure(char **);
int		 share_serve(const char *);

/* upstream_ws.c: reaching a listening app-server (unix, ws, wss). */
int		 upstream_url_check(const char *, char **);
struct ws	*upstream_ws_connect(const char *, const struct ws_handlers *,
		     void *, char **);
void		 upstream_ws_free(void);

/*
 * The normalized model: what a dialect makes of the app-server's messages
 * and hands the bridge, whatever API generation the app-server speaks.
 */

/* The settings of one turn, as the bridge asks for them (strings owned). */
struct turn_args {
	char		*prompt;
	char		*thread_id;
	char		*approval_policy;
	char		*sandbox;
	char		*cwd;
	char		*model;
	char		*profile;
	char		*base_instructions;
	char		*developer_instructions;
	char		*compact_prompt;
	char		*reasoning_effort;
	json_object	*config;
	char		*traceparent;	/* W3C trace context of the call */
	char		**images;	/* absolute paths and data: URLs */
	size_t		 nimages;
	json_object	*output_schema;	/* the answer's JSON Schema, or NULL */
	char		*message_id;	/* the client's id of the prompt */
};

/* A codex event. */
enum cevent_type {
	CEV_TURN_STARTED,
	CEV_TEXT_DELTA,
	CEV_AGENT_MESSAGE,
	CEV_COMMAND_BEGIN,
	CEV_COMMAND_END,
	CEV_WARNING,
	CEV_ERROR,
	CEV_TURN_COMPLETED
};
enum message_phase {
	PHASE_UNKNOWN,		/* the release or model marks none */
	PHASE_COMMENTARY,
	PHASE_PARTIAL,
	PHASE_FINAL
};
enum turn_status {
	TURN_COMPLETED,
	TURN_INTERRUPTED,
	TURN_FAILED
};
struct cevent {
	enum cevent_type	 type;
	const char		*thread_id;
	const char		*turn_id;
	const char		*text;		/* delta, message, command, error */
	const char		*item_id;	/* CEV_COMMAND_BEGIN */
	const char		*cwd;		/* CEV_COMMAND_BEGIN */
	int			 will_retry;	/* CEV_ERROR */
	enum turn_status	 status;	/* CEV_TURN_COMPLETED */
	enum message_phase	 phase;		/* CEV_AGENT_MESSAGE */
	const char		*hidden;	/* ...why codex hid it, or NULL */
};

/* What went wrong with a request to the app-server. */
enum cerror_kind {
	CERR_GONE,		/* the app-server is not there */
	CERR_BUSY,		/* another process holds the thread */
	CERR_NOT_FOUND,		/* no such thread (loaded or at all) */
	CERR_NO_ROLLOUT,	/* no rollout on disk for the id */
	CERR_ARCHIVED,		/* the thread is archived */
	CERR_UNSUPPORTED,	/* this release cannot do that */
	CERR_OTHER
};
struct cerror {
	enum cerror_kind	 kind;
	const char		*message;
};

/* An approval codex asks for; the dialect owns it until it is answered. */
enum approval_kind {
	APPROVAL_COMMAND,
	APPROVAL_PATCH,
	APPROVAL_OTHER
};
enum approval_decision {
	DECISION_ACCEPT,
	DECISION_ACCEPT_SESSION,
	DECISION_DECLINE,
	DECISION_CANCEL
};
struct approval {
	enum approval_kind	 kind;
	const char		*method;
	const char		*thread_id;
	const char		*turn_id;
	const char		*item_id;
	const char		*command;
	const char		*cwd;
	const char		*reason;
};

/* What codex-list asks for. */
struct list_args {
	int		 limit;
	const char	*cursor;
	const char	*cwd;
	const char	*search;
	int		 archived;
	json_object	*sources;	/* source kinds wanted, or NULL: all */
	json_object	*providers;	/* model providers, or NULL: all */
	json_object	*thread_ids;	/* only these, or NULL */
};

/* One conversation in a list, and a page of them. */
struct thread_info {
	char		*id;
	char		*preview;
	char		*cwd;
	char		*created;	/* RFC 3339 */
	char		*updated;
	char		*provider;
	char		*source;	/* cli, vscode, exec, appServer, ... */
	int		 archived;
};
struct thread_list {
	struct thread_info *items;
	size_t		 n;
	char		*next_cursor;
	int		 searched;	/* the app-server applied search */
};

/* The models the app-server offers (model/list), and their efforts. */
struct model_info {
	char		*id;
	int		 is_default;
};
struct model_list {
	struct model_info *items;
	size_t		 n;
	char		**efforts;	/* every effort any of them takes */
	size_t		 nefforts;
};

/* A conversation's turns: each prompt and its last answer. */
struct turn_text {
	char		*prompt;
	char		*answer;
};
struct thread_turns {
	char		*thread_id;
	struct turn_text *turns;
	size_t		 n;
};

/* model.c: the normalized model's data. */
struct thread_info *thread_list_add(struct thread_list *, const char *,
		     const char *, const char *, const char *, const char *,
		     const char *, int);
void		 thread_list_free(struct thread_list *);
void		 thread_turns_add(struct thread_turns *, const char *,
		     const char *);
void		 thread_turns_free(struct thread_turns *);
void		 model_list_add(struct model_list *, const char *, int);
void		 model_list_effort(struct model_list *, const char *);
void		 model_list_free(struct model_list *);
void		 turn_args_free(struct turn_args *);
int		 turn_args_same(const struct turn_args *,
		     const struct turn_args *);

/*
 * dialect.c: the app-server as the bridge sees it. It owns the upstream and
 * is its message handler: it finds out which API the app-server speaks,
 * hands the bridge normalized events, approvals and error kinds, and turns
 * the bridge's intents into requests. Operations end by calling their
 * callback exactly once, with the result or an error.
 */
typedef void	 (*dialect_cb)(void *, const char *, const struct cerror *);
typedef void	 (*dialect_list_cb)(void *, const struct thread_list *,
		     const struct cerror *);
typedef void	 (*dialect_read_cb)(void *, const struct thread_turns *,
		     const struct cerror *);
typedef void	 (*dialect_models_cb)(const struct model_list *);
struct dialect_handlers {
	void	(*event)(const struct cevent *);
	void	(*approval)(struct approval *);
	void	(*lost)(const char *);
	void	(*models)(const struct model_list *);
};
void		 dialect_init(const char *, const struct dialect_handlers *);
void		 dialect_free(void);
void		 dialect_ready(upstream_ready_cb, void *);
u_int		 dialect_generation(void);
int		 dialect_usable(void);
const char	*dialect_state_name(void);
void		 dialect_shutdown(void (*)(void *), void *);
void		 dialect_hold(int);
void		 dialect_thread_start(const struct turn_args *, dialect_cb,
		     void *);
void		 dialect_thread_resume(const char *, const struct turn_args *,
		     dialect_cb, void *);
void		 dialect_turn_start(const char *, const struct turn_args *,
		     dialect_cb, void *);
void		 dialect_turn_interrupt(const char *, const char *, dialect_cb,
		     void *);
void		 dialect_list(const struct list_args *, dialect_list_cb, void *);
void		 dialect_archive(const char *, int, dialect_cb, void *);
void		 dialect_read(const char *, dialect_read_cb, void *);
void		 dialect_thread_unsubscribe(const char *);
void		 dialect_answer(struct approval *, enum approval_decision);
const char	*dialect_refuse(const struct turn_args *);
void		 dialect_leave(struct approval *);

/*
 * dialect_v1.c, dialect_v2.c: one app-server API generation each, and
 * dialect_common.c: what they share. Release quirks live in their dialect.
 */
struct dialect {
	const char	*name;
	void		 (*thread_start)(struct upstream *, const struct turn_args *,
			     dialect_cb, void *);
	void		 (*thread_resume)(struct upstream *, const char *,
			     const struct turn_args *, dialect_cb, void *);
	void		 (*turn_start)(struct upstream *, const char *,
			     const struct turn_args *, dialect_cb, void *);
	void		 (*turn_interrupt)(struct upstream *, const char *,
			     const char *, dialect_cb, void *);
	void		 (*list)(struct upstream *, const struct list_args *,
			     dialect_list_cb, void *);
	void		 (*archive)(struct upstream *, const char *, int,
			     dialect_cb, void *);
	void		 (*read)(struct upstream *, const char *,
			     dialect_read_cb, void *);
	int		 (*event)(const char *, json_object *, struct cevent *);
	int		 (*line_event)(const char *, size_t, struct cevent *);
	int		 (*approval)(const char *, json_object *,
			     struct approval *);
	json_object	*(*approval_answer)(enum approval_decision);
	enum cerror_kind (*error_kind)(const struct upstream_reply *);
	void		 (*reset)(int);		/* the process went; 1: at exit */
	const char	*(*refuse)(const struct turn_args *);
	void		 (*probed)(json_object *);	/* NULL: forced */
	void		 (*models)(struct upstream *, dialect_models_cb);
	void		 (*thread_unsubscribe)(struct upstream *, const char *);
};
extern const struct dialect dialect_v1;
extern const struct dialect dialect_v2;
void		 dialect_fail(dialect_cb, void *, enum cerror_kind,
		     const char *);
#define DIALECT_GONE	"the codex app-server is not running"
struct cerror	 dialect_error(const struct dialect *,
		     const struct upstream_reply *);
void		 dialect_reply_error(const struct dialect *, dialect_cb, void *,
		     const struct upstream_reply *);
void		 dialect_send(struct upstream *, const char *, json_object *,
		     upstream_cb, void *);
void		 dialect_send_traced(struct upstream *, const char *,
		     json_object *, const char *, upstream_cb, void *);
void		 dialect_request(const struct dialect *, struct upstream *,
		     const char *, json_object *, const char *, dialect_cb,
		     void *);
void		 dialect_request_traced(const struct dialect *,
		     struct upstream *, const char *, json_object *,
		     const char *, const char *, dialect_cb, void *);
char		*dialect_malformed(const char *, char *);
int		 dialect_unknown_method(const struct upstream_reply *);
enum cerror_kind dialect_common_kind(const struct upstream_reply *);
void		 dialect_restore_set(const char *, json_object *);
json_object	*dialect_restore_take(const char *);
void		 dialect_restore_free_all(void);
char		*dialect_time(int64_t);
int		 dialect_archived_path(const char *);

/* rollout.c: what codex wrote on disk about a conversation. */
json_object	*rollout_context(const char *);
char		*rollout_cwd(const char *);
int		 rollout_turns(const char *, struct thread_turns *);

/* threads.c: the conversations this proxy has seen, by id. */
struct call;
struct thread {
	char		*id;
	u_int		 loaded;	/* upstream generation that loaded it */
	struct call	*active;	/* the call running a turn on it */
	u_int		 foreign;	/* generation in which another client
					   of the app-server runs a turn */
	struct event	*idle;		/* --thread-idle, once a call ended */
};
void		 threads_init(void);
struct thread	*threads_get(const char *);
struct thread	*threads_find(const char *);
void		 threads_release(struct thread *);
void		 threads_sweep(void);
u_int		 threads_count(void);
void		 threads_free(void);

/* mcp.c: one MCP session, whatever the transport. */
struct mcp_front {
	/* Send msg; related is the client request it belongs to, or NULL. */
	void	(*send)(void *, json_object *, json_object *);
	/* The session's request runs on this thread; NULL: not told. */
	void	(*thread)(void *, const char *);
};

/* Log levels, as RFC 5424 orders them (MCP's notifications/message). */
enum mcp_level {
	LEVEL_DEBUG,
	LEVEL_INFO,
	LEVEL_NOTICE,
	LEVEL_WARNING,
	LEVEL_ERROR,
	LEVEL_CRITICAL,
	LEVEL_ALERT,
	LEVEL_EMERGENCY
};

/* Which MCP revisions a session serves (stdio pins it per process). */
enum mcp_era {
	ERA_OPEN,		/* nothing but probes so far */
	ERA_LEGACY,		/* 2025: initialize, a session */
	ERA_MODERN		/* 2026-07-28: stateless requests */
};

/*
 * What one request says about its client: a 2026-07-28 request its own
 * envelope, a 2025 one its session's initialize.
 */
struct mcp_context {
	int			 modern;	/* a 2026-07-28 request */
	json_object		*caps;		/* client capabilities (borrowed) */
	int			 log_level;	/* modern: least level, -1: none */
	const char		*traceparent;	/* W3C trace context, or NULL */
};

struct mcp_out;
struct mcp_session {
	const struct mcp_front	*front;
	void			*ctx;
	int			 references;
	int			 closed;
	enum mcp_era		 era;
	char			 name[40];	/* for the trace: stdio or an id */
	int			 initialized;	/* initialize was answered */
	char			*version;
	json_object		*client_caps;
	char			*client_name;

	enum mcp_level		 log_level;	/* least level sent */
	struct timeval		 log_window;	/* rate limit: this second */
	u_int			 log_sent;	/* ...and how many so far */
	u_int			 log_dropped;

	int64_t			 next_out;	/* ids of our own requests */
	TAILQ_HEAD(, mcp_out)	 outs;
	TAILQ_HEAD(, task)	 tasks;
	TAILQ_HEAD(, reply)	 replies;	/* requests being answered */
};
struct mcp_session *mcp_session_new(const struct mcp_front *, void *);
void		 mcp_session_close(struct mcp_session *);
void		 mcp_session_ref(struct mcp_session *);
void		 mcp_session_unref(struct mcp_session *);
void		 mcp_session_input(struct mcp_session *, const char *, size_t);
void		 mcp_session_name(struct mcp_session *, const char *);
void		 mcp_session_thread(struct mcp_session *, const char *);
void		 mcp_session_toolarge(struct mcp_session *, size_t);
void		 mcp_send(struct mcp_session *, json_object *, json_object *);
void		 mcp_send_result(struct mcp_session *, json_object *,
		     json_object *);
void		 mcp_send_error(struct mcp_session *, json_object *, int,
		     const char *, ...) __attribute__((format(printf, 4, 5)));
int		 mcp_session_tasks(struct mcp_session *);
int		 mcp_session_busy(struct mcp_session *);
int		 mcp_version_in(const char **, const char *);
int		 mcp_version_known(const char *);
json_object	*mcp_server_info(void);
json_object	*mcp_capabilities(void);
extern const char mcp_instructions[];

/* mcp_modern.c: the 2026-07-28 envelope, server/discover, result shapes. */
#define META_VERSION	"io.modelcontextprotocol/protocolVersion"
int		 modern_claimed(json_object *);
int		 modern_version_known(const char *);
json_object	*modern_envelope(json_object *, json_object *,
		     struct mcp_context *);
json_object	*modern_error(json_object *, int, const char *, json_object *);
void		 modern_request(struct mcp_session *, json_object *,
		     const char *, json_object *);
void		 modern_unclaimed(struct mcp_session *, json_object *,
		     const char *);
json_object	*modern_result(json_object *, const char *);
const char	*meta_traceparent(json_object *);
void		 mcp_backlog(int);
#define MCP_BACKLOG_HIGH	(1024 * 1024)	/* a client this far behind... */
#define MCP_BACKLOG_LOW		(512 * 1024)	/* ...holds codex until here */

/*
 * reply.c: one request being answered, the bridge's handle on the client:
 * its result (or a task's), progress, log messages, questions to the user
 * and cancellation.
 */
struct reply_ask;
typedef void	 (*reply_cancel_cb)(void *);
typedef void	 (*reply_approve_cb)(void *, enum approval_decision,
		     const char *);
struct reply	*reply_new(struct mcp_session *, json_object *, json_object *,
		     size_t, struct task *, const struct mcp_context *);
const char	*reply_traceparent(struct reply *);
void		 reply_thread(struct reply *, const char *);
void		 reply_on_cancel(struct reply *, reply_cancel_cb, void *);
void		 reply_send(struct reply *, json_object *);
struct mcp_session *reply_session(struct reply *);
void		 reply_progress(struct reply *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
void		 reply_progress_stop(struct reply *);
void		 reply_log(struct reply *, enum mcp_level, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
struct reply_ask *reply_approve(struct reply *, const char *, int,
		     reply_approve_cb, void *);
void		 reply_withdraw(struct reply_ask *, const char *);
int		 reply_cancel(struct mcp_session *, json_object *,
		     struct task *);
void		 replies_close(struct mcp_session *);
void		 reply_init(void);
void		 reply_free_all(void);

/* reply_input.c: 2026-07-28 questions, as input_required and the retry. */
void		 reply_resume(struct mcp_session *, json_object *,
		     json_object *, const struct mcp_context *);

/* tasks_ext.c: the tasks extension of 2026-07-28. */
#define EXT_TASKS	"io.modelcontextprotocol/tasks"
struct ext_task;
json_object	*ext_task_new(struct reply *);
void		 ext_task_progress(struct ext_task *, const char *);
void		 ext_task_input(struct ext_task *, int);
void		 ext_task_finish(struct ext_task *, json_object *);
void		 ext_tasks_request(struct mcp_session *, json_object *,
		     const char *, json_object *, const struct mcp_context *);
void		 ext_tasks_free(void);
int		 ext_tasks_declared(json_object *);

/* mcp_out.c: requests to the client (elicitation), with time limits. */
typedef void	 (*mcp_answer_cb)(void *, json_object *, const char *);
int		 mcp_caps_form(json_object *);
struct mcp_out	*mcp_elicit(struct mcp_session *, json_object *, json_object *,
		     const char *, json_object *, int, mcp_answer_cb, void *);
void		 mcp_out_cancel(struct mcp_out *, const char *);
void		 mcp_out_answer(struct mcp_session *, json_object *);
void		 mcp_out_close(struct mcp_session *);

/* mcp_notify.c: progress and log notifications. */
void		 mcp_progress(struct mcp_session *, json_object *, json_object *,
		     json_object *, double, const char *);
void		 mcp_log(struct mcp_session *, json_object *, json_object *,
		     enum mcp_level, enum mcp_level, const char *, const char *);
int		 mcp_level_parse(const char *, enum mcp_level *);

/* tasks.c: MCP tasks (2025-11-25). */
struct task	*task_new(struct mcp_session *, json_object *, json_object *);
json_object	*task_fields(const char *, const char *, const char *,
		     const struct timeval *, const struct timeval *);
json_object	*task_meta(struct task *);
void		 task_input(struct task *, int);
void		 task_finish(struct task *, json_object *);
void		 tasks_close(struct mcp_session *);
void		 tasks_request(struct mcp_session *, json_object *, const char *,
		     json_object *);

/* mcp_http.c: the Streamable HTTP front. */
struct evhttp;
struct evhttp_request;
void		 mcp_http_start(const char *, int);
void		 mcp_http_stop_listening(void);
void		 mcp_http_free(void);
u_int		 mcp_http_sessions(void);
void		 http_reply(struct evhttp_request *, int, const char *,
		     const char *, struct evbuffer *);
void		 http_reply_error(struct evhttp_request *, int, const char *,
		     int, const char *);
int		 http_wants(struct evhttp_request *, const char *,
		     const char *);

/* http_modern.c: the Streamable HTTP leg of 2026-07-28, one POST a call. */
int		 http_modern(struct evhttp_request *);
#define HTTP_KEEPALIVE_S	15	/* a comment on idle SSE streams */
void		 http_modern_keepalive(void);
void		 http_modern_free(void);

/* http_headers.c: the 2026-07-28 request headers, checked on the body. */
json_object	*http_headers_check(struct evhttp_request *, json_object *);

/* http_stream.c: a session's answers, plain or SSE, kept for a resume. */
struct http_stream;
struct http_streams {
	TAILQ_HEAD(, http_stream) list;
	struct http_stream	*get;		/* the GET stream, once opened */
	u_int			 next;		/* the next stream's number */
	json_object		*pending;	/* messages for the next GET */
	const char		*name;		/* the session, for the log */
	struct mcp_session	*mcp;		/* its version: priming or not */
};
void		 http_streams_init(struct http_streams *, const char *,
		     struct mcp_session *);
void		 http_streams_close(struct http_streams *);
void		 http_streams_keepalive(struct http_streams *);
u_int		 http_stream_open(struct http_streams *,
		     struct evhttp_request *, json_object *);
void		 http_stream_wait(struct http_streams *, u_int);
void		 http_stream_send(struct http_streams *, json_object *,
		     const char *, int);
int		 http_stream_get(struct http_streams *, struct evhttp_request *);
int		 http_stream_resume(struct http_streams *,
		     struct evhttp_request *, u_int, u_int);

/* http_access.c: Host, Origin and bearer token checks. */
void		 access_init(void);
void		 access_free(void);
int		 http_access(struct evhttp_request *);

/* http_lag.c: a streamed response whose client lags holds codex. */
struct http_lag {
	struct evhttp_request	*req;
	struct event		*timer;		/* while its client lags */
};
void		 http_lag_wrote(struct http_lag *, struct evhttp_request *);
void		 http_lag_end(struct http_lag *);

/* http_conn.c: the HTTP front's connections and their limits. */
struct evhttp_bound_socket;
void		 http_conns_setup(struct evhttp *, struct evhttp_bound_socket *);
void		 http_conns_stop(void);
void		 http_conns_free(void);
void		 http_conn_request(struct evhttp_request *);
void		 http_conn_watch(struct evhttp_request *, void (*)(void *),
		     void *);
void		 http_conn_orphan(struct evhttp_request *);

/* http_tls.c: HTTPS for the HTTP front. */
void		 http_tls_setup(void);
struct bufferevent *http_tls_bufferevent(struct event_base *);
int		 http_tls_on(void);
void		 http_tls_free(void);

/* mcp_stdio.c */
void		 mcp_stdio_start(void);
void		 mcp_stdio_stop(void (*)(void *), void *);
void		 mcp_stdio_free(void);

/* status.c: counters, /healthz and /metrics. */
void		 metrics_tool_result(size_t, json_object *);
void		 metrics_turn(enum turn_status);
void		 metrics_approval(enum approval_decision);
void		 metrics_upstream_start(void);
void		 metrics_bytes_in(size_t);
void		 metrics_bytes_out(size_t);
void		 metrics_http_in(struct evhttp_request *);
void		 metrics_http(int, struct evhttp_request *, size_t);
void		 metrics_latency(const struct timeval *);
void		 status_health(struct evhttp_request *);
void		 status_metrics(struct evhttp_request *);

/* tools.c: the tool table, argument checks and results. */
#define NTOOLS		6	/* codex, codex-reply, and four on conversations */
void		 tools_init(void);
void		 tools_free(void);
json_object	*tools_list(int);
json_object	*tools_def(const char *, int);
const char	*tools_name(size_t);
int		 tools_task_capable(size_t);
void		 tools_call(struct mcp_session *, json_object *, json_object *,
		     const struct mcp_context *);
json_object	*tool_error_result(const char *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
json_object	*tool_text_result(const char *, const char *);
json_object	*tool_content_result(const char *, json_object *, int);
void		 tools_models(const struct model_list *);

/* conversations.c: codex-list, codex-read, codex-archive, codex-unarchive. */
void		 conversations_list(struct reply *, json_object *);
void		 conversations_read(struct reply *, json_object *);
void		 conversations_archive(struct reply *, json_object *);
void		 conversations_unarchive(struct reply *, json_object *);

/* schema.c */
int		 schema_check(json_object *, json_object *, char **);
json_object	*schema_load(const char *);

/* schemas.c (generated from schemas/) */
struct schema_file {
	const char	*name;
	const char	*text;
};
extern const struct schema_file schema_files[];

/* bridge.c: one tool call = one turn. */
enum call_kind {
	CALL_NEW,
	CALL_REPLY
};
void		 bridge_init(void);
void		 bridge_call(struct reply *, enum call_kind, struct turn_args *);
u_int		 bridge_running(void);
const char	*bridge_full(struct mcp_session *);
void		 bridge_hold(int);
void		 bridge_shutdown(void);
void		 call_ref(struct call *);
void		 call_unref(struct call *);
void		 call_note(struct call *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
struct reply	*call_reply(struct call *);
struct approval_waits *call_approvals(struct call *);

/* approval.c: codex's requests for approval, decided or asked. */
struct approval_wait;
TAILQ_HEAD(approval_waits, approval_wait);
void		 approval_request(struct approval *);
void		 approvals_drop(struct approval_waits *, const char *);

#endif /* PROXY_H */
