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
 * Who may use the HTTP front: the Host and Origin headers must name an
 * allowed host (loopback by default, against DNS rebinding), and with
 * --auth-token-file every request needs that bearer token.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/http.h>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "proxy.h"

static unsigned char	 access_token[SHA256_DIGEST_LENGTH];
static int		 access_have_token;
static char		**access_hosts;

/* Say once, at the start, who may use a front that asks for no token. */
static void
access_warn_open(void)
{
	if (opts.listen_loopback)
		log_warnx("no --auth-token-file: any local user can start "
		    "turns and read every conversation, and a local web page "
		    "whose Origin names a host of --allowed-hosts, on any "
		    "port, passes the Origin check");
	else
		log_warnx("no --auth-token-file: anyone who can reach %s can "
		    "start turns and read every conversation",
		    opts.listen_host);
}

/* Read the token file (the first line, without surrounding blanks). */
void
access_init(void)
{
	char		*p, *cause, *copy, *h, *last;
	size_t		 n = 0;

	if (opts.auth_token_file != NULL) {
		if ((p = file_secret(opts.auth_token_file, &cause)) == NULL)
			fatalx("%s", cause);
		SHA256((unsigned char *)p, strlen(p), access_token);
		OPENSSL_cleanse(p, strlen(p));
		free(p);
		access_have_token = 1;
	}
	if (!access_have_token)
		access_warn_open();
	copy = xstrdup(opts.allowed_hosts);
	access_hosts = xcalloc(1, sizeof *access_hosts);
	for (h = strtok_r(copy, ", \t", &last); h != NULL;
	    h = strtok_r(NULL, ", \t", &last)) {
		access_hosts = xrealloc(access_hosts, (n + 2) *
		    sizeof *access_hosts);
		access_hosts[n++] = xstrdup(h);
		access_hosts[n] = NULL;
	}
	free(copy);
}

/* Free the allow-list. */
void
access_free(void)
{
	size_t	i;

	for (i = 0; access_hosts != NULL && access_hosts[i] != NULL; i++)
		free(access_hosts[i]);
	free(access_hosts);
	access_hosts = NULL;
}

/* Is the host in "host[:port]" or "[v6]:port" an allowed one? */
static int
access_host_ok(const char *hostport)
{
	char		 host[256];
	const char	*end;
	size_t		 n, i;

	if (*hostport == '[') {
		if ((end = strchr(hostport, ']')) == NULL)
			return (0);
		hostport++;
	} else if ((end = strchr(hostport, ':')) == NULL)
		end = hostport + strlen(hostport);
	n = end - hostport;
	if (n == 0 || n >= sizeof host)
		return (0);
	memcpy(host, hostport, n);
	host[n] = '\0';
	for (i = 0; access_hosts[i] != NULL; i++) {
		if (strcmp(access_hosts[i], "*") == 0 ||
		    strcasecmp(access_hosts[i], host) == 0)
			return (1);
	}
	return (0);
}

/* Is an Origin header ("scheme://host[:port]") from an allowed host? */
static int
access_origin_ok(const char *origin)
{
	const char	*p = strstr(origin, "://");

	if (strcmp(origin, "null") == 0 || p == NULL)
		return (0);
	return (access_host_ok(p + 3));
}

/* Does the request carry the bearer token? (Compared in constant time.) */
static int
access_token_ok(struct evhttp_request *req)
{
	const char	*h = evhttp_find_header(
			    evhttp_request_get_input_headers(req),
			    "Authorization");
	unsigned char	 digest[SHA256_DIGEST_LENGTH];

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return (0);
	for (h += 7; *h == ' '; h++)
		;
	SHA256((const unsigned char *)h, strlen(h), digest);
	return (CRYPTO_memcmp(digest, access_token, sizeof digest) == 0);
}

/*
 * May this request go on? If not, it has been answered: 403 for a Host or
 * Origin that is not allowed, 401 without the right token.
 */
int
http_access(struct evhttp_request *req)
{
	struct evkeyvalq	*in = evhttp_request_get_input_headers(req);
	const char		*host = evhttp_find_header(in, "Host");
	const char		*origin = evhttp_find_header(in, "Origin");

	if ((host != NULL && !access_host_ok(host)) ||
	    (origin != NULL && !access_origin_ok(origin))) {
		log_info("refused a request with Host %s, Origin %s",
		    host != NULL ? host : "-", origin != NULL ? origin : "-");
		http_reply_error(req, 403, "Forbidden", RPC_INVALID_REQUEST,
		    "Host or Origin not allowed");
		return (0);
	}
	if (!access_have_token || access_token_ok(req))
		return (1);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "WWW-Authenticate", evhttp_find_header(in, "Authorization") ?
	    "Bearer realm=\"codex-mcp-proxy\", error=\"invalid_token\"" :
	    "Bearer realm=\"codex-mcp-proxy\"");
	http_reply_error(req, 401, "Unauthorized", RPC_INVALID_REQUEST,
	    "a valid bearer token is required");
	return (0);
}
