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
 * Small helpers over json-c: typed lookups, parsing with a size limit and
 * compact serialization. Lookups borrow; nothing here takes ownership.
 */

#include <math.h>
#include <string.h>

#include "proxy.h"

/* The string member key of obj, or NULL if absent or not a string. */
const char *
json_str(json_object *obj, const char *key)
{
	json_object	*v = json_typed(obj, key, json_type_string, NULL);

	return (v != NULL ? json_object_get_string(v) : NULL);
}

/*
 * The member key of obj if it has type t, else NULL. A member of another
 * type (null counts as absent) also sets *why, if why is not NULL and this
 * is the first such member, to say so ("turns is not an array"; to free).
 */
json_object *
json_typed(json_object *obj, const char *key, enum json_type t, char **why)
{
	static const char	*names[] = {
		"null", "a boolean", "a number", "an integer", "an object",
		"an array", "a string"
	};
	json_object		*v = json_obj(obj, key);

	if (v == NULL || json_object_is_type(v, t))
		return (v);
	if (why != NULL && *why == NULL)
		xasprintf(why, "%s is not %s", key, names[t]);
	return (NULL);
}

/* As json_typed (why not NULL), but an absent member sets *why too. */
json_object *
json_needed(json_object *obj, const char *key, enum json_type t, char **why)
{
	json_object	*v = json_typed(obj, key, t, why);

	if (v == NULL && *why == NULL)
		xasprintf(why, "%s is missing", key);
	return (v);
}

/* The object member key of obj, or NULL if absent or not an object. */
json_object *
json_obj(json_object *obj, const char *key)
{
	json_object	*v;

	if (obj == NULL || !json_object_is_type(obj, json_type_object))
		return (NULL);
	if (!json_object_object_get_ex(obj, key, &v))
		return (NULL);
	return (v);
}

/* Follow a dotted path of object members ("turn.error.message"). */
json_object *
json_path(json_object *obj, const char *path)
{
	char		 key[128];
	const char	*dot;
	size_t		 n;

	while (obj != NULL && (dot = strchr(path, '.')) != NULL) {
		n = dot - path;
		if (n >= sizeof key)
			return (NULL);
		memcpy(key, path, n);
		key[n] = '\0';
		obj = json_obj(obj, key);
		path = dot + 1;
	}
	return (json_obj(obj, path));
}

/* The string at a dotted path, or NULL. */
const char *
json_path_str(json_object *obj, const char *path)
{
	json_object	*v = json_path(obj, path);

	if (v == NULL || !json_object_is_type(v, json_type_string))
		return (NULL);
	return (json_object_get_string(v));
}

/* Set obj.key to a copy of the string s, if s is not NULL. */
void
json_set_str(json_object *obj, const char *key, const char *s)
{
	if (s != NULL)
		json_object_object_add(obj, key, json_object_new_string(s));
}

/* Set obj.key to v (taking a new reference), if v is not NULL. */
void
json_set_copy(json_object *obj, const char *key, json_object *v)
{
	if (v != NULL)
		json_object_object_add(obj, key, json_object_get(v));
}

/*
 * Walk a parsed value: refuse NaN and Infinity, which are not JSON, and
 * make every number print in its canonical form, not as it was written.
 */
static int
json_normalize(json_object *v)
{
	struct json_object_iterator	 it, end;
	size_t				 i, n;

	switch (json_object_get_type(v)) {
	case json_type_double:
		if (!isfinite(json_object_get_double(v)))
			return (-1);
		json_object_set_serializer(v, NULL, NULL, NULL);
		return (0);
	case json_type_array:
		n = json_object_array_length(v);
		for (i = 0; i < n; i++) {
			if (json_normalize(json_object_array_get_idx(v, i)) != 0)
				return (-1);
		}
		return (0);
	case json_type_object:
		it = json_object_iter_begin(v);
		end = json_object_iter_end(v);
		for (; !json_object_iter_equal(&it, &end);
		    json_object_iter_next(&it)) {
			if (json_normalize(json_object_iter_peek_value(&it)) != 0)
				return (-1);
		}
		return (0);
	default:
		return (0);
	}
}

