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
 * The fuzz targets' shared part (the .c files in fuzz/). Each target is a libFuzzer
 * entry point, LLVMFuzzerTestOneInput; with --enable-fuzz libFuzzer drives
 * it, otherwise fuzz/main.c runs it on the files it is given, so that
 * what a fuzzer once found stays a regression test of the normal build.
 */

#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* common.c */
void		 fuzz_setup(void);
void		 fuzz_settle(void);
char		*fuzz_line(const uint8_t **, const uint8_t *, size_t *);
void		 fuzz_check_write(json_object *);

#endif /* FUZZ_H */
