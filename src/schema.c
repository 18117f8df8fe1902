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
 * Checking tool arguments against the tools' own input schemas, so that the
 * files in schemas/ are the single truth. It covers the part of JSON Schema
 * those files use: type, enum, properties, required, additionalProperties,
 * minLength, minimum, maximum and items.
 */

#include <stdlib.h>
#include <string.h>

#include "proxy.h"

static int	 schema_check_value(json_object *, json_object *, const char *,
		     char **);
static int	 schema_type_ok(json_object *, const char *);
static const char *schema_type_name(json_object *);

/* Does the JSON type of v match the schema type name? */
static int
schema_type_ok(json_object *v, const char *type)
{
	enum json_type	t = json_object_get_type(v);

	if (strcmp(type, "string") == 0)
		return (t == json_type_string);
	if (strcmp(type, "object") == 0)
		return (t == json_type_object);
	if (strcmp(type, "array") == 0)
		return (t == json_type_array);
	if (strcmp(type, "boolean") == 0)
		return (t == json_type_boolean);
	if (strcmp(type, "integer") == 0)
		return (t == json_type_int);
	if (strcmp(type, "number") == 0)
		return (t == json_type_int || t == json_type_double);
	if (strcmp(type, "null") == 0)
		return (v == NULL);
	return (1);
}

/* A word for the type of v, for messages. */
static const char *
schema_type_name(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return ("null");
	case json_type_boolean:
		return ("a boolean");
	case json_type_double:
	case json_type_int:
		return ("a number");
	case json_type_object:
		return ("an object");
	case json_type_array:
		return ("an array");
	case json_type_string:
		return ("a string");
	}
	return ("something else");
}

/* Check one value against one schema; where names it in messages. */
static int
schema_check_value(json_object *v, json_object *schema, const char *where,
    char **why)
{
	json_object		*type, *e, *props, *req, *addl, *sub;
	struct json_object_iterator it, end;
	const char		*key;
	char			*path;
	size_t			 i, n;
	int			 ok;

	if ((type = json_obj(schema, "type")) != NULL &&
	    json_object_is_type(type, json_type_string) &&
	    !schema_type_ok(v, json_object_get_string(type))) {
		xasprintf(why, "%s must be %s %s, not %s", where,
		    strchr("aeiou", *json_object_get_string(type)) ? "an" : "a",
		    json_object_get_string(type), schema_type_name(v));
		return (-1);
	}
	if ((e = json_obj(schema, "enum")) != NULL) {
		n = json_object_array_length(e);
		for (i = 0; i < n; i++) {
			if (json_object_equal(v, json_object_array_get_idx(e,
			    i)))
				break;
		}
		if (i == n) {
			xasprintf(why, "%s must be one of %s, not %s", where,
			    json_text(e), json_text(v));
			return (-1);
		}
	}
	if (json_object_is_type(v, json_type_string)) {
		if ((e = json_obj(schema, "minLength")) != NULL &&
		    json_object_get_string_len(v) < json_object_get_int(e)) {
			xasprintf(why, "%s must not be empty", where);
			return (-1);
		}
	}
	if (json_object_is_type(v, json_type_int) ||
	    json_object_is_type(v, json_type_double)) {
		if ((e = json_obj(schema, "minimum")) != NULL &&
		    json_object_get_double(v) < json_object_get_double(e)) {
			xasprintf(why, "%s must be at least %s", where,
			    json_text(e));
			return (-1);
		}
		if ((e = json_obj(schema, "maximum")) != NULL &&
		    json_object_get_double(v) > json_object_get_double(e)) {
			xasprintf(why, "%s must be at most %s", where,
			    json_text(e));
			return (-1);
		}
	}
	if (json_object_is_type(v, json_type_array) &&
	    (sub = json_obj(schema, "items")) != NULL) {
		n = json_object_array_length(v);
		for (i = 0; i < n; i++) {
			xasprintf(&path, "%s[%zu]", where, i);
			ok = schema_check_value(json_object_array_get_idx(v, i),
			    sub, path, why);
			free(path);
			if (ok != 0)
				return (-1);
		}
	}
	if (!json_object_is_type(v, json_type_object))
		return (0);

	req = json_obj(schema, "required");
	n = req != NULL ? json_object_array_length(req) : 0;
	for (i = 0; i < n; i++) {
		key = json_object_get_string(json_object_array_get_idx(req, i));
		if (!json_object_object_get_ex(v, key, NULL)) {
			xasprintf(why, "`%s` is required", key);
			return (-1);
		}
	}
	props = json_obj(schema, "properties");
	addl = json_obj(schema, "additionalProperties");
	it = json_object_iter_begin(v);
	end = json_object_iter_end(v);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
		key = json_object_iter_peek_name(&it);
		if ((sub = json_obj(props, key)) == NULL) {
			if (addl != NULL &&
			    json_object_is_type(addl, json_type_boolean) &&
			    !json_object_get_boolean(addl)) {
				xasprintf(why, "unknown argument `%s`", key);
				return (-1);
			}
			continue;
		}
		xasprintf(&path, "`%s`", key);
		ok = schema_check_value(json_object_iter_peek_value(&it), sub,
		    path, why);
		free(path);
		if (ok != 0)
			return (-1);
	}
	return (0);
}

/*
 * Check v against schema. Returns 0 if it conforms, -1 with a message for
 * the caller to free in *why if not.
 */
int
schema_check(json_object *v, json_object *schema, char **why)
{
	*why = NULL;
	return (schema_check_value(v, schema, "the arguments", why));
}

/* The built-in schema file name (from schemas/), parsed; exits if broken. */
json_object *
schema_load(const char *name)
{
	const struct schema_file	*f;
	json_object			*v;
	const char			*err;

	for (f = schema_files; f->name != NULL; f++) {
		if (strcmp(f->name, name) == 0)
			break;
	}
	if (f->name == NULL)
		fatalx("no schema file %s", name);
	if ((v = json_parse(f->text, strlen(f->text), &err)) == NULL)
		fatalx("schemas/%s.json: %s", name, err);
	return (v);
}
