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
 * Redaction of secrets before anything is written down (the trace, the
 * log, log messages to the client): values under keys that name secrets,
 * in messages and in text ("key": "value", key=value, key: value), bearer
 * tokens, Basic credentials, OpenAI-style keys and the user's own --redact
 * patterns. A redacted value keeps its length class and a short hash, so
 * that two traces can still be matched up.
 */

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/sha.h>

#include "proxy.h"

struct redact_pattern {
	regex_t		 re;
	int		 group;		/* replace this subexpression */
	int		 word;		/* match only at the start of a word */
	int		 (*valid)(const char *, size_t); /* or NULL */
};

static struct redact_pattern	*redact_patterns;
static size_t			 redact_npatterns;

/* The words that make a key name a secret ("token" unless usage follows). */
static const char *redact_words[] = {
	"key", "keys", "apikey", "token", "secret", "secrets", "password",
	"passwords", "passwd", "passphrase", "authorization", "auth",
	"cookie", "cookies", "credential", "credentials", NULL
};

/* The marker's start: a value that begins so was redacted already. */
#define REDACT_MARK	"[REDACTED "
#define REDACT_QUOTE_MAX	2	/* a key's closing quote: ", ' or \\" */

static int	 redact_word(const char *);
static int	 redact_basic(const char *, size_t);

/*
 * Add one pattern; group is the subexpression to hide (0: all of it), word
 * says a match must not follow a key character (POSIX has no \b), valid
 * (if not NULL) has the last word on a match.
 */
static int
redact_add(const char *regex, int group, int word,
    int (*valid)(const char *, size_t))
{
	struct redact_pattern	*p;

	redact_patterns = xrealloc(redact_patterns, (redact_npatterns + 1) *
	    sizeof *redact_patterns);
	p = &redact_patterns[redact_npatterns];
	if (regcomp(&p->re, regex, REG_EXTENDED) != 0)
		return (-1);
	p->group = group;
	p->word = word;
	p->valid = valid;
	redact_npatterns++;
	return (0);
}

/*
 * The built-in patterns, and the user's (--redact); exits on a bad one or
 * one that matches the empty text, which would hide nothing.
 */
void
redact_init(char **user, size_t nuser)
{
	size_t	i;

	/* A token never starts with "[", so a marker is not hidden again. */
	if (redact_add("[Bb][Ee][Aa][Rr][Ee][Rr][[:space:]]+"
	    "([^[:space:]\"[][^[:space:]\"]*)", 1, 0, NULL) != 0 ||
	    redact_add("[Bb][Aa][Ss][Ii][Cc][[:space:]]+([A-Za-z0-9+/]+=*)", 1,
	    0, redact_basic) != 0 ||
	    redact_add("sk-[A-Za-z0-9_-]{8,}", 0, 1, NULL) != 0)
		fatalx("cannot compile the built-in redaction patterns");
	for (i = 0; i < nuser; i++) {
		if (redact_add(user[i], 0, 0, NULL) != 0)
			fatalx("--redact: not an extended regular expression: %s",
			    user[i]);
		if (regexec(&redact_patterns[redact_npatterns - 1].re, "", 0,
		    NULL, 0) == 0)
			fatalx("--redact: the pattern matches the empty text: %s",
			    user[i]);
	}
}

/* Free the patterns. */
void
redact_free(void)
{
	size_t	i;

	for (i = 0; i < redact_npatterns; i++)
		regfree(&redact_patterns[i].re);
	free(redact_patterns);
	redact_patterns = NULL;
	redact_npatterns = 0;
}

/* Is this lower-case word one of redact_words (2 for "token")? */
static int
redact_word(const char *word)
{
	size_t	i;

	for (i = 0; redact_words[i] != NULL; i++) {
		if (strcmp(word, redact_words[i]) == 0)
			return (strcmp(word, "token") == 0 ? 2 : 1);
	}
	return (0);
}

/*
 * Does this key name a secret? Its words (split at characters other than
 * letters and digits, between letters and digits and where the case
 * changes: api_key, apiKey, APIKey, key2) are looked up; "token" followed
 * by "usage" or "count" (tokenUsage, total_token_usage) counts model
 * tokens, as does "tokens".
 */
