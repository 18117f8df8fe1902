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
 * Reaching a codex app-server that listens: the --upstream URL forms
 * (unix://PATH, ws://HOST:PORT/PATH, wss://HOST:PORT/PATH), the socket and
 * TLS (certificate and host name verified) under the WebSocket, and the
 * bearer token its --ws-auth wants.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include <event2/bufferevent_ssl.h>
#include <event2/dns.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "proxy.h"

#define UPSTREAM_JWT_TTL	60	/* seconds a signed token is good for */

enum url_kind {
	URL_UNIX,
	URL_WS,
	URL_WSS
};

struct url {
	enum url_kind	 kind;
	char		*host;		/* or the socket's path */
	int		 port;
	char		*resource;	/* the path of the GET */
};

static SSL_CTX		*upstream_tls_ctx;
static struct evdns_base *upstream_dns;	/* names resolve without blocking */

static int	 url_parse(const char *, struct url *, char **);
static void	 url_free(struct url *);
static char	*upstream_ws_auth(char **);
static struct bufferevent *upstream_ws_socket(const struct url *, char **);
static struct bufferevent *upstream_ws_tls(const struct url *, char **);

/*
 * Split an --upstream URL into u (the caller frees it with url_free); -1
 * with *cause if it is not one.
 */
static int
url_parse(const char *s, struct url *u, char **cause)
{
	const char	*hp, *slash, *colon;
	char		*end;
	long		 port;

	memset(u, 0, sizeof *u);
	if (strncmp(s, "unix://", 7) == 0) {
		u->kind = URL_UNIX;
		if (s[7] == '\0' || strlen(s + 7) >=
		    sizeof ((struct sockaddr_un *)0)->sun_path) {
			xasprintf(cause, "%s: the socket path is empty or too "
			    "long", s);
			return (-1);
		}
		u->host = xstrdup(s + 7);
		u->resource = xstrdup("/");
		return (0);
	}
	if (strncmp(s, "ws://", 5) == 0) {
		u->kind = URL_WS;
		hp = s + 5;
	} else if (strncmp(s, "wss://", 6) == 0) {
		u->kind = URL_WSS;
		hp = s + 6;
	} else {
		xasprintf(cause, "%s: not unix://PATH, ws://HOST:PORT or "
		    "wss://HOST:PORT", s);
		return (-1);
	}
	slash = hp + strcspn(hp, "/");
	u->resource = xstrdup(*slash != '\0' ? slash : "/");
	if (*hp == '[') {
		colon = memchr(hp, ']', slash - hp);
		if (colon == NULL)
			goto bad;
		u->host = xstrndup(hp + 1, colon - hp - 1);
		colon++;
	} else {
		for (colon = hp; colon < slash && *colon != ':'; colon++)
			;
		u->host = xstrndup(hp, colon - hp);
	}
	u->port = u->kind == URL_WSS ? 443 : 80;
	if (colon < slash && *colon == ':') {
		port = strtol(colon + 1, &end, 10);
		if (end != slash || port < 1 || port > 65535)
			goto bad;
		u->port = port;
	} else if (colon != slash)
		goto bad;
	if (*u->host == '\0')
		goto bad;
	return (0);
 bad:
	xasprintf(cause, "%s: the host or port is not right", s);
	url_free(u);
	return (-1);
}

/* Free what url_parse made. */
static void
url_free(struct url *u)
{
	free(u->host);
	free(u->resource);
	memset(u, 0, sizeof *u);
}

/* Is s an --upstream URL for a listening app-server? -1 with *cause if not. */
int
upstream_url_check(const char *s, char **cause)
{
	struct url	u;

	if (url_parse(s, &u, cause) != 0)
		return (-1);
	url_free(&u);
	return (0);
}

/*
 * The Authorization header's value --upstream-token-file or
 * --upstream-secret-file ask for (read now: a new one is used at the next
 * connection), NULL for none; *cause is set if the file cannot be used.
 */
static char *
upstream_ws_auth(char **cause)
{
	char	*secret, *token, *value;

	*cause = NULL;
	if (opts.upstream_token_file != NULL) {
		if ((secret = file_secret(opts.upstream_token_file,
		    cause)) == NULL)
			return (NULL);
		xasprintf(&value, "Bearer %s", secret);
	} else if (opts.upstream_secret_file != NULL) {
		if ((secret = file_secret(opts.upstream_secret_file,
		    cause)) == NULL)
			return (NULL);
		token = jwt_hs256(secret, UPSTREAM_JWT_TTL,
		    opts.upstream_issuer, opts.upstream_audience);
		xasprintf(&value, "Bearer %s", token);
		free(token);
	} else
		return (NULL);
	OPENSSL_cleanse(secret, strlen(secret));
	free(secret);
	return (value);
}

/* A bufferevent connecting to a unix or TCP socket; NULL with *cause. */
static struct bufferevent *
upstream_ws_socket(const struct url *u, char **cause)
{
	struct sockaddr_un	 sun;
	struct bufferevent	*bev;
	int			 rc;

	if (u->kind == URL_WSS)
		bev = upstream_ws_tls(u, cause);
	else
		bev = bufferevent_socket_new(proxy_base, -1,
		    BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL)
		return (NULL);
	if (u->kind == URL_UNIX) {
		memset(&sun, 0, sizeof sun);
		sun.sun_family = AF_UNIX;
		memcpy(sun.sun_path, u->host, strlen(u->host));
		rc = bufferevent_socket_connect(bev, (struct sockaddr *)&sun,
		    sizeof sun);
	} else {
		if (upstream_dns == NULL && (upstream_dns = evdns_base_new(
		    proxy_base, EVDNS_BASE_INITIALIZE_NAMESERVERS)) == NULL)
			fatalx("evdns_base_new failed");
		rc = bufferevent_socket_connect_hostname(bev, upstream_dns,
		    AF_UNSPEC, u->host, u->port);
	}
	if (rc != 0) {
		xasprintf(cause, "cannot connect: %s",
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
		bufferevent_free(bev);
		return (NULL);
	}
	return (bev);
}

/* A TLS bufferevent that verifies the server is u->host. */
static struct bufferevent *
upstream_ws_tls(const struct url *u, char **cause)
{
	struct in6_addr	 a6;
	struct in_addr	 a4;
	SSL		*ssl;
	int		 ip;

	if (upstream_tls_ctx == NULL) {
		if ((upstream_tls_ctx = SSL_CTX_new(TLS_client_method())) ==
		    NULL)
			fatalx("SSL_CTX_new failed");
		SSL_CTX_set_min_proto_version(upstream_tls_ctx,
		    TLS1_2_VERSION);
		if (opts.upstream_ca != NULL ? SSL_CTX_load_verify_locations(
		    upstream_tls_ctx, opts.upstream_ca, NULL) != 1 :
		    SSL_CTX_set_default_verify_paths(upstream_tls_ctx) != 1) {
			xasprintf(cause, "cannot load the CA certificates%s%s",
			    opts.upstream_ca != NULL ? " in " : "",
			    opts.upstream_ca != NULL ? opts.upstream_ca : "");
			SSL_CTX_free(upstream_tls_ctx);
			upstream_tls_ctx = NULL;
			return (NULL);
		}
		SSL_CTX_set_verify(upstream_tls_ctx, opts.upstream_insecure ?
		    SSL_VERIFY_NONE : SSL_VERIFY_PEER, NULL);
	}
	if ((ssl = SSL_new(upstream_tls_ctx)) == NULL)
		fatalx("SSL_new failed");
	ip = inet_pton(AF_INET, u->host, &a4) == 1 ||
	    inet_pton(AF_INET6, u->host, &a6) == 1;
	if (ip)
		X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), u->host);
	else {
		SSL_set_tlsext_host_name(ssl, u->host);
		SSL_set1_host(ssl, u->host);
	}
	return (bufferevent_openssl_socket_new(proxy_base, -1, ssl,
	    BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE));
}

