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
 * valid for a short while from now, naming the issuer and audience codex
 * may be told to expect (--ws-issuer, --ws-audience).
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

/*
 * A token signed with secret, issued now and expiring in ttl seconds, with
 * the issuer and audience claims unless they are NULL.
 */
char *
jwt_hs256(const char *secret, int ttl, const char *issuer,
    const char *audience)
{
	struct evbuffer	*b = evbuffer_new();
	unsigned char	 mac[EVP_MAX_MD_SIZE];
	unsigned int	 maclen;
	json_object	*claims = json_object_new_object();
	const char	*text;
	time_t		 now = time(NULL);

	json_object_object_add(claims, "iat", json_object_new_int64(now));
	json_object_object_add(claims, "exp", json_object_new_int64(now + ttl));
	if (issuer != NULL)
		json_object_object_add(claims, "iss",
		    json_object_new_string(issuer));
	if (audience != NULL)
		json_object_object_add(claims, "aud",
		    json_object_new_string(audience));
	jwt_base64url(b, JWT_HEADER, strlen(JWT_HEADER));
	evbuffer_add(b, ".", 1);
	text = json_text(claims);
	jwt_base64url(b, text, strlen(text));
	json_object_put(claims);
	if (HMAC(EVP_sha256(), secret, strlen(secret), evbuffer_pullup(b, -1),
	    evbuffer_get_length(b), mac, &maclen) == NULL)
		fatalx("HMAC failed");
	evbuffer_add(b, ".", 1);
	jwt_base64url(b, mac, maclen);
	return (xevbuffer_string(b));
}