int
redact_key(const char *key)
{
	char			 word[64];
	const unsigned char	*p;
	size_t			 n = 0;
	int			 token = 0, found, end;

	for (p = (const unsigned char *)key;; p++) {
		end = !isalnum(*p) || (n > 0 &&
		    (!isdigit(*p) != !isdigit(p[-1]) ||
		    (isupper(*p) && (islower(p[-1]) || islower(p[1])))));
		if (end && n > 0) {
			word[n] = '\0';
			if (token && strcmp(word, "usage") != 0 &&
			    strcmp(word, "count") != 0)
				return (1);
			if ((found = redact_word(word)) == 1)
				return (1);
			token = found == 2;
			n = 0;
		}
		if (*p == '\0')
			break;
		if (isalnum(*p) && n < sizeof word - 1)
			word[n++] = tolower(*p);
	}
	return (token);
}

/* Append the marker that stands for a secret of len bytes at s. */
static void
redact_mark(struct evbuffer *out, const char *s, size_t len)
{
	unsigned char	 digest[SHA256_DIGEST_LENGTH];
	const char	*size;

	SHA256((const unsigned char *)s, len, digest);
	if (len < 8)
		size = "<8";
	else if (len < 16)
		size = "8-15";
	else if (len < 32)
		size = "16-31";
	else if (len < 64)
		size = "32-63";
	else
		size = "64+";
	evbuffer_add_printf(out, "[REDACTED len=%s sha=%02x%02x%02x]", size,
	    digest[0], digest[1], digest[2]);
}

/* Is c one of the characters an OpenAI-style key is made of? */
static int
redact_keychar(char c)
{
	return ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-');
}

/*
 * Is the base64 text s of len bytes a Basic credential, user:password? Its
 * decoding holds a colon: "Basic setup" is left alone.
 */
static int
redact_basic(const char *s, size_t len)
{
	unsigned char	*out;
	size_t		 n;
	int		 found;

	if (len > 4096 || (out = base64_decode(s, len, 0, &n)) == NULL)
		return (0);
	found = memchr(out, ':', n) != NULL;
	free(out);
	return (found);
}

/*
 * Find the first match of p in s, a part of the text that starts at base,
 * and set *at and *end to what it hides. Returns -1 if there is none.
 */
static int
redact_find(const struct redact_pattern *p, const char *base, const char *s,
    const char **at, const char **end)
{
	regmatch_t	 m[2];
	const char	*from = s;
	int		 g = p->group;

	for (;;) {
		if (regexec(&p->re, from, 2, m, from > base ? REG_NOTBOL : 0) !=
		    0 || m[g].rm_so < 0)
			return (-1);
		*at = from + m[g].rm_so;
		*end = from + m[g].rm_eo;
		if (*end > *at && (!p->word || *at == base ||
		    !redact_keychar((*at)[-1])) && (p->valid == NULL ||
		    p->valid(*at, *end - *at)))
			return (0);
		/* Empty, in the middle of a word ("task-...") or not valid. */
		if (**at == '\0')
			return (-1);
		from = *at + 1;
	}
}

/*
 * The end of the string at p that opened with quote (", ' or, in JSON
 * inside a JSON string, \"): its closing quote, or the text's end.
 */
static const char *
redact_quoted(const char *p, const char *quote)
{
	size_t	n = strlen(quote);

	for (; *p != '\0' && strncmp(p, quote, n) != 0; p++) {
		if (n == 1 && *p == '\\' && p[1] != '\0')
			p++;
		else if (n == 2 && strncmp(p, "\\\\", 2) == 0) {
			/* An escaped backslash, escaping what follows. */
			p += 2;
			if (*p == '\\' && p[1] != '\0')
				p++;
			if (*p == '\0')
				break;
		}
	}
	return (p);
}

/* The end of the object or array at p: past its bracket, or the text's. */
static const char *
redact_balanced(const char *p)
{
	const char	*quote;
	int		 depth = 0;

	for (; *p != '\0'; p++) {
		if (*p == '"' || strncmp(p, "\\\"", 2) == 0) {
			quote = *p == '"' ? "\"" : "\\\"";
			p = redact_quoted(p + strlen(quote), quote);
			if (*p == '\0')
				break;
			p += strlen(quote) - 1;
		} else if (*p == '{' || *p == '[')
			depth++;
		else if ((*p == '}' || *p == ']') && --depth == 0)
			return (p + 1);
	}
	return (p);
}

/* The length of an auth scheme (Bearer, Basic) and the blanks after it. */
static size_t
redact_scheme(const char *p)
{
	static const char	*schemes[] = { "bearer", "basic", NULL };
	size_t			 i, n;

	for (i = 0; schemes[i] != NULL; i++) {
		n = strlen(schemes[i]);
		if (strncasecmp(p, schemes[i], n) == 0 &&
		    (p[n] == ' ' || p[n] == '\t'))
			return (n + strspn(p + n, " \t"));
	}
	return (0);
}

