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
 * Unit tests of the proxy's pure functions, one group per run, printed as
 * TAP for the t/unit-*.t wrappers. Every test compares an exact output.
 * Usage: units redaction|lines|utf8|repair|schema|state|base64|write
 */

#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "proxy.h"

struct unit_group {
	const char	*name;
	void		 (*run)(void);
};

struct unit_key {
	const char	*key;
	int		 want;		/* does it name a secret? */
};

struct unit_chunks {
	const char	*chunks[16];	/* fed in turn; NULL ends */
};

static void	 unit_ok(int, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
static void	 unit_is(const char *, size_t, const char *, size_t,
		     const char *, ...) __attribute__((format(printf, 5, 6)));
static void	 unit_quote(const char *, const char *, size_t);
static void	 unit_text(const char *, const char *, const char *);
static void	 unit_json(const char *, const char *, const char *);
static void	 unit_keys(const struct unit_key *, size_t);
static void	 unit_fatal_pattern(const char *, const char *, const char *);
static void	 unit_redaction(void);
static void	 unit_redaction_text(void);
static char	*unit_lines_run(const struct unit_chunks *, size_t);
static void	 unit_lines(void);
static char	*unit_parse(const char *);
static void	 unit_utf8(void);
static void	 unit_repair(void);
static json_object *unit_tool_schema(const char *);
static char	*unit_check(json_object *, const char *);
static void	 unit_schema(void);
static char	*unit_state_flip(const char *, size_t);
static void	 unit_state(void);
static void	 unit_base64(void);
static void	 unit_write_same(json_object *, const char *);
static void	 unit_write(void);

static u_int	 unit_count;
static u_int	 unit_failed;

/* Record one test point. */
static void
unit_ok(int cond, const char *fmt, ...)
{
	va_list	ap;

	unit_count++;
	if (!cond)
		unit_failed++;
	printf("%sok %u - ", cond ? "" : "not ", unit_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Print a diagnostic line "# what: " and s as a JSON string. */
static void
unit_quote(const char *what, const char *s, size_t len)
{
	json_object	*o;

	if (s == NULL) {
		printf("# %s: NULL\n", what);
		return;
	}
	o = json_object_new_string_len(s, len);
	printf("# %s: %s\n", what, json_text(o));
	json_object_put(o);
}

/* Record a test point: got is byte for byte want. */
static void
unit_is(const char *got, size_t gotlen, const char *want, size_t wantlen,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*name;
	int	 same;

	same = got != NULL && gotlen == wantlen &&
	    memcmp(got, want, wantlen) == 0;
	va_start(ap, fmt);
	xvasprintf(&name, fmt, ap);
	va_end(ap);
	unit_ok(same, "%s", name);
	free(name);
	if (!same) {
		unit_quote("got ", got, gotlen);
		unit_quote("want", want, wantlen);
	}
}

/* Test that redact_text makes want of in. */
static void
unit_text(const char *in, const char *want, const char *name)
{
	char	*got = redact_text(in);

	unit_is(got, strlen(got), want, strlen(want), "%s", name);
	free(got);
}

/* Test that the JSON text in, parsed and redacted, is the JSON text want. */
static void
unit_json(const char *in, const char *want, const char *name)
{
	json_object	*v;
	const char	*err;
	char		*got;

	v = json_parse(in, strlen(in), &err);
	if (v == NULL) {
		unit_ok(0, "%s (parse: %s)", name, err != NULL ? err : "null");
		return;
	}
	got = redact_json_text(v);
	unit_is(got, strlen(got), want, strlen(want), "%s", name);
	free(got);
	json_object_put(v);
}

/* Test that redact_key tells each key as want says. */
static void
unit_keys(const struct unit_key *keys, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		unit_ok(redact_key(keys[i].key) == keys[i].want,
		    "redact_key: %s %s", keys[i].key,
		    keys[i].want ? "names a secret" : "does not");
	}
}

/* Test that redact_init with this one --redact pattern exits 1 saying want. */
static void
unit_fatal_pattern(const char *pattern, const char *want, const char *name)
{
	char	*user[] = { xstrdup(pattern) }, buf[512], *err;
	int	 fd[2], status;
	ssize_t	 n;
	pid_t	 pid;

	if (pipe(fd) != 0 || (pid = fork()) == -1)
		fatal("pipe or fork");
	if (pid == 0) {
		close(fd[0]);
		dup2(fd[1], STDERR_FILENO);
		redact_free();
		redact_init(user, 1);
		_exit(0);
	}
	close(fd[1]);
	n = read(fd[0], buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd[0]);
	waitpid(pid, &status, 0);
	free(user[0]);
	err = strstr(buf, "fatal: ");
	unit_ok(WIFEXITED(status) && WEXITSTATUS(status) == 1 && err != NULL &&
	    strcmp(err, want) == 0, "%s", name);
	if (err == NULL || strcmp(err, want) != 0)
		unit_quote("stderr", buf, strlen(buf));
}

/*
 * Redaction. The markers were computed outside the proxy:
 * SHA-256 of the secret, its first three bytes in hex.
 */
static void
unit_redaction(void)
{
	static char	 corp[] = "CORP-[0-9]{6}", internal[] = "^internal:";
	char		*user[] = { corp, internal };
	static const struct unit_key keys[] = {
		{ "api_key", 1 }, { "apiKey", 1 }, { "APIKey", 1 },
		{ "APIKEY", 1 }, { "OPENAI_API_KEY", 1 }, { "x-api-key", 1 },
		{ "api_keys", 1 }, { "key2", 1 }, { "Authorization", 1 },
		{ "HTTPAuthorization", 1 }, { "access_token", 1 },
		{ "refreshToken", 1 }, { "token", 1 }, { "x-Token", 1 },
		{ "client_secret", 1 }, { "secretValue", 1 }, { "Secret2", 1 },
		{ "PASSWORD", 1 }, { "db_password", 1 }, { "passwd", 1 },
		{ "monkey", 0 }, { "keyboard", 0 }, { "tokenizer", 0 },
		{ "tokenUsage", 0 }, { "total_token_usage", 0 },
		{ "token_count", 0 }, { "input_tokens", 0 },
		{ "totalTokens", 0 }, { "name", 0 }, { "prompt", 0 }, { "", 0 },
	};
	const char	*clean, *once;
	char		*twice;

	redact_init(user, 2);

	/* Bearer tokens. */
	unit_text("call the API with Bearer abc.def.ghi",
	    "call the API with Bearer [REDACTED len=8-15 sha=6559e9]",
	    "the token after Bearer is hidden, the word Bearer stays");
	unit_text("authorization: bearer\tabc.def.ghi done",
	    "authorization: bearer\t[REDACTED len=8-15 sha=6559e9] done",
	    "bearer in lower case, after a tab, hides only the token");
	unit_text("Bearer \"abc\"", "Bearer \"abc\"",
	    "a quote after Bearer is not a token");

	/* OpenAI-style keys and word boundaries. */
	unit_text("my key is sk-live1234567890abcdef, ok",
	    "my key is [REDACTED len=16-31 sha=e30144], ok",
	    "an sk- key after a space is hidden up to the comma");
	unit_text("sk-12345678", "[REDACTED len=8-15 sha=db722c]",
	    "an sk- key at the start of the text is hidden whole");
	unit_text("(sk-abcdefgh)", "([REDACTED len=8-15 sha=2f2bc0])",
	    "an sk- key after a parenthesis is hidden");
	unit_text("key=sk-abcdefgh", "key=[REDACTED len=8-15 sha=2f2bc0]",
	    "an sk- key after = is hidden");
	unit_text("sk-AAAAAAAA_-zz!", "[REDACTED len=8-15 sha=99ef4e]!",
	    "underscores and dashes are part of the key");
	unit_text("task-input-required", "task-input-required",
	    "task-input-required is not a key (no boundary before sk-)");
	unit_text("ask-abcdefghij my_sk-abcdefghij x-sk-abcdefghij 9sk-abcdefghij",
	    "ask-abcdefghij my_sk-abcdefghij x-sk-abcdefghij 9sk-abcdefghij",
	    "sk- after a letter, _, - or digit is inside a word, not a key");
	unit_text("task-input-required then sk-abcdefgh",
	    "task-input-required then [REDACTED len=8-15 sha=2f2bc0]",
	    "a key after a word that merely contains sk- is still hidden");
	unit_text("sk-1234567", "sk-1234567",
	    "sk- with 7 characters after it is too short for a key");

	/* The user's --redact patterns. */
	unit_text("ticket CORP-123456.", "ticket [REDACTED len=8-15 sha=2f6b22].",
	    "a --redact pattern's match is hidden");
	unit_text("internal:internal: sk-abcdefgh internal:",
	    "[REDACTED len=8-15 sha=debecb]internal: "
	    "[REDACTED len=8-15 sha=2f2bc0] internal:",
	    "a --redact ^ matches only at the start of the text, not right "
	    "after a marker");

	/* Markers stay as they are. */
	once = "Bearer [REDACTED len=8-15 sha=6559e9] and "
	    "[REDACTED len=16-31 sha=e30144]";
	unit_text(once, once, "markers (even after Bearer) are not redacted again");
	twice = redact_text("Bearer abc.def.ghi sk-live1234567890abcdef");
	unit_text(twice, twice, "redacting a redacted text changes nothing");
	free(twice);

	/* No secrets: the same bytes. */
	clean = "plain text: \xc3\xa9\xe2\x82\xac, \"quotes\", tab\t, 100% "
	    "{json} [brackets] task-runner sk- short sk-123 bearer.\n\\n";
	unit_text(clean, clean, "a text without secrets is unchanged byte for byte");
	unit_text("", "", "the empty text stays empty");
	unit_json("{\"name\":\"x\",\"n\":1,\"f\":1.5,\"ok\":true,\"z\":null,"
	    "\"arr\":[1,\"two\",[],{}],\"s\":\"task-input-required\"}",
	    "{\"name\":\"x\",\"n\":1,\"f\":1.5,\"ok\":true,\"z\":null,"
	    "\"arr\":[1,\"two\",[],{}],\"s\":\"task-input-required\"}",
	    "a message without secrets is unchanged");

	/* Secret-named keys, at any depth. */
	unit_json("{\"api_key\":\"abc\"}",
	    "{\"api_key\":\"[REDACTED len=<8 sha=ba7816]\"}",
	    "a string under api_key is hidden");
	unit_json("{\"api_key\":{\"value\":\"abc\"}}",
	    "{\"api_key\":{\"value\":\"[REDACTED len=<8 sha=ba7816]\"}}",
	    "a string in an object under api_key is hidden, its key stays");
	unit_json("{\"token\":[\"a\",\"b\"]}",
	    "{\"token\":[\"[REDACTED len=<8 sha=ca9781]\","
	    "\"[REDACTED len=<8 sha=3e23e8]\"]}",
	    "each string in an array under token is hidden");
	unit_json("{\"password\":12345,\"secret\":true,\"Secret2\":false,"
	    "\"key\":1.5,\"token\":null}",
	    "{\"password\":\"[REDACTED len=<8 sha=599447]\","
	    "\"secret\":\"[REDACTED len=<8 sha=b5bea4]\","
	    "\"Secret2\":\"[REDACTED len=<8 sha=fcbcf1]\","
	    "\"key\":\"[REDACTED len=<8 sha=9f29a1]\",\"token\":null}",
	    "numbers and booleans under secret keys become marker strings, "
	    "null stays null");
	unit_json("{\"apiKey\":{\"list\":[-1,{\"deep\":\"s3cr3t\"},[true]]}}",
	    "{\"apiKey\":{\"list\":[\"[REDACTED len=<8 sha=1bad6b]\","
	    "{\"deep\":\"[REDACTED len=<8 sha=4e738c]\"},"
	    "[\"[REDACTED len=<8 sha=b5bea4]\"]]}}",
	    "values deep in objects and arrays under apiKey are hidden");
	unit_json("{\"config\":{\"nested\":{\"password\":\"hunter2hunter2\"}},"
	    "\"items\":[{\"Authorization\":\"Bearer abc.def.ghi\"}]}",
	    "{\"config\":{\"nested\":{\"password\":"
	    "\"[REDACTED len=8-15 sha=76880d]\"}},"
	    "\"items\":[{\"Authorization\":\"[REDACTED len=16-31 sha=531385]\"}]}",
	    "a secret key deep under plain keys hides its whole string");
	unit_json("{\"prompt\":\"use sk-12345678 and Bearer abc.def.ghi\"}",
	    "{\"prompt\":\"use [REDACTED len=8-15 sha=db722c] and Bearer "
	    "[REDACTED len=8-15 sha=6559e9]\"}",
	    "patterns are applied inside strings under plain keys");
	unit_keys(keys, sizeof keys / sizeof keys[0]);
	unit_json("{\"tokenUsage\":{\"total\":{\"totalTokens\":12}},"
	    "\"total_token_usage\":{\"input_tokens\":3}}",
	    "{\"tokenUsage\":{\"total\":{\"totalTokens\":12}},"
	    "\"total_token_usage\":{\"input_tokens\":3}}",
	    "codex's token usage counts are not secrets");

	/* NUL characters inside strings. */
	unit_json("{\"p\":\"sk-12345678\\u0000sk-abcdefgh\"}",
	    "{\"p\":\"[REDACTED len=8-15 sha=db722c]\\u0000"
	    "[REDACTED len=8-15 sha=2f2bc0]\"}",
	    "keys on both sides of a NUL are hidden, the NUL stays");
	unit_json("{\"p\":\"a\\u0000b\\u0000\"}", "{\"p\":\"a\\u0000b\\u0000\"}",
	    "a string with NULs and no secret is kept whole");
	unit_json("{\"token\":\"a\\u0000b\"}",
	    "{\"token\":\"[REDACTED len=<8 sha=59b271]\"}",
	    "a secret with a NUL is hidden whole (all 3 bytes hashed)");

	unit_redaction_text();

	/* A bad --redact pattern is fatal, with its reason. */
	unit_fatal_pattern("CORP-[0-9", "fatal: --redact: not an extended "
	    "regular expression: CORP-[0-9\n",
	    "a bad --redact pattern exits 1 naming the pattern");
	unit_fatal_pattern("(CORP-[0-9]+)?", "fatal: --redact: the pattern "
	    "matches the empty text: (CORP-[0-9]+)?\n",
	    "a --redact pattern that matches the empty text exits 1 naming it");

	redact_free();
	unit_text("Bearer abc.def.ghi sk-12345678",
	    "Bearer abc.def.ghi sk-12345678",
	    "after redact_free nothing is hidden");
}

/*
 * Redaction in text that is not a JSON message (a raw line, a log line):
 * values under secret-named keys, whole objects under them, the key auth
 * and its kin, Basic credentials; and what must stay.
 */
static void
unit_redaction_text(void)
{
	static const struct unit_key keys[] = {
		{ "auth", 1 }, { "authMode", 1 }, { "x-auth", 1 },
		{ "cookie", 1 }, { "Set-Cookie", 1 }, { "credentials", 1 },
		{ "passphrase", 1 }, { "author", 0 }, { "oauth", 0 },
		{ "authority", 0 },
	};

	unit_keys(keys, sizeof keys / sizeof keys[0]);
	unit_text("run with api_key=PLANTED-1 rest",
	    "run with api_key=[REDACTED len=8-15 sha=843834] rest",
	    "text: key=value hides the value up to a blank");
	unit_text("{\"level\":\"info\",\"token\": \"abc def\",\"n\":1} not json",
	    "{\"level\":\"info\",\"token\": \"[REDACTED len=<8 sha=010971]\","
	    "\"n\":1} not json",
	    "text: \"key\": \"value\" hides the whole string inside its quotes");
	unit_text("password: hunter2 and more",
	    "password: [REDACTED len=<8 sha=f52fbd] and more",
	    "text: key: value hides one word");
	unit_text("no --auth-token-file: any user; --api-key=abc123 x",
	    "no --auth-token-file: any user; --api-key=[REDACTED len=<8 "
	    "sha=6ca13d] x",
	    "text: an option named in prose is no key, an option's value is");
	unit_text("GET /x?token=abc123&x=1 'secret': 'xyz' auth = \"abc\"",
	    "GET /x?token=[REDACTED len=<8 sha=6ca13d]&x=1 "
	    "'secret': '[REDACTED len=<8 sha=3608bc]' "
	    "auth = \"[REDACTED len=<8 sha=ba7816]\"",
	    "text: a query parameter (up to &), single quotes, auth with "
	    "blanks around =");
	unit_text("{\"auth\": {\"user\": \"u\", \"pass\": [\"p\", 1]}} tail",
	    "{\"auth\": \"[REDACTED len=16-31 sha=5beb35]\"} tail",
	    "text: an object under a secret key is hidden whole, nested values "
	    "and all");
	unit_text("headers: {\\\"x-api-key\\\":\\\"abc\\\"}",
	    "headers: {\\\"x-api-key\\\":\\\"[REDACTED len=<8 sha=ba7816]\\\"}",
	    "text: JSON escaped inside a string (\\\") is read too");
	unit_text("Authorization: Basic dXNlcjpwYXNz",
	    "Authorization: Basic [REDACTED len=8-15 sha=0e9d22]",
	    "text: after Authorization: Basic, the credential is hidden, the "
	    "scheme stays");
	unit_text("curl with basic dXNlcjpwYXNz done",
	    "curl with basic [REDACTED len=8-15 sha=0e9d22] done",
	    "text: a Basic credential (base64 of user:password) is hidden "
	    "anywhere");
	unit_text("Basic setup is easy; Basic dXNlcg== too",
	    "Basic setup is easy; Basic dXNlcg== too",
	    "text: Basic before a word or base64 without a colon stays");
	unit_text("token=[REDACTED len=<8 sha=ba7816] "
	    "\"token\": \"[REDACTED len=<8 sha=ba7816]\"",
	    "token=[REDACTED len=<8 sha=ba7816] "
	    "\"token\": \"[REDACTED len=<8 sha=ba7816]\"",
	    "text: a marker under a secret key is not hidden again");
	unit_text("INFO codex_core::auth: refreshing Token::new(x) "
	    "\"token\": null, \"key\": \"\", monkey=1 total_tokens=5",
	    "INFO codex_core::auth: refreshing Token::new(x) "
	    "\"token\": null, \"key\": \"\", monkey=1 total_tokens=5",
	    "text: paths with ::, null, empty values and keys that are not "
	    "secrets stay");
	unit_text("cannot read /etc/proxy/token: No such file or directory",
	    "cannot read /etc/proxy/token: No such file or directory",
	    "text: a file named token in an error message is not a key");
	unit_text("Authorization: token ghp_SECRET1 x\nCookie: theme=dark; sess"
	    "ionid=SECRET2\nnext",
	    "Authorization: [REDACTED len=16-31 sha=848534]\nCookie: [RED"
	    "ACTED len=16-31 sha=9fd62c]\nnext",
	    "text: Authorization and Cookie hide the rest of their line");
	unit_text("Authorization: Bearer abc def\n",
	    "Authorization: Bearer [REDACTED len=<8 sha=ba7816] def\n",
	    "text: after Bearer or Basic a header hides one word, the scheme "
	    "stays");
	unit_text("{\\\"token\\\": \\\"ab\\\\\\\"cdSECRETREST\\\", \\\"x\\\": 1"
	    "}",
	    "{\\\"token\\\": \\\"[REDACTED len=16-31 sha=735332]\\\", \\"
	    "\"x\\\": 1}",
	    "text: an escaped quote in JSON inside a string does not end "
	    "its value");
	unit_text("{\"token\":{\"a\":\"b\"},\"x\":1} token: {\"c\": 1} {\\\"sec"
	    "ret\\\": [1]}",
	    "{\"token\":\"[REDACTED len=8-15 sha=db4a7e]\",\"x\":1} token"
	    ": [REDACTED len=8-15 sha=3c4762] {\\\"secret\\\": \\\"[REDAC"
	    "TED len=<8 sha=080a9e]\\\"}",
	    "text: an object or array is one marker, quoted as its key wa"
	    "s");
	unit_json("{\"auth\":\"x\",\"cookie\":[\"c\"]}",
	    "{\"auth\":\"[REDACTED len=<8 sha=2d7116]\","
	    "\"cookie\":[\"[REDACTED len=<8 sha=2e7d2c]\"]}",
	    "a message: values under auth and cookie are hidden");
	unit_json("{\"prompt\":\"set api_key=PLANTED-1 or Basic dXNlcjpwYXNz\"}",
	    "{\"prompt\":\"set api_key=[REDACTED len=8-15 sha=843834] or Basic "
	    "[REDACTED len=8-15 sha=0e9d22]\"}",
	    "a message: key=value and Basic inside a plain string are hidden");
}

/*
 * Feed the chunks to lines_next in turn (a line limit of max), taking every
 * result after each; what came out, one "; "-separated word per result.
 */
static char *
unit_lines_run(const struct unit_chunks *c, size_t max)
{
	struct lines	 lr = { 0, 0 };
	struct evbuffer	*buf = evbuffer_new(), *out = evbuffer_new();
	json_object	*o;
	char		*line;
	size_t		 i, len;
	int		 r;

	for (i = 0; c->chunks[i] != NULL; i++) {
		evbuffer_add(buf, c->chunks[i], strlen(c->chunks[i]));
		while ((r = lines_next(&lr, buf, max, &line, &len)) !=
		    LINES_NONE) {
			if (r == LINES_TOOLONG) {
				evbuffer_add_printf(out, "toolong %zu; ", len);
				continue;
			}
			o = json_object_new_string_len(line, len);
			evbuffer_add_printf(out, "line %zu %s; ", len,
			    json_text(o));
			json_object_put(o);
			if (strlen(line) != len)
				evbuffer_add_printf(out, "(strlen %zu) ",
				    strlen(line));
			free(line);
		}
	}
	evbuffer_add_printf(out, "left %zu", evbuffer_get_length(buf));
	evbuffer_free(buf);
	return (xevbuffer_string(out));
}

/* Line framing. */
static void
unit_lines(void)
{
	static const struct {
		struct unit_chunks	 in;
		size_t			 max;
		const char		*want;
		const char		*name;
	} t[] = {
		{ { { "abc", "def\ngh", "i\n" } }, 64,
		    "line 6 \"abcdef\"; line 3 \"ghi\"; left 0",
		    "a line split across three buffers comes out whole" },
		{ { { "h", "e", "l", "l", "o", "\n", "w", "o", "r", "l", "d",
		    "\n" } }, 64,
		    "line 5 \"hello\"; line 5 \"world\"; left 0",
		    "lines fed one byte at a time come out once each" },
		{ { { "one\ntwo\nthr" } }, 64,
		    "line 3 \"one\"; line 3 \"two\"; left 3",
		    "two lines in one buffer; the partial third stays buffered" },
		{ { { "a\r\nb\r\n\r\n" } }, 64,
		    "line 1 \"a\"; line 1 \"b\"; line 0 \"\"; left 0",
		    "CRLF ends a line, the CR is not part of it" },
		{ { { "a\r", "\n" } }, 64, "line 1 \"a\"; left 0",
		    "a CR and its LF in different buffers" },
		{ { { "a\rb\n", "a\r\r\n" } }, 64,
		    "line 3 \"a\\rb\"; line 2 \"a\\r\"; left 0",
		    "a CR inside stays, only one trailing CR goes" },
		{ { { "\n\n", "\nx\n" } }, 64,
		    "line 0 \"\"; line 0 \"\"; line 0 \"\"; line 1 \"x\"; left 0",
		    "empty lines come out as empty lines" },
		{ { { "0123456789\nnext\n" } }, 8,
		    "toolong 10; line 4 \"next\"; left 0",
		    "a too-long line is reported with its size, the next is read" },
		{ { { "01234", "56789", "abc", "def\nok\n" } }, 8,
		    "toolong 10; line 2 \"ok\"; left 0",
		    "a too-long line still arriving is reported once, dropped "
		    "up to its newline" },
		{ { { "0123456789", "abcdefghij", "k\nz\n" } }, 4,
		    "toolong 10; line 1 \"z\"; left 0",
		    "a line many times the limit is reported only once" },
		{ { { "01234567\n" } }, 8, "line 8 \"01234567\"; left 0",
		    "a line of exactly the limit is read" },
		{ { { "01234567", "\n" } }, 8, "line 8 \"01234567\"; left 0",
		    "a line of exactly the limit, its newline later, is read" },
		{ { { "012345678\n", "y\n" } }, 8,
		    "toolong 9; line 1 \"y\"; left 0",
		    "a line one byte over the limit is too long" },
		{ { { "012345678", "\n", "y\n" } }, 8,
		    "toolong 9; line 1 \"y\"; left 0",
		    "one byte over, its newline later: too long once, then the "
		    "next line" },
		{ { { "0123456\r\n", "01234567\r\n" } }, 8,
		    "line 7 \"0123456\"; toolong 9; left 0",
		    "a trailing CR counts toward the limit" },
		{ { { "\nx\n" } }, 0, "line 0 \"\"; toolong 1; left 0",
		    "with a limit of 0 only empty lines pass" },
		{ { { "" } }, 8, "left 0", "nothing in, nothing out" },
	};
	struct lines	 lr = { 0, 0 };
	struct evbuffer	*buf;
	char		*got, *line = NULL;
	size_t		 i, len = 0;
	int		 r;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		got = unit_lines_run(&t[i].in, t[i].max);
		unit_is(got, strlen(got), t[i].want, strlen(t[i].want), "%s",
		    t[i].name);
		free(got);
	}

	/* A NUL byte inside a line. */
	buf = evbuffer_new();
	evbuffer_add(buf, "a\0b\n", 4);
	r = lines_next(&lr, buf, 64, &line, &len);
	unit_ok(r == LINES_OK && len == 3 && memcmp(line, "a\0b", 4) == 0,
	    "a NUL inside a line is kept, the line NUL-terminated");
	if (r == LINES_OK)
		free(line);
	evbuffer_free(buf);
}

/* What json_parse makes of text: "ok " and its JSON, or "error " and why. */
static char *
unit_parse(const char *text)
{
	json_object	*v;
	const char	*err;
	char		*out;

	v = json_parse(text, strlen(text), &err);
	if (err != NULL)
		xasprintf(&out, "error %s", err);
	else
		xasprintf(&out, "ok %s", v != NULL ? json_text(v) : "NULL");
	json_object_put(v);
	return (out);
}

/* UTF-8, NUL and strict JSON checks. */
static void
unit_utf8(void)
{
	static const struct {
		const char	*s;
		size_t		 len;
		int		 want;
		const char	*name;
	} u[] = {
		{ "plain ASCII", 11, 1, "ASCII" },
		{ "", 0, 1, "the empty string" },
		{ "a\0b", 3, 1, "a NUL byte is ASCII (json_has_nul is separate)" },
		{ "\xc3\xa9", 2, 1, "2-byte U+00E9" },
		{ "\xe2\x82\xac", 3, 1, "3-byte U+20AC" },
		{ "\xf0\x9f\x98\x80", 4, 1, "4-byte U+1F600" },
		{ "\xf4\x8f\xbf\xbf", 4, 1, "4-byte U+10FFFF, the last" },
		{ "\xed\x9f\xbf", 3, 1, "U+D7FF, just below the surrogates" },
		{ "\xee\x80\x80", 3, 1, "U+E000, just above the surrogates" },
		{ "\xc2\x80", 2, 1, "U+0080, the shortest 2-byte" },
		{ "\xc0\xaf", 2, 0, "overlong 2-byte '/'" },
		{ "\xc1\xbf", 2, 0, "overlong 2-byte U+007F" },
		{ "\xe0\x80\xaf", 3, 0, "overlong 3-byte '/'" },
		{ "\xe0\x9f\xbf", 3, 0, "overlong 3-byte U+07FF" },
		{ "\xf0\x80\x80\xaf", 4, 0, "overlong 4-byte '/'" },
		{ "\xf0\x8f\xbf\xbf", 4, 0, "overlong 4-byte U+FFFF" },
		{ "\xed\xa0\x80", 3, 0, "the surrogate U+D800" },
		{ "\xed\xbf\xbf", 3, 0, "the surrogate U+DFFF" },
		{ "\xed\xa0\xbd\xed\xb8\x80", 6, 0, "a CESU-8 surrogate pair" },
		{ "\xf4\x90\x80\x80", 4, 0, "U+110000, past the last" },
		{ "\xc3", 1, 0, "a 2-byte sequence cut after 1 byte" },
		{ "x\xe2\x82", 3, 0, "a 3-byte sequence cut after 2 bytes" },
		{ "\xf0\x9f\x98", 3, 0, "a 4-byte sequence cut after 3 bytes" },
		{ "\xc3\xa9\xc3", 3, 0, "a valid character then a cut one" },
		{ "\xc3" "A", 2, 0, "a lead byte followed by ASCII" },
		{ "\xe2\x28\xa1", 3, 0, "a bad second byte of three" },
		{ "\x80", 1, 0, "a lone continuation byte" },
		{ "\xbf" "abc", 4, 0, "a continuation byte first" },
		{ "\xf8\x88\x80\x80\x80", 5, 0, "a 5-byte form" },
		{ "\xfe", 1, 0, "the byte FE" },
		{ "\xff", 1, 0, "the byte FF" },
		{ "\xc3\xa9", 1, 0, "a length that cuts a valid character" },
	};
	static const struct {
		const char	*s;
		int		 want;
		const char	*name;
	} z[] = {
		{ "{\"a\":\"x\\u0000y\"}", 1, "\\u0000 in a string" },
		{ "\\u0000", 1, "\\u0000 at the very start" },
		{ "{\"a\":\"\\\\u0000\"}", 0,
		    "\\\\u0000 is an escaped backslash, then text" },
		{ "{\"a\":\"\\\\\\u0000\"}", 1,
		    "\\\\\\u0000: a backslash, then an escaped NUL" },
		{ "{\"u0000\":1}", 0, "u0000 without a backslash" },
		{ "{\"a\":\"\\u0001\\u00000\"}", 1,
		    "\\u00000 (a NUL, then 0) after \\u0001" },
		{ "{\"a\":\"\\u0010\"}", 0, "\\u0010 is not a NUL" },
	};
	static const struct {
		const char	*in;
		const char	*want;
		const char	*name;
	} p[] = {
		{ "{\"a\":[1,\"x\",true,null]}", "ok {\"a\":[1,\"x\",true,null]}",
		    "a valid object" },
		{ "12", "ok 12", "a bare number" },
		{ "null", "ok NULL", "null is NULL without an error" },
		{ "1.50", "ok 1.5", "a number prints canonically" },
		{ "\"a\\u0000b\"", "ok \"a\\u0000b\"",
		    "a string with \\u0000 parses (NULs are refused elsewhere)" },
		{ "\"\\ud83d\\ude00\"", "ok \"\xf0\x9f\x98\x80\"",
		    "a surrogate pair escape becomes one 4-byte character" },
		{ "NaN", "error NaN and Infinity are not JSON numbers",
		    "NaN is refused" },
		{ "[Infinity]", "error NaN and Infinity are not JSON numbers",
		    "Infinity is refused" },
		{ "[-Infinity]", "error NaN and Infinity are not JSON numbers",
		    "-Infinity is refused" },
		{ "[1e999]", "error NaN and Infinity are not JSON numbers",
		    "a number too big for a double is refused" },
		{ "[1,]", "error unexpected character",
		    "a trailing comma is refused" },
		{ "{\"a\":1,}", "error unexpected character",
		    "a trailing comma in an object is refused" },
		{ "/* c */ 1", "error unexpected character",
		    "a comment is refused" },
		{ "{\"a\":'x'}", "error unexpected character",
		    "a single-quoted string is refused" },
		{ "{a:1}", "error quoted object property name expected",
		    "an unquoted key is refused" },
		{ "TRUE", "error boolean expected",
		    "a capitalised literal is refused" },
		{ "[01]", "error number expected",
		    "a leading zero is refused" },
		{ "1.", "ok 1.0", "json-c takes 1. but it prints as 1.0" },
		{ "\"\\ud800\"", "ok \"\xef\xbf\xbd\"",
		    "a lone surrogate escape becomes U+FFFD (valid UTF-8)" },
		{ "{} x", "error unexpected character",
		    "text after the value is refused" },
		{ "{}{}", "error unexpected character",
		    "two values are refused" },
		{ " {}\t ", "ok {}", "white space around the value is allowed" },
		{ "{\"a\":", "error unexpected end of data",
		    "a cut value is refused" },
		{ "", "error unexpected end of data", "the empty text" },
		{ "{'a':1}", "error single quotes are not JSON",
		    "a single-quoted key is refused" },
		{ "{\"it's\":\"a \\\"quote\\\" ' \\\\\"}", "ok {\"it's\":\"a "
		    "\\\"quote\\\" ' \\\\\"}",
		    "single quotes inside strings, after escapes, are text" },
	};
	char	*got;
	size_t	 i;

	for (i = 0; i < sizeof u / sizeof u[0]; i++) {
		unit_ok(utf8_valid(u[i].s, u[i].len) == u[i].want,
		    "utf8_valid: %s: %s", u[i].name,
		    u[i].want ? "valid" : "refused");
	}
	for (i = 0; i < sizeof z / sizeof z[0]; i++) {
		unit_ok(json_has_nul(z[i].s, strlen(z[i].s)) == z[i].want,
		    "json_has_nul: %s: %s", z[i].name,
		    z[i].want ? "found" : "none");
	}
	for (i = 0; i < sizeof p / sizeof p[0]; i++) {
		got = unit_parse(p[i].in);
		unit_is(got, strlen(got), p[i].want, strlen(p[i].want),
		    "json_parse: %s", p[i].name);
		free(got);
	}
}

/* Test that json_write writes v as json_text prints it. */
static void
unit_write_same(json_object *v, const char *name)
{
	struct evbuffer	*b = evbuffer_new();
	const char	*want = json_text(v);

	json_write(b, v);
	unit_is((const char *)evbuffer_pullup(b, -1), evbuffer_get_length(b),
	    want, strlen(want), "json_write: %s", name);
	evbuffer_free(b);
}

/*
 * json_write against json_text: every message recorded from codex, every
 * byte value in a string, and a long string that a result holds twice,
 * written once and referenced twice.
 */
static void
unit_write(void)
{
	static const char	*files[] = {
		"recorded-0.169-v2.jsonl", "recorded-0.77-v1.jsonl",
		"trace-0.169-v2.jsonl"
	};
	const char		*top = getenv("TOP_SRCDIR"), *err;
	struct evbuffer		*b;
	struct evbuffer_iovec	 v[64];
	json_object		*o, *s, *r;
	char			*path, *line = NULL, all[256], *big;
	size_t			 i, size = 0, n, same, pieces;
	ssize_t			 len;
	FILE			*f;
	int			 k, nv;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		xasprintf(&path, "%s/t/data/%s", top != NULL ? top : ".",
		    files[i]);
		if ((f = fopen(path, "r")) == NULL) {
			unit_ok(0, "json_write: cannot read %s", path);
			free(path);
			continue;
		}
		n = same = 0;
		while ((len = getline(&line, &size, f)) > 1) {
			line[len - 1] = '\0';
			if ((o = json_parse(line, len - 1, &err)) == NULL)
				continue;
			b = evbuffer_new();
			json_write(b, o);
			n++;
			if (evbuffer_get_length(b) == strlen(json_text(o)) &&
			    memcmp(evbuffer_pullup(b, -1), json_text(o),
			    evbuffer_get_length(b)) == 0)
				same++;
			evbuffer_free(b);
			json_object_put(o);
		}
		fclose(f);
		unit_ok(n > 10 && same == n, "json_write: all %zu messages of "
		    "%s as json_text prints them (%zu the same)", n, files[i],
		    same);
		free(path);
	}
	free(line);

	for (k = 0; k < 256; k++)
		all[k] = (char)(k == 0 ? 1 : k);
	o = json_object_new_object();
	json_object_object_add(o, "every byte", json_object_new_string_len(
	    all, sizeof all));
	json_object_object_add(o, "nul", json_object_new_string_len("a\0b",
	    3));
	json_object_object_add(o, "slash/key\"", json_object_new_string(
	    "a/b\\c\"d"));
	json_object_object_add(o, "numbers", json_tokener_parse(
	    "[0,-1,1.5,1e300,9223372036854775807,true,false,null,{},[]]"));
	unit_write_same(o, "control characters, quotes, slashes, NUL, numbers");
	json_object_put(o);

	/* A 200 KB answer in content and structuredContent, as a result. */
	big = xmalloc(200001);
	for (i = 0; i < 200000; i++)
		big[i] = "ab\"\n\\cd\xc3\xa9"[i % 9];
	big[200000] = '\0';
	s = json_object_new_string(big);
	r = json_object_new_object();
	json_object_object_add(r, "text", s);
	json_object_object_add(r, "again", json_object_get(s));
	unit_write_same(r, "a 200 KB string held twice");
	b = evbuffer_new();
	json_write(b, r);
	json_object_put(r);
	free(big);
	/* The same block twice among the buffer's pieces, alive without r. */
	nv = evbuffer_peek(b, -1, NULL, v, 64);
	for (k = 0, pieces = 0; k < nv && k < 64; k++) {
		if (v[k].iov_len > 200000)
			pieces++;
	}
	for (k = 0, n = 0; k < nv && k < 64; k++) {
		for (i = k + 1; i < (size_t)nv && i < 64; i++) {
			if (v[k].iov_len > 200000 && v[i].iov_base == v[k].iov_base)
				n++;
		}
	}
	unit_ok(pieces == 2 && n == 1, "json_write: the long string is written "
	    "once and referenced twice (%zu pieces over 200 KB, %zu shared)",
	    pieces, n);
	evbuffer_free(b);
}

