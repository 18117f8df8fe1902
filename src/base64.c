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
 * Base64 (RFC 4648) on OpenSSL's block coder: the standard alphabet with
 * its padding, and base64url without padding (JWTs, request states).
 */

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "proxy.h"

/* len bytes of data in unpadded base64url (a new string). */
char *
base64url_encode(const void *data, size_t len)
{
	char	*out;
	size_t	 i, n;

	out = xmalloc(4 * ((len + 2) / 3) + 1);
	n = EVP_EncodeBlock((unsigned char *)out, data, len);
	while (n > 0 && out[n - 1] == '=')
		n--;
	out[n] = '\0';
	for (i = 0; i < n; i++) {
		if (out[i] == '+')
			out[i] = '-';
		else if (out[i] == '/')
			out[i] = '_';
	}
	return (out);
}

/*
 * Decode len characters of text: padded standard base64, or unpadded
 * base64url if url. The bytes (*outlen of them, and a NUL after), or NULL
 * if text is not that.
 */
unsigned char *
base64_decode(const char *text, size_t len, int url, size_t *outlen)
{
	unsigned char	*in, *out;
	size_t		 i, pad;
	int		 n;

	if (url)
		pad = (4 - len % 4) % 4;
	else
		pad = (size_t)(len > 0 && text[len - 1] == '=') +
		    (size_t)(len > 1 && text[len - 2] == '=');
	if (len == 0 || (url ? pad == 3 : len % 4 != 0))
		return (NULL);
	in = xmalloc(len + 4);
	memcpy(in, text, len);
	for (i = 0; url && i < len; i++) {
		if (in[i] == '+' || in[i] == '/' || in[i] == '=') {
			free(in);
			return (NULL);
		}
		if (in[i] == '-')
			in[i] = '+';
		else if (in[i] == '_')
			in[i] = '/';
	}
	if (url) {
		memset(in + len, '=', pad);
		len += pad;
	}
	in[len] = '\0';
	out = xmalloc(len / 4 * 3 + 1);
	n = EVP_DecodeBlock(out, in, len);
	free(in);
	if (n < 0 || (size_t)n < pad) {
		free(out);
		return (NULL);
	}
	/* EVP_DecodeBlock counts the padding as zero bytes. */
	*outlen = n - pad;
	out[*outlen] = '\0';
	return (out);
}
