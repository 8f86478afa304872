/* Grid index: cell (i, j) lists, in increasing order, every segment whose bounding box
 * touches the cell. Queries search rings of cells outwards and stop once no unvisited
 * cell can hold a segment strictly closer than the best found, so ties between equally
 * close segments are always resolved by the lowest segment index. */
#include "snap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ws_snap_index {
	const struct ws_segments *segs;
	double x0, y0, cell;
	uint32_t nx, ny;
	uint32_t *cell_first;   /* nx * ny + 1 */
	uint32_t *cell_segment;
};

/* Cells [*a, *b] covering [lo, hi] along one axis. lo >= origin always holds (the origin
 * is the minimum of the node coordinates), so the quotient is >= 0 and truncation is
 * floor; this runs twice per segment, where a floor() call would dominate. */
static void cell_range(const struct ws_snap_index *idx, double lo, double hi, double origin,
		       uint32_t n, uint32_t *a, uint32_t *b)
{
	double fa = (lo - origin) / idx->cell, fb = (hi - origin) / idx->cell;
	*a = fa >= n ? n - 1 : (uint32_t)fa;
	*b = fb >= n ? n - 1 : (uint32_t)fb;
}

static double min2(double a, double b)
{
	return a < b ? a : b;
}

static double max2(double a, double b)
{
	return a > b ? a : b;
}

struct ws_snap_index *ws_snap_index_create(const struct ws_segments *segs, struct ws_error *err)
{
	struct ws_snap_index *idx = calloc(1, sizeof *idx);
	if (!idx) {
		ws_error_nomem(err);
		return NULL;
	}
	idx->segs = segs;
	double w = segs->n_nodes ? segs->bbox[2] - segs->bbox[0] : 1;
	double h = segs->n_nodes ? segs->bbox[3] - segs->bbox[1] : 1;
	idx->x0 = segs->n_nodes ? segs->bbox[0] : 0;
	idx->y0 = segs->n_nodes ? segs->bbox[1] : 0;
	/* about two segments per cell on average, at most 4M cells */
	double cell = sqrt(fmax(w * h, 1.0) / fmax(segs->n_segments, 1) * 2.0);
	cell = fmax(cell, fmax(w, h) / 2048.0);
	cell = fmax(cell, 1e-3);
	idx->cell = cell;
	idx->nx = (uint32_t)fmin(floor(w / cell) + 1, 2048);
	idx->ny = (uint32_t)fmin(floor(h / cell) + 1, 2048);
	size_t n_cells = (size_t)idx->nx * idx->ny;
	idx->cell_first = calloc(n_cells + 1, sizeof *idx->cell_first);
	if (!idx->cell_first)
		goto nomem;

	/* two passes: count, then fill in segment order (keeps each cell list sorted) */
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t s = 0; s < segs->n_segments; s++) {
			const double *a = segs->node_xy + 2 * segs->seg_node[2 * s];
			const double *b = segs->node_xy + 2 * segs->seg_node[2 * s + 1];
			uint32_t i0, i1, j0, j1;
			cell_range(idx, min2(a[0], b[0]), max2(a[0], b[0]), idx->x0, idx->nx, &i0, &i1);
			cell_range(idx, min2(a[1], b[1]), max2(a[1], b[1]), idx->y0, idx->ny, &j0, &j1);
			for (uint32_t j = j0; j <= j1; j++)
				for (uint32_t i = i0; i <= i1; i++) {
					size_t c = (size_t)j * idx->nx + i;
					if (pass == 0)
						idx->cell_first[c + 1]++;
					else
						idx->cell_segment[idx->cell_first[c]++] = s;
				}
		}
		if (pass == 0) {
			for (size_t c = 0; c < n_cells; c++)
				idx->cell_first[c + 1] += idx->cell_first[c];
			idx->cell_segment = malloc((idx->cell_first[n_cells] + 1) * sizeof *idx->cell_segment);
			if (!idx->cell_segment)
				goto nomem;
		}
	}
	/* the fill pass advanced each start to the next cell's start: shift back */
	memmove(idx->cell_first + 1, idx->cell_first, n_cells * sizeof *idx->cell_first);
	idx->cell_first[0] = 0;
	return idx;
nomem:
	ws_snap_index_destroy(idx);
	ws_error_nomem(err);
	return NULL;
}

void ws_snap_index_destroy(struct ws_snap_index *idx)
{
	if (!idx)
		return;
	free(idx->cell_first);
	free(idx->cell_segment);
	free(idx);
}