/* UTF-8 repair (utf8_fix) and cutting on a character boundary (utf8_cut). */
static void
unit_repair(void)
{
	static const struct {
		const char	*in;
		size_t		 len;
		const char	*want;
		const char	*name;
	} f[] = {
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14,
		    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		    "valid text comes back as it was" },
		{ "a\xff" "b", 3, "a\xef\xbf\xbd" "b", "FF becomes U+FFFD" },
		{ "a\xe2\x82" "b", 4, "a\xef\xbf\xbd" "b",
		    "a 3-byte sequence cut after 2 bytes is one U+FFFD" },
		{ "a\xf0\x9f\x98", 4, "a\xef\xbf\xbd",
		    "a 4-byte sequence cut at the end is one U+FFFD" },
		{ "\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd",
		    "an overlong '/' is two U+FFFD (C0 never begins one)" },
		{ "\xe0\x80\xaf", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
		    "an overlong 3-byte '/' is three U+FFFD" },
		{ "\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
		    "a CESU-8 surrogate is three U+FFFD" },
		{ "\xf4\x90\x80\x80", 4,
		    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
		    "U+110000 is four U+FFFD" },
		{ "\x80\x80" "x", 3, "\xef\xbf\xbd\xef\xbf\xbd" "x",
		    "each lone continuation byte is one U+FFFD" },
		{ "\xe2\x28\xa1", 3, "\xef\xbf\xbd(\xef\xbf\xbd",
		    "a bad second byte ends the part; it is read again" },
		{ "\xc3\xa9\xc3", 3, "\xc3\xa9\xef\xbf\xbd",
		    "a valid character then a cut one" },
	};
	static const struct {
		const char	*in;
		size_t		 max;
		size_t		 want;
		const char	*name;
	} c[] = {
		{ "abcdef", 3, 3, "ASCII is cut at max" },
		{ "abc", 3, 3, "text of exactly max is whole" },
		{ "ab", 5, 2, "shorter text is whole" },
		{ "a\xc3\xa9", 2, 1, "max inside a 2-byte character: before it" },
		{ "a\xc3\xa9", 3, 3, "max after a 2-byte character: after it" },
		{ "a\xe2\x82\xac", 2, 1, "max after the lead of a 3-byte one" },
		{ "a\xe2\x82\xac", 3, 1, "max inside a 3-byte one" },
		{ "a\xf0\x9f\x98\x80" "b", 4, 1, "max inside a 4-byte one" },
		{ "a\xf0\x9f\x98\x80" "b", 5, 5, "max after a 4-byte one" },
		{ "\xc3\xa9", 0, 0, "max 0 keeps nothing" },
		{ "\xf0\x9f\x98\x80", 1, 0, "a first character too big: none" },
	};
	char	*got;
	size_t	 i, len;

	for (i = 0; i < sizeof f / sizeof f[0]; i++) {
		got = xmalloc(f[i].len + 1);
		memcpy(got, f[i].in, f[i].len);
		got[f[i].len] = '\0';
		len = f[i].len;
		got = utf8_fix(got, &len);
		unit_is(got, len, f[i].want, strlen(f[i].want), "utf8_fix: %s",
		    f[i].name);
		unit_ok(got[len] == '\0' && utf8_valid(got, len),
		    "utf8_fix: %s: valid and NUL-terminated", f[i].name);
		free(got);
	}
	got = xstrdup("a_\xfe");
	got[1] = '\0';
	len = 3;
	got = utf8_fix(got, &len);
	unit_is(got, len, "a\0\xef\xbf\xbd", 5, "utf8_fix: a NUL is kept");
	free(got);
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		len = utf8_cut(c[i].in, strlen(c[i].in), c[i].max);
		unit_ok(len == c[i].want, "utf8_cut: %s (%zu, want %zu)",
		    c[i].name, len, c[i].want);
	}
}

