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
 * The requestState of a 2026-07-28 input_required result: a JSON object
 * the client must echo back unchanged, sealed as "v1.PAYLOAD.MAC" (both
 * base64url) with HMAC-SHA256. The key is random per process, or read
 * from --request-state-key so that instances behind one load balancer
 * accept each other's states. An altered, forged or expired state is
 * refused before anything in it is believed.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "proxy.h"

#define RSTATE_PREFIX	"v1."
#define RSTATE_KEY_MIN	32		/* bytes of a key file's line */

static unsigned char	rstate_key[SHA256_DIGEST_LENGTH];
static int		rstate_have_key;

static void	 rstate_mac(const char *, size_t, unsigned char *);

/* The key: the SHA-256 of the first line of file, or (NULL) random, later. */
void
request_state_init(const char *file)
{
	char	*p, *cause;

	if (file == NULL)
		return;		/* drawn when first needed: start-up is quicker */
	if ((p = file_secret(file, &cause)) == NULL)
		fatalx("%s", cause);
	if (strlen(p) < RSTATE_KEY_MIN)
		fatalx("%s: a request state key needs at least %d characters "
		    "(e.g. openssl rand -hex 32)", file, RSTATE_KEY_MIN);
	SHA256((unsigned char *)p, strlen(p), rstate_key);
	OPENSSL_cleanse(p, strlen(p));
	free(p);
	rstate_have_key = 1;
}

/* The MAC of len bytes of text under the key (drawn now if need be). */
static void
rstate_mac(const char *text, size_t len, unsigned char *mac)
{
	unsigned int	maclen = SHA256_DIGEST_LENGTH;

	if (!rstate_have_key) {
		if (RAND_bytes(rstate_key, sizeof rstate_key) != 1)
			fatalx("rstate_mac: no randomness");
		rstate_have_key = 1;
	}

	if (HMAC(EVP_sha256(), rstate_key, sizeof rstate_key,
	    (const unsigned char *)text, len, mac, &maclen) == NULL)
		fatalx("rstate_mac: HMAC failed");
}

/*
 * Seal payload (borrowed), which must say by "exp" (seconds since the
 * epoch) when it stops being good, as a requestState (a new string).
 */
char *
request_state_seal(json_object *payload)
{
	unsigned char	 mac[SHA256_DIGEST_LENGTH];
	const char	*text = json_text(payload);
	char		*body, *sig, *state;

	body = base64url_encode(text, strlen(text));
	xasprintf(&state, "%s%s", RSTATE_PREFIX, body);
	rstate_mac(state, strlen(state), mac);
	sig = base64url_encode(mac, sizeof mac);
	free(state);
	xasprintf(&state, "%s%s.%s", RSTATE_PREFIX, body, sig);
	free(body);
	free(sig);
	return (state);
}

/*
 * The payload (a new object) of a requestState the client sent back, or
 * NULL with why set: it is not one of ours, was altered, or has expired.
 */
json_object *
request_state_open(const char *state, const char **why)
{
	unsigned char	 mac[SHA256_DIGEST_LENGTH], *sent, *text;
	json_object	*payload;
	const char	*dot, *err;
	size_t		 sentlen, len, plen = strlen(RSTATE_PREFIX);
	int64_t		 exp;

	*why = "the requestState is not one this server issued";
	if (strncmp(state, RSTATE_PREFIX, plen) != 0 ||
	    (dot = strchr(state + plen, '.')) == NULL)
		return (NULL);
	if ((sent = base64_decode(dot + 1, strlen(dot + 1), 1, &sentlen)) ==
	    NULL)
		return (NULL);
	rstate_mac(state, dot - state, mac);
	if (sentlen != sizeof mac || CRYPTO_memcmp(sent, mac, sizeof mac)) {
		free(sent);
		*why = "the requestState failed its integrity check (altered, "
		    "or sealed by another server's key)";
		return (NULL);
	}
	free(sent);
	text = base64_decode(state + plen, dot - state - plen, 1, &len);
	payload = text != NULL ? json_parse((char *)text, len, &err) : NULL;
	free(text);
	if (!json_object_is_type(payload, json_type_object) ||
	    json_typed(payload, "exp", json_type_int, NULL) == NULL) {
		json_object_put(payload);
		return (NULL);
	}
	exp = json_object_get_int64(json_obj(payload, "exp"));
	if (exp < (int64_t)time(NULL)) {
		json_object_put(payload);
		*why = "the requestState has expired";
		return (NULL);
	}
	return (payload);
}
