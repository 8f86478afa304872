/* Readers for the service inputs: a catalogue CSV (UTF-8, RFC 4180, header row with
 * columns `center_id` and `service`, other columns ignored, one service per row) and a
 * requirements file (services one per line or separated by ; , |; '#' starts a comment
 * line). They read and split text only; matching is done by analysis/services.h. */
#ifndef WS_CATALOGUE_H
#define WS_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

struct ws_catalogue_rows {
	size_t n;
	char **center_id, **service;   /* owned, blanks trimmed */
	size_t *line;                  /* 1-based line of each row, for messages */
};

bool ws_catalogue_read_csv(struct ws_catalogue_rows *rows, const char *path, struct ws_error *err);
void ws_catalogue_rows_finish(struct ws_catalogue_rows *rows);

/* Appends the services named in `path` to *items (see ws_services_split). */
bool ws_requirements_read(const char *path, char ***items, size_t *n, struct ws_error *err);

#endif