/* The inputSchema of one of the embedded tool schemas (the caller puts it). */
static json_object *
unit_tool_schema(const char *name)
{
	const struct schema_file	*f;
	json_object			*def, *in;
	const char			*err;

	for (f = schema_files; f->name != NULL; f++) {
		if (strcmp(f->name, name) != 0)
			continue;
		if ((def = json_parse(f->text, strlen(f->text), &err)) == NULL)
			fatalx("schema %s: %s", name, err);
		in = json_object_get(json_obj(def, "inputSchema"));
		json_object_put(def);
		return (in);
	}
	fatalx("no schema %s", name);
}

/* What schema_check says of the JSON text args: "ok" or its message. */
static char *
unit_check(json_object *schema, const char *args)
{
	json_object	*v;
	const char	*err;
	char		*why, *out;

	v = json_parse(args, strlen(args), &err);
	if (err != NULL)
		fatalx("unit_check: %s: %s", args, err);
	if (schema_check(v, schema, &why) == 0)
		out = xstrdup(why == NULL ? "ok" : "ok, but a message");
	else
		out = why != NULL ? why : xstrdup("failed, with no message");
	json_object_put(v);
	return (out);
}

/* Schema checks. */
static void
unit_schema(void)
{
	static const struct {
		const char	*schema;	/* a tool, or "{" inline */
		const char	*args;
		const char	*want;
		const char	*name;
	} t[] = {
		{ "codex", "{\"prompt\":\"hi\"}", "ok",
		    "codex: just a prompt conforms" },
		{ "codex", "{\"prompt\":\"hi\",\"sandbox\":\"read-only\","
		    "\"approval-policy\":\"never\",\"config\":{\"a\":1},"
		    "\"reasoning-effort\":\"xhigh\"}", "ok",
		    "codex: every enum value and a config object conform" },
		{ "codex", "{}", "`prompt` is required",
		    "codex: prompt is required" },
		{ "codex", "{\"prompt\":5}",
		    "`prompt` must be a string, not a number",
		    "codex: a number for the prompt" },
		{ "codex", "{\"prompt\":\"\"}", "`prompt` must not be empty",
		    "codex: an empty prompt (minLength)" },
		{ "codex", "{\"prompt\":\"hi\",\"sandbox\":\"none\"}",
		    "`sandbox` must be one of [\"read-only\",\"workspace-write\","
		    "\"danger-full-access\"], not \"none\"",
		    "codex: a sandbox outside the enum, listing the values" },
		{ "codex", "{\"prompt\":\"hi\",\"foo\":1}",
		    "unknown argument `foo`",
		    "codex: additionalProperties false refuses an unknown key" },
		{ "codex", "{\"prompt\":\"hi\",\"config\":[]}",
		    "`config` must be an object, not an array",
		    "codex: config must be an object" },
		{ "codex", "[]", "the arguments must be an object, not an array",
		    "codex: the arguments must be an object" },
		{ "codex", "null", "the arguments must be an object, not null",
		    "codex: null arguments" },
		{ "codex-reply", "{\"threadId\":\"t\"}", "`prompt` is required",
		    "codex-reply: prompt is required (the id is checked later)" },
		{ "codex-reply", "{\"prompt\":\"hi\",\"threadId\":\"\"}",
		    "`threadId` must not be empty",
		    "codex-reply: an empty threadId" },
		{ "codex-list", "{}", "ok", "codex-list: no arguments conform" },
		{ "codex-list", "{\"limit\":0}", "`limit` must be at least 1",
		    "codex-list: limit below the minimum" },
		{ "codex-list", "{\"limit\":101}", "`limit` must be at most 100",
		    "codex-list: limit above the maximum" },
		{ "codex-list", "{\"limit\":100}", "ok",
		    "codex-list: limit at the maximum" },
		{ "codex-list", "{\"limit\":1.5}",
		    "`limit` must be an integer, not a number",
		    "codex-list: a fraction is not an integer" },
		{ "codex-list", "{\"archived\":\"yes\"}",
		    "`archived` must be a boolean, not a string",
		    "codex-list: a string is not a boolean" },
		{ "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}",
		    "[\"a\",1]", "the arguments[1] must be a string, not a number",
		    "inline: items are checked, the index named" },
		{ "{\"type\":\"number\",\"enum\":[1,2]}", "3",
		    "the arguments must be one of [1,2], not 3",
		    "inline: a number enum" },
		{ "{\"type\":\"number\"}", "2.5", "ok",
		    "inline: a fraction is a number" },
		{ "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"object\","
		    "\"properties\":{\"b\":{\"type\":\"boolean\"}}}}}",
		    "{\"a\":{\"b\":0}}", "`b` must be a boolean, not a number",
		    "inline: a nested property is named by its own key" },
		{ "{\"type\":\"object\"}", "{\"anything\":[1]}", "ok",
		    "inline: without additionalProperties any key is allowed" },
	};
	json_object	*schema;
	const char	*err;
	char		*got;
	size_t		 i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (*t[i].schema == '{') {
			schema = json_parse(t[i].schema, strlen(t[i].schema),
			    &err);
			if (schema == NULL)
				fatalx("inline schema: %s", err);
		} else
			schema = unit_tool_schema(t[i].schema);
		got = unit_check(schema, t[i].args);
		unit_is(got, strlen(got), t[i].want, strlen(t[i].want), "%s",
		    t[i].name);
		free(got);
		json_object_put(schema);
	}
}

