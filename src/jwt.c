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
 * The signed bearer token codex's --ws-auth signed-bearer-token checks: a
 * JSON Web Token (RFC 7519) signed with HMAC-SHA256 and a shared secret,
 * valid for a short while from now.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "proxy.h"

#define JWT_HEADER	"{\"alg\":\"HS256\",\"typ\":\"JWT\"}"

static void	 jwt_base64url(struct evbuffer *, const void *, size_t);

/* Append len bytes of data to b in unpadded base64url. */
static void
jwt_base64url(struct evbuffer *b, const void *data, size_t len)
{
	char	*out = base64url_encode(data, len);

	evbuffer_add(b, out, strlen(out));
	free(out);
}

/* A token signed with secret, issued now and expiring in ttl seconds. */
char *
jwt_hs256(const char *secret, int ttl)
{
	struct evbuffer	*b = evbuffer_new();
	unsigned char	 mac[EVP_MAX_MD_SIZE];
	unsigned int	 maclen;
	char		*claims;
	time_t		 now = time(NULL);

	xasprintf(&claims, "{\"iat\":%lld,\"exp\":%lld}", (long long)now,
	    (long long)now + ttl);
	jwt_base64url(b, JWT_HEADER, strlen(JWT_HEADER));
	evbuffer_add(b, ".", 1);
	jwt_base64url(b, claims, strlen(claims));
	free(claims);
	if (HMAC(EVP_sha256(), secret, strlen(secret), evbuffer_pullup(b, -1),
	    evbuffer_get_length(b), mac, &maclen) == NULL)
		fatalx("HMAC failed");
	evbuffer_add(b, ".", 1);
	jwt_base64url(b, mac, maclen);
	return (xevbuffer_string(b));
}
