/* JSON documents (json-c) written to a file with every write checked. */
#ifndef WS_JSONOUT_H
#define WS_JSONOUT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "util/error.h"

bool ws_json_write_file(const char *path, struct json_object *doc, struct ws_error *err);
/* To an open stream (standard output, a ws_outfile); `what` names it in messages. */
bool ws_json_write_stream(FILE *out, const char *what, struct json_object *doc, struct ws_error *err);
/* A number printed with `decimals` digits (non-finite -> null). */
struct json_object *ws_json_real(double v, int decimals);
/* A string, or null for NULL. */
struct json_object *ws_json_text(const char *s);

#endif