/*
 * Start a WebSocket connection to the app-server at url, reporting to h
 * with arg; NULL with *cause if it cannot even start.
 */
struct ws *
upstream_ws_connect(const char *url, const struct ws_handlers *h, void *arg,
    char **cause)
{
	struct bufferevent	*bev;
	struct url		 u;
	struct ws		*ws = NULL;
	char			*auth, *host;

	if (url_parse(url, &u, cause) != 0)
		return (NULL);
	auth = upstream_ws_auth(cause);
	if (*cause != NULL)
		goto out;
	if ((bev = upstream_ws_socket(&u, cause)) == NULL)
		goto out;
	if (u.kind == URL_UNIX)
		host = xstrdup("localhost");
	else if (strchr(u.host, ':') != NULL)
		xasprintf(&host, "[%s]:%d", u.host, u.port);
	else
		xasprintf(&host, "%s:%d", u.host, u.port);
	ws = ws_new(bev, host, u.resource, auth, opts.max_message, h, arg);
	free(host);
 out:
	if (auth != NULL) {
		OPENSSL_cleanse(auth, strlen(auth));
		free(auth);
	}
	url_free(&u);
	return (ws);
}

/* Free the TLS context and the resolver, if they were made. */
void
upstream_ws_free(void)
{
	SSL_CTX_free(upstream_tls_ctx);
	upstream_tls_ctx = NULL;
	if (upstream_dns != NULL)
		evdns_base_free(upstream_dns, 0);
	upstream_dns = NULL;
}
