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
 * Fuzz target: the redactor. The input, as text, goes through the text
 * redaction the log uses; if it is JSON, its tree goes through the JSON
 * redaction the trace uses, whose output must be JSON again.
 */

#include <stdlib.h>
#include <string.h>

#include "proxy.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object	*v, *again;
	const char	*err;
	char		*text, *out;

	fuzz_setup();
	text = xstrndup((const char *)data, size);
	free(redact_text(text));
	if ((v = json_parse(text, strlen(text), &err)) != NULL) {
		out = redact_json_text(v);
		again = json_tokener_parse(out);
		if (again == NULL)
			fatalx("fuzz: redacted JSON is not JSON: %s", out);
		json_object_put(again);
		free(out);
		json_object_put(v);
	}
	free(text);
	return (0);
}