/*
 * After a key and its separator, at p, set *at and *end to its value: a
 * quoted string (inside its quotes), an object or an array (all of it), or
 * else a word, or for a header (line set) such as Authorization or Cookie,
 * whose values hold blanks and semicolons, the rest of the line unless a
 * known auth scheme (Bearer, Basic) precedes one word; the scheme stays. Returns -1 if there is none, or it is null
 * or already a marker.
 */
static int
redact_value(const char *p, int line, const char **at, const char **end)
{
	const char	*quote = NULL;
	size_t		 scheme;

	p += strspn(p, " \t");
	if (strncmp(p, "\\\"", 2) == 0)
		quote = "\\\"";
	else if (*p == '"')
		quote = "\"";
	else if (*p == '\'')
		quote = "'";
	if (quote != NULL) {
		p += strlen(quote);
		*end = redact_quoted(p, quote);
	} else if (*p == '{' || *p == '[')
		*end = redact_balanced(p);
	else {
		scheme = redact_scheme(p);
		p += scheme;
		*end = p + strcspn(p, line && scheme == 0 ? "\r\n" :
		    " \t\r\n,;&\"'}])>");
		if (*end - p == 4 && strncmp(p, "null", 4) == 0)
			return (-1);
	}
	*at = p;
	if (*end == *at || strncmp(*at, REDACT_MARK, strlen(REDACT_MARK)) == 0)
		return (-1);
	return (0);
}

/* Is this key, at the start of a line, a header whose value is the line? */
static int
redact_header(const char *key)
{
	return (strcasecmp(key, "authorization") == 0 ||
	    strcasecmp(key, "proxy-authorization") == 0 ||
	    strcasecmp(key, "cookie") == 0 ||
	    strcasecmp(key, "set-cookie") == 0);
}

/*
 * Find the first value in s (a part of the text that starts at base) under
 * a key that names a secret: "key": value, key=value or key: value; and set
 * *at and *end to it, and *quote to how the key was quoted (", ', \" or
 * ""), for the marker of an object or array. A word in a path (/etc/token: No such file,
 * codex_core::auth: ..., Token::new) is not a key, nor is an option named
 * in prose (--auth-token-file: ...), though --api-key=value is.
 */
static int
redact_find_pair(const char *base, const char *s, const char **at,
    const char **end, char *quote)
{
	char		 key[64];
	const char	*k, *p, *sep;
	size_t		 n, q;
	int		 header;

	for (k = s; *k != '\0'; k = p) {
		if (!redact_keychar(*k)) {
			p = k + 1;
			continue;
		}
		for (p = k; redact_keychar(*p); p++)
			;
		n = p - k;
		q = strspn(p, "\"'\\");
		sep = p + q + strspn(p + q, " \t");
		if ((*sep != ':' && *sep != '=') || sep[1] == ':' ||
		    (*k == '-' && *sep == ':') ||	/* --option: prose */
		    (k > base && (redact_keychar(k[-1]) || k[-1] == '/')) ||
		    (k - base >= 2 && k[-1] == ':' && k[-2] == ':') ||
		    n >= sizeof key)
			continue;
		memcpy(key, k, n);
		key[n] = '\0';
		header = q == 0 && *sep == ':' && (k == base || k[-1] == '\n') &&
		    redact_header(key);
		if (redact_key(key) && redact_value(sep + 1, header, at,
		    end) == 0) {
			if (q > REDACT_QUOTE_MAX)
				q = 0;
			memcpy(quote, p, q);
			quote[q] = '\0';
			return (0);
		}
	}
	return (-1);
}

/*
 * Set at[i], end[i] to finder i's first match at or after s (at[i] NULL if
 * there is none): pattern i, or for i == redact_npatterns the next value
 * under a secret-named key, how its key was quoted going to quote.
 */
static void
redact_seek(size_t i, const char *base, const char *s, const char **at,
    const char **end, char *quote)
{
	if ((i == redact_npatterns ? redact_find_pair(base, s, &at[i],
	    &end[i], quote) : redact_find(&redact_patterns[i], base, s, &at[i],
	    &end[i])) != 0)
		at[i] = NULL;
}

/*
 * Append s with every match of the patterns and every value under a
 * secret-named key replaced by a marker (an object or array by a marker
 * quoted as its key was, so JSON stays JSON). Each finder's next match is
 * kept and looked for again only once the text before it is written, so a
 * long text is read once per finder, not once per secret in it.
 */