/* Closest point of segment s to (x, y): t clamped to [0, 1]; an end is returned exactly. */
static double segment_distance(const struct ws_segments *segs, uint32_t s, double x, double y,
			       double *t_out, double *qx, double *qy)
{
	const double *a = segs->node_xy + 2 * segs->seg_node[2 * s];
	const double *b = segs->node_xy + 2 * segs->seg_node[2 * s + 1];
	double dx = b[0] - a[0], dy = b[1] - a[1];
	double len2 = dx * dx + dy * dy;
	double t = len2 > 0 ? ((x - a[0]) * dx + (y - a[1]) * dy) / len2 : 0;
	if (t <= 0) {
		t = 0;
		*qx = a[0];
		*qy = a[1];
	} else if (t >= 1) {
		t = 1;
		*qx = b[0];
		*qy = b[1];
	} else {
		*qx = a[0] + t * dx;
		*qy = a[1] + t * dy;
		/* a split point that rounds onto an end is that end, not a zero-length split */
		if (*qx == a[0] && *qy == a[1])
			t = 0;
		else if (*qx == b[0] && *qy == b[1])
			t = 1;
	}
	*t_out = t;
	return hypot(x - *qx, y - *qy);
}

void ws_snap_point(const struct ws_snap_index *idx, double x, double y, double max_snap_m,
		   struct ws_snap *out)
{
	out->segment = WS_UNSNAPPED;
	out->t = 0;
	out->x = x;
	out->y = y;
	out->dist_m = INFINITY;
	if (!idx->segs->n_segments || !isfinite(x) || !isfinite(y))
		return;

	double fi = floor((x - idx->x0) / idx->cell), fj = floor((y - idx->y0) / idx->cell);
	/* rings are counted from the cell holding the point, which may lie outside the grid */
	long ci = (long)fmax(fmin(fi, 1e9), -1e9), cj = (long)fmax(fmin(fj, 1e9), -1e9);
	long nx = idx->nx, ny = idx->ny;
	/* distance from the point to the grid, in whole cells: rings closer than that are empty */
	long r0 = 0;
	if (ci < 0)
		r0 = -ci;
	else if (ci >= nx)
		r0 = ci - nx + 1;
	if (cj < 0)
		r0 = r0 > -cj ? r0 : -cj;
	else if (cj >= ny)
		r0 = r0 > cj - ny + 1 ? r0 : cj - ny + 1;
	long r_max = (nx > ny ? nx : ny) + r0 + 1;

	double best = INFINITY;
	for (long r = r0; r <= r_max; r++) {
		/* every cell at ring distance r is at least (r - 1) cells away */
		double lower = (double)(r - 1) * idx->cell;
		if (r > 0 && (lower > max_snap_m || lower > best))
			break;
		for (long j = cj - r; j <= cj + r; j++) {
			if (j < 0 || j >= ny)
				continue;
			long step = (j == cj - r || j == cj + r) ? 1 : 2 * r;
			for (long i = ci - r; i <= ci + r; i += step ? step : 1) {
				if (i < 0 || i >= nx)
					continue;
				size_t c = (size_t)j * idx->nx + (size_t)i;
				for (uint32_t k = idx->cell_first[c]; k < idx->cell_first[c + 1]; k++) {
					uint32_t s = idx->cell_segment[k];
					double t, qx, qy;
					double d = segment_distance(idx->segs, s, x, y, &t, &qx, &qy);
					if (d < best || (d == best && s < out->segment)) {
						best = d;
						out->segment = s;
						out->t = t;
						out->x = qx;
						out->y = qy;
						out->dist_m = d;
					}
				}
				if (r == 0)
					break;
			}
		}
	}
	if (out->segment != WS_UNSNAPPED && !(out->dist_m <= max_snap_m)) {
		out->segment = WS_UNSNAPPED;
		out->t = 0;
		out->x = x;
		out->y = y;
	}
}

void ws_snap_points(const struct ws_snap_index *idx, const double *xy, size_t n,
		    double max_snap_m, int threads, struct ws_snap *out)
{
	(void)threads; /* only read by the OpenMP pragma */
	#pragma omp parallel for schedule(dynamic, 64) num_threads(threads > 0 ? threads : 1)
	for (size_t i = 0; i < n; i++)
		ws_snap_point(idx, xy[2 * i], xy[2 * i + 1], max_snap_m, out + i);
}
