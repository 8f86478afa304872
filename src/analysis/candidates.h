/* Generated siting candidates (docs/siting.md): when no candidates.shp is given, possible
 * sites are points along the walkable network. The rule, in the working CRS: along each
 * road line (its walkable segments in file order, lengths added up across its parts), one
 * point at every spacing_m starting half a spacing from the line's start, i.e. at
 * spacing/2, 3*spacing/2, ... while within the line's walkable length; a point is kept
 * when it lies inside `area` (xmin, ymin, xmax, ymax). Lines shorter than spacing/2 get
 * none, and no point falls on a line end, so crossings do not pile up duplicates.
 * Algorithms only. */
#ifndef WS_CANDIDATES_H
#define WS_CANDIDATES_H

#include <stdbool.h>
#include <stddef.h>

#include "net/segments.h"
#include "util/error.h"

/* *xy (malloc'd, caller frees) receives *n points, in road file order. */
bool ws_candidates_generate(const struct ws_segments *segs, double spacing_m, const double area[4],
			    double **xy, size_t *n, struct ws_error *err);

#endif