/*
 * Is there a single quote outside the strings of this JSON text? json-c's
 * strict mode still takes {'a':1}.
 */
static int
json_single_quoted(const char *text, size_t len)
{
	size_t	i;
	int	in_string = 0;

	if (memchr(text, '\'', len) == NULL)
		return (0);
	for (i = 0; i < len; i++) {
		if (in_string && text[i] == '\\')
			i++;
		else if (text[i] == '"')
			in_string = !in_string;
		else if (!in_string && text[i] == '\'')
			return (1);
	}
	return (0);
}

/*
 * Parse one complete JSON text (text[len] must be NUL) strictly: no
 * trailing commas, comments or other extensions, no NaN. On failure set
 * *err and return NULL; a JSON null also gives NULL, with *err NULL.
 */
json_object *
json_parse(const char *text, size_t len, const char **err)
{
	struct json_tokener	*tok;
	json_object		*obj;
	enum json_tokener_error	 jerr;

	*err = NULL;
	if ((tok = json_tokener_new_ex(128)) == NULL)
		fatalx("json_tokener_new_ex failed");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	/* The terminating NUL ends a bare number or literal. */
	obj = json_tokener_parse_ex(tok, text, (int)len + 1);
	jerr = json_tokener_get_error(tok);
	if (jerr != json_tokener_success) {
		*err = jerr == json_tokener_continue ? "incomplete JSON text" :
		    json_tokener_error_desc(jerr);
		json_object_put(obj);
		obj = NULL;
	} else if (json_tokener_get_parse_end(tok) < len) {
		*err = "trailing characters after the JSON value";
		json_object_put(obj);
		obj = NULL;
	} else if (json_single_quoted(text, len)) {
		*err = "single quotes are not JSON";
		json_object_put(obj);
		obj = NULL;
	} else if (json_normalize(obj) != 0) {
		*err = "NaN and Infinity are not JSON numbers";
		json_object_put(obj);
		obj = NULL;
	}
	json_tokener_free(tok);
	return (obj);
}

/* Does the JSON text escape a NUL character (\u0000) in some string? */
int
json_has_nul(const char *text, size_t len)
{
	const char	*p = text, *end = text + len;
	size_t		 slashes;

	while ((p = memmem(p, end - p, "u0000", 5)) != NULL) {
		/* An odd run of backslashes before it makes it an escape. */
		for (slashes = 0; p - slashes > text &&
		    p[-1 - (ptrdiff_t)slashes] == '\\'; slashes++)
			;
		if (slashes % 2 == 1)
			return (1);
		p += 5;
	}
	return (0);
}

/* Serialize compactly, on one line; the string lives as long as obj. */
const char *
json_text(json_object *obj)
{
	return (json_object_to_json_string_ext(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

/*
 * Is this a valid JSON-RPC request id: a string, or an integer that json-c
 * holds exactly (it clamps larger ones to the limits of 64 bits)?
 */
int
json_id_valid(json_object *id)
{
	int64_t	v;

	if (json_object_is_type(id, json_type_string))
		return (1);
	if (!json_object_is_type(id, json_type_int))
		return (0);
	v = json_object_get_int64(id);
	if (v == INT64_MIN)
		return (0);
	return (v != INT64_MAX || json_object_get_uint64(id) != UINT64_MAX);
}

/* Are two request ids the same, type included? */
int
json_id_equal(json_object *a, json_object *b)
{
	if (a == NULL || b == NULL)
		return (0);
	if (json_object_get_type(a) != json_object_get_type(b))
		return (0);
	if (json_object_is_type(a, json_type_int))
		return (json_object_get_int64(a) == json_object_get_int64(b) &&
		    json_object_get_uint64(a) == json_object_get_uint64(b));
	return (json_object_get_string_len(a) == json_object_get_string_len(b) &&
	    memcmp(json_object_get_string(a), json_object_get_string(b),
	    json_object_get_string_len(a)) == 0);
}
