/* Error recording: the first error set wins, context is prepended on the way up. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool ws_error_set(struct ws_error *err, enum ws_errc code, const char *fmt, ...)
{
	if (!err || err->code != WS_OK)
		return false;
	err->code = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return false;
}

bool ws_error_prefix(struct ws_error *err, const char *fmt, ...)
{
	if (!err)
		return false;
	char prefix[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	/* prefix first, then as much of the old message as still fits */
	char joined[sizeof err->msg];
	size_t lp = strlen(prefix), lm = strlen(err->msg);
	if (lp > sizeof joined - 1)
		lp = sizeof joined - 1;
	if (lm > sizeof joined - 1 - lp)
		lm = sizeof joined - 1 - lp;
	memcpy(joined, prefix, lp);
	memcpy(joined + lp, err->msg, lm);
	joined[lp + lm] = '\0';
	memcpy(err->msg, joined, sizeof joined);
	return false;
}

bool ws_error_append(struct ws_error *err, const char *fmt, ...)
{
	if (!err)
		return false;
	size_t used = strnlen(err->msg, sizeof err->msg - 1);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg + used, sizeof err->msg - used, fmt, ap);
	va_end(ap);
	return false;
}

bool ws_error_nomem(struct ws_error *err)
{
	return ws_error_set(err, WS_ERR_NOMEM, "out of memory");
}

int ws_error_exit_status(enum ws_errc code)
{
	switch (code) {
	case WS_OK: return 0;
	case WS_ERR_USAGE: return 64;
	case WS_ERR_FORMAT:
	case WS_ERR_PROJ:
	case WS_ERR_GEOS: return 65;
	case WS_ERR_NOINPUT: return 66;
	case WS_ERR_NOMEM:
	case WS_ERR_INTERNAL: return 70;
	case WS_ERR_CANTCREAT: return 73;
	case WS_ERR_IO: return 74;
	}
	return 70;
}