/* A copy of state with the character at i changed to another base64url one. */
static char *
unit_state_flip(const char *state, size_t i)
{
	char	*copy = xstrdup(state);

	copy[i] = copy[i] == 'A' ? 'B' : 'A';
	return (copy);
}

/* request_state_seal and request_state_open: sealed, tamper-evident, keyed. */
static void
unit_state(void)
{
	json_object	*p, *got;
	const char	*why, *dot;
	char		*state, *bad, keyfile[] = "/tmp/units-key-XXXXXX";
	FILE		*f;
	int		 fd, i, opened;

	request_state_init(NULL);
	p = json_object_new_object();
	json_set_str(p, "wait", "0123456789abcdef");
	json_set_str(p, "tool", "codex-reply \u00e9\"'<>");
	json_object_object_add(p, "exp", json_object_new_int64(time(NULL) + 60));
	state = request_state_seal(p);
	unit_ok(strncmp(state, "v1.", 3) == 0 && strchr(state + 3, '.') != NULL,
	    "a sealed state is v1.PAYLOAD.MAC");
	unit_ok(strspn(state, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789-_.") == strlen(state), "it is base64url without padding");
	got = request_state_open(state, &why);
	unit_ok(got != NULL && json_object_equal(got, p),
	    "opening it gives the payload back");
	json_object_put(got);

	for (i = 0, opened = 0; i < 12; i++) {
		/* Every length of payload modulo 3: every base64 padding. */
		json_object_object_add(p, "pad", json_object_new_string_len(
		    "xxxxxxxxxxxx", i));
		bad = request_state_seal(p);
		got = request_state_open(bad, &why);
		opened += got != NULL && json_object_equal(got, p);
		json_object_put(got);
		free(bad);
	}
	json_object_object_del(p, "pad");
	unit_ok(opened == 12, "payloads of every length modulo 3 open (%d of 12)",
	    opened);

	dot = strrchr(state, '.');
	bad = unit_state_flip(state, 5);
	unit_ok(request_state_open(bad, &why) == NULL &&
	    strstr(why, "integrity") != NULL, "an altered payload is refused "
	    "by the MAC");
	free(bad);
	bad = unit_state_flip(state, dot - state + 3);
	unit_ok(request_state_open(bad, &why) == NULL &&
	    strstr(why, "integrity") != NULL, "an altered MAC is refused");
	free(bad);
	bad = xstrdup(state);
	bad[dot - state + 8] = '\0';
	unit_ok(request_state_open(bad, &why) == NULL && why != NULL,
	    "a cut MAC is refused");
	free(bad);
	unit_ok(request_state_open("v2.e30.AAAA", &why) == NULL &&
	    strstr(why, "not one this server issued") != NULL,
	    "another format is not ours");
	unit_ok(request_state_open("v1.e30", &why) == NULL,
	    "a state without a MAC is refused");
	unit_ok(request_state_open("v1.e30.!!!!", &why) == NULL,
	    "a MAC that is not base64url is refused");
	unit_ok(request_state_open("", &why) == NULL, "an empty state is refused");

	json_object_object_add(p, "exp", json_object_new_int64(time(NULL) - 1));
	bad = request_state_seal(p);
	unit_ok(request_state_open(bad, &why) == NULL &&
	    strstr(why, "expired") != NULL, "an expired state is refused");
	free(bad);
	json_object_object_del(p, "exp");
	bad = request_state_seal(p);
	unit_ok(request_state_open(bad, &why) == NULL,
	    "a state without an expiry is refused");
	free(bad);

	if ((fd = mkstemp(keyfile)) == -1 || (f = fdopen(fd, "w")) == NULL)
		fatal("mkstemp");
	fprintf(f, "  %s\n", "0123456789abcdef0123456789abcdef");
	fclose(f);
	request_state_init(keyfile);
	unit_ok(request_state_open(state, &why) == NULL &&
	    strstr(why, "another server") != NULL,
	    "a state sealed by another key is refused");
	free(state);
	json_object_object_add(p, "exp", json_object_new_int64(time(NULL) + 60));
	state = request_state_seal(p);
	request_state_init(keyfile);
	got = request_state_open(state, &why);
	unit_ok(got != NULL, "the same key file makes the same key (instances "
	    "share states)");
	json_object_put(got);
	unlink(keyfile);
	free(state);
	json_object_put(p);
}

/* base64url_encode and base64_decode: both alphabets, padding, refusals. */
static void
unit_base64(void)
{
	static const struct {
		const char	*text;
		int		 url;
		const char	*want;		/* NULL: refused */
		const char	*name;
	} t[] = {
		{ "aGk=", 0, "hi", "standard, one pad" },
		{ "aGkh", 0, "hi!", "standard, no pad" },
		{ "aA==", 0, "h", "standard, two pads" },
		{ "aGk", 0, NULL, "standard without its padding" },
		{ "aG!=", 0, NULL, "a character outside the alphabet" },
		{ "", 0, NULL, "nothing" },
		{ "aGk", 1, "hi", "url, unpadded" },
		{ "-_8", 1, "\xfb\xff", "url: - and _ for + and /" },
		{ "+_8", 1, NULL, "url refuses +" },
		{ "aGk=", 1, NULL, "url refuses padding" },
		{ "a", 1, NULL, "url: one character is no byte" },
	};
	unsigned char	*got;
	char		*enc;
	size_t		 i, n;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		got = base64_decode(t[i].text, strlen(t[i].text), t[i].url, &n);
		if (t[i].want == NULL)
			unit_ok(got == NULL, "%s: refused", t[i].name);
		else
			unit_is((char *)got, got != NULL ? n : 0, t[i].want,
			    strlen(t[i].want), "%s", t[i].name);
		free(got);
	}
	enc = base64url_encode("\xfb\xff", 2);
	unit_is(enc, strlen(enc), "-_8", 3, "encoding uses - and _, no padding");
	free(enc);
}

static const struct unit_group unit_groups[] = {
	{ "redaction", unit_redaction },
	{ "lines", unit_lines },
	{ "utf8", unit_utf8 },
	{ "repair", unit_repair },
	{ "schema", unit_schema },
	{ "state", unit_state },
	{ "base64", unit_base64 },
	{ "write", unit_write },
};

int
main(int argc, char **argv)
{
	size_t	i;

	for (i = 0; argc == 2 && i < sizeof unit_groups /
	    sizeof unit_groups[0]; i++) {
		if (strcmp(argv[1], unit_groups[i].name) != 0)
			continue;
		setvbuf(stdout, NULL, _IOLBF, 0);
		unit_groups[i].run();
		printf("1..%u\n", unit_count);
		return (unit_failed == 0 ? 0 : 1);
	}
	fprintf(stderr, "usage: units redaction|lines|utf8|repair|schema|write\n");
	return (2);
}
