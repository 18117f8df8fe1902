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
 * HTTPS for the HTTP front: with --tls-cert and --tls-key every connection
 * is wrapped in TLS (1.2 or later) through bufferevent_openssl.
 */

#include <event2/bufferevent_ssl.h>
#include <event2/http.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "proxy.h"

static SSL_CTX	*tls_ctx;

/* A TLS bufferevent for a new connection (see http_conn.c). */
struct bufferevent *
http_tls_bufferevent(struct event_base *base)
{
	SSL			*ssl = SSL_new(tls_ctx);
	struct bufferevent	*bev;

	if (ssl == NULL)
		return (NULL);
	bev = bufferevent_openssl_socket_new(base, -1, ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL)
		SSL_free(ssl);	/* libevent frees it only once it is ours */
	return (bev);
}

/* Load the certificate and key and make the server speak TLS. */
void
http_tls_setup(void)
{
	char	err[256];

	if (opts.tls_cert == NULL && opts.tls_key == NULL)
		return;
	if (opts.tls_cert == NULL || opts.tls_key == NULL)
		fatalx("--tls-cert and --tls-key go together");
	if ((tls_ctx = SSL_CTX_new(TLS_server_method())) == NULL)
		fatalx("cannot create a TLS context");
	SSL_CTX_set_min_proto_version(tls_ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(tls_ctx, SSL_OP_NO_COMPRESSION |
	    SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
	if (SSL_CTX_set_cipher_list(tls_ctx,
	    "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!MD5:!RC4:!3DES") != 1)
		fatalx("cannot set the TLS ciphers");
	if (SSL_CTX_use_certificate_chain_file(tls_ctx, opts.tls_cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(tls_ctx, opts.tls_key,
	    SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(tls_ctx) != 1) {
		ERR_error_string_n(ERR_get_error(), err, sizeof err);
		fatalx("cannot load %s and %s: %s", opts.tls_cert,
		    opts.tls_key, err);
	}
}

/* Is TLS on? */
int
http_tls_on(void)
{
	return (tls_ctx != NULL);
}

/* Free the TLS context. */
void
http_tls_free(void)
{
	if (tls_ctx != NULL)
		SSL_CTX_free(tls_ctx);
	tls_ctx = NULL;
}
