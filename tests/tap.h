/* A header-only TAP harness: ok, is_int, is_double, is_str, diag, done. Each test program
 * includes it once; meson runs the programs with protocol 'tap'. */
#ifndef WS_TAP_H
#define WS_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

__attribute__((format(printf, 2, 3))) static bool ok(bool cond, const char *fmt, ...)
{
	va_list ap;
	tap_count++;
	if (!cond)
		tap_failed++;
	printf("%s %d - ", cond ? "ok" : "not ok", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

__attribute__((format(printf, 1, 2))) static void diag(const char *fmt, ...)
{
	va_list ap;
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

#define is_int(got, want, ...) \
	do { long long g_ = (long long)(got), w_ = (long long)(want); \
	     if (!ok(g_ == w_, __VA_ARGS__)) diag("got %lld, want %lld", g_, w_); } while (0)

#define is_double(got, want, tol, ...) \
	do { double g_ = (got), w_ = (want); \
	     bool same_ = (isinf(g_) && isinf(w_) && (g_ > 0) == (w_ > 0)) || fabs(g_ - w_) <= (tol); \
	     if (!ok(same_, __VA_ARGS__)) diag("got %.9g, want %.9g (tol %g)", g_, w_, (double)(tol)); } while (0)

#define is_str(got, want, ...) \
	do { const char *g_ = (got), *w_ = (want); \
	     bool same_ = g_ && w_ && strcmp(g_, w_) == 0; \
	     if (!ok(same_, __VA_ARGS__)) diag("got \"%s\", want \"%s\"", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } while (0)

static int done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