static void
redact_text_into(struct evbuffer *out, const char *s)
{
	const char	*base = s, **at, **end, *q;
	char		 quote[REDACT_QUOTE_MAX + 1] = "";
	size_t		 i, best, n = redact_npatterns + 1;

	at = xcalloc(n, sizeof *at);
	end = xcalloc(n, sizeof *end);
	for (i = 0; i < n; i++)
		redact_seek(i, base, s, at, end, quote);
	while (*s != '\0') {
		best = n;
		for (i = 0; i < n; i++) {
			if (at[i] != NULL && at[i] < s)
				redact_seek(i, base, s, at, end, quote);
			/* The first match, or as early and longer. */
			if (at[i] != NULL && (best == n || at[i] < at[best] ||
			    (at[i] == at[best] && end[i] > end[best])))
				best = i;
		}
		if (best == n)
			break;
		q = best == n - 1 && (*at[best] == '{' || *at[best] == '[') ?
		    quote : "";
		evbuffer_add(out, s, at[best] - s);
		evbuffer_add(out, q, strlen(q));
		redact_mark(out, at[best], end[best] - at[best]);
		evbuffer_add(out, q, strlen(q));
		s = end[best];
	}
	evbuffer_add(out, s, strlen(s));
	free(at);
	free(end);
}

/* A copy of s with secrets replaced (the caller frees it). */
char *
redact_text(const char *s)
{
	struct evbuffer	*b = evbuffer_new();

	redact_text_into(b, s);
	return (xevbuffer_string(b));
}

/* Append a JSON string literal for s. */
static void
redact_quote(struct evbuffer *out, const char *s, size_t len)
{
	json_object	*tmp = json_object_new_string_len(s, len);
	const char	*text = json_text(tmp);

	evbuffer_add(out, text, strlen(text));
	json_object_put(tmp);
}

/*
 * Append v as JSON, secrets replaced. Under a secret key (at any depth)
 * every string, number and boolean becomes a marker; keys and nulls stay.
 */
static void
redact_json_into(struct evbuffer *out, json_object *v, int secret)
{
	struct json_object_iterator	 it, last;
	struct evbuffer			*tmp;
	const char			*key, *text, *s, *end;
	size_t				 i, n;
	int				 first = 1;

	switch (json_object_get_type(v)) {
	case json_type_string:
		tmp = evbuffer_new();
		s = json_object_get_string(v);
		end = s + json_object_get_string_len(v);
		if (secret)
			redact_mark(tmp, s, end - s);
		else {
			/* Piece by piece around any NUL the string holds. */
			for (;;) {
				redact_text_into(tmp, s);
				if ((s += strlen(s)) >= end)
					break;
				evbuffer_add(tmp, "", 1);
				s++;
			}
		}
		n = evbuffer_get_length(tmp);
		redact_quote(out, (const char *)evbuffer_pullup(tmp, -1), n);
		evbuffer_free(tmp);
		break;
	case json_type_object:
		evbuffer_add(out, "{", 1);
		it = json_object_iter_begin(v);
		last = json_object_iter_end(v);
		for (; !json_object_iter_equal(&it, &last);
		    json_object_iter_next(&it)) {
			key = json_object_iter_peek_name(&it);
			if (!first)
				evbuffer_add(out, ",", 1);
			first = 0;
			redact_quote(out, key, strlen(key));
			evbuffer_add(out, ":", 1);
			redact_json_into(out, json_object_iter_peek_value(&it),
			    secret || redact_key(key));
		}
		evbuffer_add(out, "}", 1);
		break;
	case json_type_array:
		evbuffer_add(out, "[", 1);
		n = json_object_array_length(v);
		for (i = 0; i < n; i++) {
			if (i > 0)
				evbuffer_add(out, ",", 1);
			redact_json_into(out, json_object_array_get_idx(v, i),
			    secret);
		}
		evbuffer_add(out, "]", 1);
		break;
	case json_type_null:
		evbuffer_add(out, "null", 4);
		break;
	default:
		text = json_text(v);
		if (!secret) {
			evbuffer_add(out, text, strlen(text));
			break;
		}
		tmp = evbuffer_new();
		redact_mark(tmp, text, strlen(text));
		n = evbuffer_get_length(tmp);
		redact_quote(out, (const char *)evbuffer_pullup(tmp, -1), n);
		evbuffer_free(tmp);
		break;
	}
}

/* Append the message v as one line of JSON with its secrets replaced. */
void
redact_json(struct evbuffer *out, json_object *v)
{
	redact_json_into(out, v, 0);
}

/* The message as redacted JSON text (the caller frees it). */
char *
redact_json_text(json_object *v)
{
	struct evbuffer	*b = evbuffer_new();

	redact_json_into(b, v, 0);
	return (xevbuffer_string(b));
}
