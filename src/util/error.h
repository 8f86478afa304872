/* One error type travels up from where a failure is detected to main.c, which alone
 * prints it and maps it to an exit status. Messages name the file, record and field. */
#ifndef WS_ERROR_H
#define WS_ERROR_H

#include <stdbool.h>

enum ws_errc {
	WS_OK,
	WS_ERR_USAGE,    /* bad command line (exit 64) */
	WS_ERR_IO,       /* read/write failure (exit 74) */
	WS_ERR_FORMAT,   /* bad input data (exit 65) */
	WS_ERR_PROJ,     /* CRS or reprojection failure on the data (exit 65) */
	WS_ERR_GEOS,     /* geometry engine failure on the data (exit 65) */
	WS_ERR_NOMEM,    /* out of memory (exit 70) */
	WS_ERR_INTERNAL, /* broken invariant (exit 70) */
	WS_ERR_NOINPUT,  /* an input file is missing (exit 66) */
	WS_ERR_CANTCREAT /* the output cannot be created (exit 73) */
};

struct ws_error {
	enum ws_errc code;
	char msg[512];
};

/* Records the first failure; always returns false so callers can `return ws_error_set(...)`. */
bool ws_error_set(struct ws_error *err, enum ws_errc code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prepends context ("compounds.dbf: ") to the message already set; returns false. */
bool ws_error_prefix(struct ws_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends a hint (" (give --encoding ...)") to the message already set, as much of it as
 * fits; returns false. */
bool ws_error_append(struct ws_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Sets WS_ERR_NOMEM with a fixed message; returns false. */
bool ws_error_nomem(struct ws_error *err);

/* sysexits status for an error code (used by main.c only). */
int ws_error_exit_status(enum ws_errc code);

#endif
