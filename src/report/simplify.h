/* Line simplification for drawing (never for analysis): Douglas-Peucker in the metric
 * working CRS, so a tolerance in metres means the same everywhere. */
#ifndef WS_SIMPLIFY_H
#define WS_SIMPLIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

/* Marks in keep[0..n) the points of the polyline xy (n points) that Douglas-Peucker keeps
 * with tolerance tol_m: the first and last always; an interior point when it lies farther
 * than tol_m from the chord of its kept neighbours. Returns how many are kept (0 on
 * allocation failure, with err set). */
size_t ws_simplify_line(const double *xy, size_t n, double tol_m, bool *keep, struct ws_error *err);

#endif
