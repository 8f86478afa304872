/* The walk-off area as the Minkowski sum of segments with a regular 32-gon (walk_off.h).
 * Invariant: a boundary part is kept exactly when no other convex piece covers it (closed
 * sets; covered or exposed runs shorter than EPS_M are ignored), and every part ends
 * either at an own end point (a vertex v + P[j], bit-identical wherever it is computed)
 * or at the crossing of two site lines, computed from the ordered pair of line ids. Two
 * parts link when one's end is bit-identical to the other's start. */
#include "analysis/walk_off.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define N_SIDES WS_WALK_OFF_SIDES
/* Runs (covered or exposed) shorter than this, in metres, are ignored: they come from
 * floating-point noise where pieces touch (the corner of a segment's parallelogram on
 * its end polygon, collinear consecutive segments). */
#define EPS_M 1e-7
#define NO_LINE UINT64_MAX

/* Slots of the workspace. */
enum { M_VXY, M_VHASH, M_EDGE, M_EHASH, M_VFIRST, M_VEDGE, M_CELL, M_CELLSITE, M_STAMP,
       M_IVAL, M_PIECE, M_KEY, M_NEXT, M_RING, M_VISITED, M_BOX, M_DEEP, M_N_SLOTS };
_Static_assert(M_N_SLOTS <= WS_WALK_OFF_SLOTS, "workspace slots");

struct edge {
	uint32_t a, b;  /* vertex ids */
	int k;          /* support index of the left normal: P[k] is the farthest vertex of P
			   on the left of a -> b, P[k + 16] on the right */
	double det;     /* cross(b - a, P[k]) */
};

struct ival {
	double t0, t1;
	uint64_t id0, id1;  /* the site lines bounding the interval (NO_LINE: the element's end) */
};

struct piece {
	double x0, y0, x1, y1;
};

struct ctx {
	struct ws_walk_off_workspace *ws;
	double w;
	double r_in2;       /* square of a radius safely inside P */
	double P[N_SIDES + 1][2];
	const double *vxy;
	const double *box;  /* per site: x0 y0 x1 y1 */
	const struct edge *edge;
	uint32_t nv, ne;
	bool degenerate;
};

static void *grow(struct ws_walk_off_workspace *ws, int slot, size_t elem, size_t n)
{
	if (n == 0)
		n = 1;
	if (ws->cap[slot] < n * elem) {
		size_t cap = ws->cap[slot] ? ws->cap[slot] : 4096;
		while (cap < n * elem)
			cap *= 2;
		void *p = realloc(ws->mem[slot], cap);
		if (!p)
			return NULL;
		ws->mem[slot] = p;
		ws->cap[slot] = cap;
	}
	return ws->mem[slot];
}

void ws_walk_off_workspace_finish(struct ws_walk_off_workspace *ws)
{
	if (!ws)
		return;
	for (int i = 0; i < M_N_SLOTS; i++)
		free(ws->mem[i]);
	memset(ws, 0, sizeof *ws);
}

/* 17 consecutive polygon vertices: a closed half of P */
#define HALF_MASK ((1u << (N_SIDES / 2 + 1)) - 1)

static uint32_t rotate_left(uint32_t x, int k)
{
	return k ? x << k | x >> (N_SIDES - k) : x;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t point_hash(double x, double y)
{
	uint64_t a, b;
	x += 0.0; /* -0 and 0 are one point */
	y += 0.0;
	memcpy(&a, &x, sizeof a);
	memcpy(&b, &y, sizeof b);
	return mix(a ^ mix(b));
}

/* P: vertices on the circle at 2 pi j / 32, exactly symmetric under quarter turns. */
static void build_polygon(double w, double P[N_SIDES + 1][2])
{
	for (int j = 0; j < N_SIDES / 4; j++) {
		double a = 2 * M_PI * j / N_SIDES;
		P[j][0] = j == 0 ? w : w * cos(a);
		P[j][1] = j == 0 ? 0 : w * sin(a);
	}
	P[N_SIDES / 8][1] = P[N_SIDES / 8][0]; /* 45 degrees */
	for (int j = N_SIDES / 4; j < N_SIDES; j++) {
		P[j][0] = -P[j - N_SIDES / 4][1];
		P[j][1] = P[j - N_SIDES / 4][0];
	}
	P[N_SIDES][0] = P[0][0];
	P[N_SIDES][1] = P[0][1];
}

static double cross(double ax, double ay, double bx, double by)
{
	return ax * by - ay * bx;
}

/* Line ids: site * 64 + line. Sites 0..nv-1 are vertex polygons (lines 0..31: the edge
 * from P[j] to P[j+1]); sites nv.. are segment parallelograms (lines 32: through a, 33:
 * through b, 34: the left side, 35: the right side). */
static uint64_t line_id(uint32_t site, int line)
{
	return (uint64_t)site * 64 + (uint64_t)line;
}

static void line_points(const struct ctx *c, uint64_t id, double p[2], double q[2])
{
	uint32_t site = (uint32_t)(id / 64);
	int line = (int)(id % 64);
	if (site < c->nv) {
		const double *v = c->vxy + 2 * (size_t)site;
		p[0] = v[0] + c->P[line][0];
		p[1] = v[1] + c->P[line][1];
		q[0] = v[0] + c->P[line + 1][0];
		q[1] = v[1] + c->P[line + 1][1];
		return;
	}
	const struct edge *e = &c->edge[site - c->nv];
	const double *a = c->vxy + 2 * (size_t)e->a, *b = c->vxy + 2 * (size_t)e->b;
	const double *pl = c->P[e->k], *pr = c->P[(e->k + N_SIDES / 2) % N_SIDES];
	const double *pa = line == 33 ? b : a, *pb = line == 32 ? a : b;
	const double *oa = line == 35 ? pr : pl, *ob = line >= 34 ? (line == 35 ? pr : pl) : pr;
	p[0] = pa[0] + oa[0];
	p[1] = pa[1] + oa[1];
	q[0] = pb[0] + ob[0];
	q[1] = pb[1] + ob[1];
}

/* The crossing of two site lines, computed from the ordered pair so that both parts
 * meeting there get the same bits. */
static void crossing(struct ctx *c, uint64_t i, uint64_t j, double *x, double *y)
{
	if (i > j) {
		uint64_t t = i;
		i = j;
		j = t;
	}
	double p[2], q[2], r[2], s[2];
	line_points(c, i, p, q);
	line_points(c, j, r, s);
	double den = cross(q[0] - p[0], q[1] - p[1], s[0] - r[0], s[1] - r[1]);
	if (den == 0) {
		c->degenerate = true;
		*x = p[0];
		*y = p[1];
		return;
	}
	double t = cross(r[0] - p[0], r[1] - p[1], s[0] - r[0], s[1] - r[1]) / den;
	*x = p[0] + t * (q[0] - p[0]);
	*y = p[1] + t * (q[1] - p[1]);
}

/* Clips [*t0, *t1] by g(t) = g0 + t (g1 - g0) >= 0, bounded by line id. Returns false
 * when nothing is left. */
static bool clip(double g0, double g1, uint64_t id, double *t0, double *t1, uint64_t *id0, uint64_t *id1)
{
	if (g0 >= 0 && g1 >= 0)
		return true;
	if (g0 < 0 && g1 < 0)
		return false;
	double t = g0 / (g0 - g1);
	if (g0 < 0) {
		if (t > *t0) {
			*t0 = t;
			*id0 = id;
		}
	} else if (t < *t1) {
		*t1 = t;
		*id1 = id;
	}
	return *t0 <= *t1;
}

/* The part of segment p0 -> p1 inside the parallelogram of edge e (site id). */
static bool clip_parallelogram(const struct ctx *c, uint32_t site, const double *p0, const double *p1,
			       struct ival *out)
{
	const struct edge *e = &c->edge[site - c->nv];
	const double *a = c->vxy + 2 * (size_t)e->a, *b = c->vxy + 2 * (size_t)e->b;
	const double *pk = c->P[e->k];
	double dx = b[0] - a[0], dy = b[1] - a[1];
	double r0x = p0[0] - a[0], r0y = p0[1] - a[1], r1x = p1[0] - a[0], r1y = p1[1] - a[1];
	/* x - a = s (b - a) + r P[k] */
	double s0 = cross(r0x, r0y, pk[0], pk[1]) / e->det, s1 = cross(r1x, r1y, pk[0], pk[1]) / e->det;
	double q0 = cross(dx, dy, r0x, r0y) / e->det, q1 = cross(dx, dy, r1x, r1y) / e->det;
	out->t0 = 0;
	out->t1 = 1;
	out->id0 = out->id1 = NO_LINE;
	return clip(s0, s1, line_id(site, 32), &out->t0, &out->t1, &out->id0, &out->id1) &&
	       clip(1 - s0, 1 - s1, line_id(site, 33), &out->t0, &out->t1, &out->id0, &out->id1) &&
	       clip(1 - q0, 1 - q1, line_id(site, 34), &out->t0, &out->t1, &out->id0, &out->id1) &&
	       clip(1 + q0, 1 + q1, line_id(site, 35), &out->t0, &out->t1, &out->id0, &out->id1);
}

/* The part of segment p0 -> p1 inside the polygon v + P (site id). */
static bool clip_polygon(const struct ctx *c, uint32_t site, const double *p0, const double *p1,
			 struct ival *out)
{
	const double *v = c->vxy + 2 * (size_t)site;
	double ax = p0[0] - v[0], ay = p0[1] - v[1], bx = p1[0] - v[0], by = p1[1] - v[1];
	double w = c->w;
	/* distance from v to the segment: farther than w, no contact */
	double dx = bx - ax, dy = by - ay, dd = dx * dx + dy * dy;
	double t = dd > 0 ? -(ax * dx + ay * dy) / dd : 0;
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	double cx = ax + t * dx, cy = ay + t * dy;
	if (cx * cx + cy * cy > w * w * (1 + 1e-9))
		return false;
	out->t0 = 0;
	out->t1 = 1;
	out->id0 = out->id1 = NO_LINE;
	/* both ends within the inscribed circle: wholly inside */
	if (ax * ax + ay * ay <= c->r_in2 && bx * bx + by * by <= c->r_in2)
		return true;
	for (int j = 0; j < N_SIDES; j++) {
		const double *pj = c->P[j], *pn = c->P[j + 1];
		double ex = pn[0] - pj[0], ey = pn[1] - pj[1];
		double g0 = cross(ex, ey, ax - pj[0], ay - pj[1]), g1 = cross(ex, ey, bx - pj[0], by - pj[1]);
		if (!clip(g0, g1, line_id(site, j), &out->t0, &out->t1, &out->id0, &out->id1))
			return false;
	}
	return true;
}

static int compare_ival(const void *a, const void *b)
{
	const struct ival *x = a, *y = b;
	return (x->t0 > y->t0) - (x->t0 < y->t0);
}

struct grid {
	double x0, y0, cell;
	uint32_t nx, ny;
	const uint32_t *first, *site;
	/* a finer bitmap of cells wholly inside the inscribed circle of some end polygon:
	 * an element within such cells only is covered, whatever else lies near */
	double deep_cell;
	uint32_t dnx, dny;
	const uint8_t *deep;
};

static bool build_deep(struct ctx *c, struct grid *gr)
{
	double h = c->w / 3;
	double nx = ceil(gr->nx * gr->cell / h), ny = ceil(gr->ny * gr->cell / h);
	gr->deep = NULL;
	if (nx * ny > 64.0 * (c->nv + 16)) /* sparse sets: not worth it */
		return true;
	gr->deep_cell = h;
	gr->dnx = (uint32_t)nx;
	gr->dny = (uint32_t)ny;
	uint8_t *deep = grow(c->ws, M_DEEP, 1, (size_t)gr->dnx * gr->dny);
	if (!deep)
		return false;
	memset(deep, 0, (size_t)gr->dnx * gr->dny);
	double r = sqrt(c->r_in2);
	for (uint32_t v = 0; v < c->nv; v++) {
		double vx = c->vxy[2 * v] - gr->x0, vy = c->vxy[2 * v + 1] - gr->y0;
		int i0 = (int)floor((vx - r) / h), i1 = (int)floor((vx + r) / h);
		int j0 = (int)floor((vy - r) / h), j1 = (int)floor((vy + r) / h);
		i0 = i0 < 0 ? 0 : i0;
		j0 = j0 < 0 ? 0 : j0;
		i1 = i1 >= (int)gr->dnx ? (int)gr->dnx - 1 : i1;
		j1 = j1 >= (int)gr->dny ? (int)gr->dny - 1 : j1;
		for (int j = j0; j <= j1; j++) {
			double ya = fabs(j * h - vy), yb = fabs((j + 1) * h - vy), dy = ya > yb ? ya : yb;
			for (int i = i0; i <= i1; i++) {
				double xa = fabs(i * h - vx), xb = fabs((i + 1) * h - vx), dx = xa > xb ? xa : xb;
				if (dx * dx + dy * dy <= c->r_in2)
					deep[(size_t)j * gr->dnx + i] = 1;
			}
		}
	}
	/* long segments: cells whose corners all lie within r cos(pi / 32) of the segment
	 * (a convex capsule: the whole cell is in it; within the strip it is inside the
	 * parallelogram, beyond the slanted ends within r of the end point) */
	double r2 = r * cos(M_PI / N_SIDES), r22 = r2 * r2;
	for (uint32_t e = 0; e < c->ne; e++) {
		const double *a = c->vxy + 2 * (size_t)c->edge[e].a, *b = c->vxy + 2 * (size_t)c->edge[e].b;
		double ax = a[0] - gr->x0, ay = a[1] - gr->y0, dx = b[0] - a[0], dy = b[1] - a[1];
		double dd = dx * dx + dy * dy;
		if (dd < c->w * c->w)
			continue; /* short: its end polygons did it */
		int i0 = (int)floor((fmin(ax, ax + dx) - r2) / h), i1 = (int)floor((fmax(ax, ax + dx) + r2) / h);
		int j0 = (int)floor((fmin(ay, ay + dy) - r2) / h), j1 = (int)floor((fmax(ay, ay + dy) + r2) / h);
		i0 = i0 < 0 ? 0 : i0;
		j0 = j0 < 0 ? 0 : j0;
		i1 = i1 >= (int)gr->dnx ? (int)gr->dnx - 1 : i1;
		j1 = j1 >= (int)gr->dny ? (int)gr->dny - 1 : j1;
		for (int j = j0; j <= j1; j++)
			for (int i = i0; i <= i1; i++) {
				uint8_t *cell = &deep[(size_t)j * gr->dnx + i];
				if (*cell)
					continue;
				bool in = true;
				for (int k = 0; in && k < 4; k++) {
					double px = (i + (k & 1)) * h - ax, py = (j + (k >> 1)) * h - ay;
					double t = (px * dx + py * dy) / dd;
					t = t < 0 ? 0 : t > 1 ? 1 : t;
					double ex = px - t * dx, ey = py - t * dy;
					in = ex * ex + ey * ey <= r22;
				}
				*cell = in;
			}
	}
	gr->deep = deep;
	return true;
}

/* Whether the box lies in deep cells only (then whatever lies in it is covered). */
static bool in_deep_cells(const struct grid *gr, const double box[4])
{
	if (!gr->deep)
		return false;
	double h = gr->deep_cell;
	double x0 = (box[0] - gr->x0) / h, y0 = (box[1] - gr->y0) / h;
	double x1 = (box[2] - gr->x0) / h, y1 = (box[3] - gr->y0) / h;
	if (!(x0 >= 0 && y0 >= 0 && x1 < gr->dnx && y1 < gr->dny))
		return false;
	for (uint32_t j = (uint32_t)y0; j <= (uint32_t)y1; j++)
		for (uint32_t i = (uint32_t)x0; i <= (uint32_t)x1; i++)
			if (!gr->deep[(size_t)j * gr->dnx + i])
				return false;
	return true;
}

static void site_box(const struct ctx *c, uint32_t site, double box[4])
{
	if (site < c->nv) {
		const double *v = c->vxy + 2 * (size_t)site;
		box[0] = v[0] - c->w;
		box[1] = v[1] - c->w;
		box[2] = v[0] + c->w;
		box[3] = v[1] + c->w;
		return;
	}
	const struct edge *e = &c->edge[site - c->nv];
	const double *a = c->vxy + 2 * (size_t)e->a, *b = c->vxy + 2 * (size_t)e->b;
	box[0] = fmin(a[0], b[0]) - c->w;
	box[1] = fmin(a[1], b[1]) - c->w;
	box[2] = fmax(a[0], b[0]) + c->w;
	box[3] = fmax(a[1], b[1]) + c->w;
}

static void cell_range(const struct grid *gr, const double box[4], uint32_t r[4])
{
	double v[4] = {(box[0] - gr->x0) / gr->cell, (box[1] - gr->y0) / gr->cell,
		       (box[2] - gr->x0) / gr->cell, (box[3] - gr->y0) / gr->cell};
	uint32_t lim[4] = {gr->nx - 1, gr->ny - 1, gr->nx - 1, gr->ny - 1};
	for (int i = 0; i < 4; i++)
		r[i] = v[i] <= 0 ? 0 : v[i] >= lim[i] ? lim[i] : (uint32_t)v[i];
}

/* Adds the exposed parts of element segment p0 -> p1 (line `self`), skipping the
 * listed sites (the element's own pieces). */
static bool add_element(struct ctx *c, const struct grid *gr, uint32_t *stamp, uint32_t mark,
			const double *p0, const double *p1, uint64_t self, const uint32_t *skip, int n_skip,
			size_t *n_piece)
{
	struct ws_walk_off_workspace *ws = c->ws;
	double len = sqrt((p1[0] - p0[0]) * (p1[0] - p0[0]) + (p1[1] - p0[1]) * (p1[1] - p0[1]));
	if (!(len > EPS_M))
		return true;
	double eps_t = EPS_M / len;
	double box[4] = {fmin(p0[0], p1[0]), fmin(p0[1], p1[1]), fmax(p0[0], p1[0]), fmax(p0[1], p1[1])};
	if (in_deep_cells(gr, box))
		return true;
	uint32_t r[4];
	cell_range(gr, box, r);
	size_t n_ival = 0;
	for (int k = 0; k < n_skip; k++)
		stamp[skip[k]] = mark;
	for (uint32_t cy = r[1]; cy <= r[3]; cy++)
		for (uint32_t cx = r[0]; cx <= r[2]; cx++) {
			uint32_t cell = cy * gr->nx + cx;
			for (uint32_t i = gr->first[cell]; i < gr->first[cell + 1]; i++) {
				uint32_t site = gr->site[i];
				if (stamp[site] == mark)
					continue;
				stamp[site] = mark;
				const double *sb = c->box + 4 * (size_t)site;
				if (sb[0] > box[2] || sb[2] < box[0] || sb[1] > box[3] || sb[3] < box[1])
					continue;
				struct ival iv;
				bool hit = site < c->nv ? clip_polygon(c, site, p0, p1, &iv)
							: clip_parallelogram(c, site, p0, p1, &iv);
				if (!hit || iv.t1 - iv.t0 < eps_t)
					continue;
				if (iv.t0 <= eps_t && iv.t1 >= 1 - eps_t)
					return true; /* wholly covered */
				struct ival *arr = grow(ws, M_IVAL, sizeof *arr, n_ival + 1);
				if (!arr)
					return false;
				arr[n_ival++] = iv;
			}
		}
	struct ival *arr = ws->mem[M_IVAL];
	for (size_t i = 1; i < n_ival; i++) /* few intervals: insertion sort */
		for (size_t j = i; j > 0 && compare_ival(&arr[j - 1], &arr[j]) > 0; j--) {
			struct ival t = arr[j];
			arr[j] = arr[j - 1];
			arr[j - 1] = t;
		}
	double start = 0;
	uint64_t start_id = NO_LINE;
	for (size_t i = 0; i <= n_ival; i++) {
		double t0 = i < n_ival ? arr[i].t0 : 1;
		uint64_t id0 = i < n_ival ? arr[i].id0 : NO_LINE;
		if (t0 <= eps_t) {
			t0 = 0;
			id0 = NO_LINE;
		}
		if (t0 - start > eps_t) {
			struct piece *pc = grow(ws, M_PIECE, sizeof *pc, *n_piece + 1);
			if (!pc)
				return false;
			struct piece *q = pc + (*n_piece)++;
			if (start_id == NO_LINE) {
				q->x0 = p0[0];
				q->y0 = p0[1];
			} else {
				crossing(c, self, start_id, &q->x0, &q->y0);
			}
			if (id0 == NO_LINE || t0 >= 1 - eps_t) {
				if (t0 < 1 - eps_t)
					c->degenerate = true; /* an end inside the element without a line */
				q->x1 = p1[0];
				q->y1 = p1[1];
			} else {
				crossing(c, self, id0, &q->x1, &q->y1);
			}
		}
		if (i < n_ival && arr[i].t1 > start) {
			start = arr[i].t1;
			start_id = arr[i].id1;
			if (start >= 1 - eps_t)
				return true;
		}
	}
	return true;
}

struct start_key {
	double x, y;
	uint32_t piece;
};

static int compare_start(const void *a, const void *b)
{
	const struct start_key *x = a, *y = b;
	if (x->x != y->x)
		return x->x < y->x ? -1 : 1;
	return (x->y > y->y) - (x->y < y->y);
}

/* Vertices and segments, deduplicated; local coordinates (origin ox, oy). */
static enum ws_walk_off_status collect_sites(struct ctx *c, const double *seg_xy, size_t n_seg,
					     double ox, double oy)
{
	struct ws_walk_off_workspace *ws = c->ws;
	size_t hcap = 16;
	while (hcap < 4 * n_seg + 16)
		hcap *= 2;
	double *vxy = grow(ws, M_VXY, 2 * sizeof *vxy, 2 * n_seg);
	uint32_t *vh = grow(ws, M_VHASH, sizeof *vh, hcap);
	struct edge *edge = grow(ws, M_EDGE, sizeof *edge, n_seg);
	uint64_t *eh = grow(ws, M_EHASH, sizeof *eh, hcap);
	if (!vxy || !vh || !edge || !eh)
		return WS_WALK_OFF_NOMEM;
	memset(vh, 0xff, hcap * sizeof *vh);
	memset(eh, 0xff, hcap * sizeof *eh);
	uint32_t nv = 0, ne = 0;
	for (size_t i = 0; i < n_seg; i++) {
		uint32_t id[2];
		for (int k = 0; k < 2; k++) {
			double x = seg_xy[4 * i + 2 * k] - ox, y = seg_xy[4 * i + 2 * k + 1] - oy;
			size_t h = point_hash(x, y) & (hcap - 1);
			while (vh[h] != UINT32_MAX && !(vxy[2 * vh[h]] == x && vxy[2 * vh[h] + 1] == y))
				h = (h + 1) & (hcap - 1);
			if (vh[h] == UINT32_MAX) {
				vh[h] = nv;
				vxy[2 * nv] = x;
				vxy[2 * nv + 1] = y;
				nv++;
			}
			id[k] = vh[h];
		}
		if (id[0] == id[1])
			continue;
		uint32_t lo = id[0] < id[1] ? id[0] : id[1], hi = id[0] ^ id[1] ^ lo;
		uint64_t key = (uint64_t)lo << 32 | hi;
		size_t h = mix(key) & (hcap - 1);
		while (eh[h] != UINT64_MAX && eh[h] != key)
			h = (h + 1) & (hcap - 1);
		if (eh[h] == key)
			continue;
		eh[h] = key;
		struct edge *e = &edge[ne++];
		e->a = lo;
		e->b = hi;
		double dx = vxy[2 * hi] - vxy[2 * lo], dy = vxy[2 * hi + 1] - vxy[2 * lo + 1];
		int k = (int)lround(atan2(dx, -dy) * (N_SIDES / (2 * M_PI))); /* angle of (-dy, dx) */
		e->k = ((k % N_SIDES) + N_SIDES) % N_SIDES;
		e->det = cross(dx, dy, c->P[e->k][0], c->P[e->k][1]);
	}
	c->vxy = vxy;
	c->edge = edge;
	c->nv = nv;
	c->ne = ne;
	return ne ? WS_WALK_OFF_OK : WS_WALK_OFF_EMPTY;
}

static bool build_grid(struct ctx *c, struct grid *gr)
{
	struct ws_walk_off_workspace *ws = c->ws;
	uint32_t n_site = c->nv + c->ne;
	double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
	for (uint32_t v = 0; v < c->nv; v++) {
		x0 = fmin(x0, c->vxy[2 * v]);
		y0 = fmin(y0, c->vxy[2 * v + 1]);
		x1 = fmax(x1, c->vxy[2 * v]);
		y1 = fmax(y1, c->vxy[2 * v + 1]);
	}
	double *sbox = grow(ws, M_BOX, 4 * sizeof *sbox, n_site);
	if (!sbox)
		return false;
	for (uint32_t s = 0; s < n_site; s++)
		site_box(c, s, sbox + 4 * (size_t)s);
	c->box = sbox;
	gr->cell = c->w;
	gr->x0 = x0 - c->w;
	gr->y0 = y0 - c->w;
	double nx = ceil((x1 - x0 + 2 * c->w) / gr->cell) + 1, ny = ceil((y1 - y0 + 2 * c->w) / gr->cell) + 1;
	/* keep the grid no larger than about four cells per site */
	while (nx * ny > 4.0 * n_site + 64) {
		gr->cell *= 2;
		nx = ceil((x1 - x0 + 2 * c->w) / gr->cell) + 1;
		ny = ceil((y1 - y0 + 2 * c->w) / gr->cell) + 1;
	}
	gr->nx = (uint32_t)nx;
	gr->ny = (uint32_t)ny;
	size_t n_cell = (size_t)gr->nx * gr->ny;
	uint32_t *first = grow(ws, M_CELL, sizeof *first, n_cell + 1);
	if (!first)
		return false;
	memset(first, 0, (n_cell + 1) * sizeof *first);
	size_t total = 0;
	for (int pass = 0; pass < 2; pass++) {
		uint32_t *site = NULL;
		if (pass == 1) {
			for (size_t i = 0; i < n_cell; i++)
				first[i + 1] += first[i];
			total = first[n_cell];
			site = grow(ws, M_CELLSITE, sizeof *site, total);
			first = ws->mem[M_CELL];
			if (!site)
				return false;
		}
		for (uint32_t s = 0; s < n_site; s++) {
			uint32_t r[4];
			cell_range(gr, sbox + 4 * (size_t)s, r);
			for (uint32_t cy = r[1]; cy <= r[3]; cy++)
				for (uint32_t cx = r[0]; cx <= r[2]; cx++) {
					size_t cell = (size_t)cy * gr->nx + cx;
					if (pass == 0)
						first[cell + 1]++;
					else
						site[first[cell]++] = s;
				}
		}
		if (pass == 1) {
			/* first[cell] now holds the end of the cell: shift back */
			memmove(first + 1, first, n_cell * sizeof *first);
			first[0] = 0;
			gr->site = site;
		}
	}
	gr->first = first;
	return true;
}

/* Per vertex, the segments that end there (CSR). */
static bool build_incidence(struct ctx *c)
{
	struct ws_walk_off_workspace *ws = c->ws;
	uint32_t *first = grow(ws, M_VFIRST, sizeof *first, (size_t)c->nv + 1);
	uint32_t *list = grow(ws, M_VEDGE, sizeof *list, 2 * (size_t)c->ne);
	if (!first || !list)
		return false;
	memset(first, 0, ((size_t)c->nv + 1) * sizeof *first);
	for (uint32_t e = 0; e < c->ne; e++) {
		first[c->edge[e].a + 1]++;
		first[c->edge[e].b + 1]++;
	}
	for (uint32_t v = 0; v < c->nv; v++)
		first[v + 1] += first[v];
	for (uint32_t e = 0; e < c->ne; e++) {
		list[first[c->edge[e].a]++] = e;
		list[first[c->edge[e].b]++] = e;
	}
	memmove(first + 1, first, c->nv * sizeof *first);
	first[0] = 0;
	return true;
}

static double ring_area(const double *xy, size_t n)
{
	double a = 0;
	for (size_t i = 0, j = n - 1; i < n; j = i++)
		a += xy[2 * j] * xy[2 * i + 1] - xy[2 * i] * xy[2 * j + 1];
	return a / 2;
}

static bool ring_contains(const double *xy, size_t n, double x, double y)
{
	bool in = false;
	for (size_t i = 0, j = n - 1; i < n; j = i++) {
		double xi = xy[2 * i], yi = xy[2 * i + 1], xj = xy[2 * j], yj = xy[2 * j + 1];
		if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
			in = !in;
	}
	return in;
}

/* Links the pieces into rings and builds the MultiPolygon. */
static enum ws_walk_off_status build_rings(struct ctx *c, struct ws_geos *g, size_t n_piece,
					   double ox, double oy, GEOSGeometry **out)
{
	struct ws_walk_off_workspace *ws = c->ws;
	GEOSContextHandle_t h = g->h;
	struct start_key *key = grow(ws, M_KEY, sizeof *key, n_piece);
	uint32_t *next = grow(ws, M_NEXT, sizeof *next, n_piece);
	uint8_t *visited = grow(ws, M_VISITED, sizeof *visited, n_piece);
	double *ring = grow(ws, M_RING, 2 * sizeof *ring, n_piece + 1);
	if (!key || !next || !ring || !visited)
		return WS_WALK_OFF_NOMEM;
	const struct piece *pc = ws->mem[M_PIECE];
	for (uint32_t i = 0; i < n_piece; i++)
		key[i] = (struct start_key){pc[i].x0, pc[i].y0, i};
	qsort(key, n_piece, sizeof *key, compare_start);
	for (size_t i = 0; i + 1 < n_piece; i++)
		if (key[i].x == key[i + 1].x && key[i].y == key[i + 1].y)
			return WS_WALK_OFF_DEGENERATE; /* the boundary touches itself */
	for (size_t i = 0; i < n_piece; i++) {
		struct start_key want = {pc[i].x1, pc[i].y1, 0};
		const struct start_key *found = bsearch(&want, key, n_piece, sizeof *key, compare_start);
		if (!found)
			return WS_WALK_OFF_DEGENERATE; /* a part whose end no part continues */
		next[i] = found->piece;
	}
	memset(visited, 0, n_piece * sizeof *visited);
	size_t n_rings = 0, n_shells = 0, cap_rings = 16;
	GEOSGeometry **rings = malloc(cap_rings * sizeof *rings);
	double *area = malloc(cap_rings * sizeof *area);
	enum ws_walk_off_status st = WS_WALK_OFF_NOMEM;
	if (!rings || !area)
		goto done;
	for (size_t i = 0; i < n_piece; i++) {
		if (visited[i])
			continue;
		size_t n = 0;
		uint32_t k = (uint32_t)i;
		do {
			visited[k] = 1;
			ring[2 * n] = pc[k].x0 + ox;
			ring[2 * n + 1] = pc[k].y0 + oy;
			/* collapse points that became one after going back to absolute coordinates */
			if (!(n && ring[2 * n] == ring[2 * n - 2] && ring[2 * n + 1] == ring[2 * n - 1]))
				n++;
			k = next[k];
		} while (k != i && !visited[k] && n < n_piece);
		if (k != i) {
			st = WS_WALK_OFF_DEGENERATE;
			goto done;
		}
		while (n > 1 && ring[0] == ring[2 * n - 2] && ring[1] == ring[2 * n - 1])
			n--;
		if (n < 3) {
			st = WS_WALK_OFF_DEGENERATE;
			goto done;
		}
		double a = ring_area(ring, n);
		if (a == 0) {
			st = WS_WALK_OFF_DEGENERATE;
			goto done;
		}
		ring[2 * n] = ring[0];
		ring[2 * n + 1] = ring[1];
		if (n_rings == cap_rings) {
			cap_rings *= 2;
			GEOSGeometry **r2 = realloc(rings, cap_rings * sizeof *rings);
			if (r2)
				rings = r2;
			double *a2 = realloc(area, cap_rings * sizeof *area);
			if (a2)
				area = a2;
			if (!r2 || !a2)
				goto done;
		}
		GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(h, ring, (unsigned)(n + 1), 0, 0);
		GEOSGeometry *lr = seq ? GEOSGeom_createLinearRing_r(h, seq) : NULL;
		if (!lr) {
			st = WS_WALK_OFF_DEGENERATE;
			goto done;
		}
		rings[n_rings] = lr;
		area[n_rings++] = a;
		n_shells += a > 0;
	}
	if (n_shells == 0) {
		st = WS_WALK_OFF_DEGENERATE;
		goto done;
	}
	/* each hole goes to the smallest shell that contains its first point */
	int *owner = malloc((n_rings + 1) * sizeof *owner);
	GEOSGeometry **polys = malloc((n_shells + 1) * sizeof *polys);
	GEOSGeometry **holes = malloc((n_rings + 1) * sizeof *holes);
	if (!owner || !polys || !holes) {
		free(owner);
		free(polys);
		free(holes);
		goto done;
	}
	st = WS_WALK_OFF_OK;
	for (size_t r = 0; r < n_rings; r++) {
		owner[r] = -1;
		if (area[r] > 0)
			continue;
		double best = INFINITY;
		const GEOSCoordSequence *hs = GEOSGeom_getCoordSeq_r(h, rings[r]);
		double x, y;
		GEOSCoordSeq_getXY_r(h, hs, 0, &x, &y);
		for (size_t s = 0; s < n_rings; s++) {
			if (!(area[s] > 0) || !(area[s] < best))
				continue;
			if (n_shells > 1) {
				const GEOSCoordSequence *ss = GEOSGeom_getCoordSeq_r(h, rings[s]);
				unsigned m = 0;
				GEOSCoordSeq_getSize_r(h, ss, &m);
				double *xy = malloc(2 * m * sizeof *xy);
				if (!xy) {
					st = WS_WALK_OFF_NOMEM;
					break;
				}
				GEOSCoordSeq_copyToBuffer_r(h, ss, xy, 0, 0);
				bool in = ring_contains(xy, m - 1, x, y);
				free(xy);
				if (!in)
					continue;
			}
			best = area[s];
			owner[r] = (int)s;
		}
		if (owner[r] < 0 && st == WS_WALK_OFF_OK)
			st = WS_WALK_OFF_DEGENERATE;
	}
	size_t n_polys = 0;
	for (size_t s = 0; st == WS_WALK_OFF_OK && s < n_rings; s++) {
		if (!(area[s] > 0))
			continue;
		unsigned nh = 0;
		for (size_t r = 0; r < n_rings; r++)
			if (owner[r] == (int)s)
				holes[nh++] = rings[r];
		GEOSGeometry *poly = GEOSGeom_createPolygon_r(h, rings[s], holes, nh);
		/* the polygon owns (or on failure destroyed) its rings */
		rings[s] = NULL;
		for (size_t r = 0; r < n_rings; r++)
			if (owner[r] == (int)s)
				rings[r] = NULL;
		if (!poly)
			st = WS_WALK_OFF_DEGENERATE;
		else
			polys[n_polys++] = poly;
	}
	if (st == WS_WALK_OFF_OK) {
		GEOSGeometry *mp = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys, (unsigned)n_polys);
		n_polys = 0;
		if (!mp || GEOSisValid_r(h, mp) != 1) {
			if (mp)
				GEOSGeom_destroy_r(h, mp);
			st = WS_WALK_OFF_DEGENERATE;
		} else {
			*out = mp;
		}
	}
	for (size_t k = 0; k < n_polys; k++)
		GEOSGeom_destroy_r(h, polys[k]);
	free(owner);
	free(polys);
	free(holes);
done:
	for (size_t r = 0; rings && r < n_rings; r++)
		if (rings[r])
			GEOSGeom_destroy_r(h, rings[r]);
	free(rings);
	free(area);
	return st;
}

enum ws_walk_off_status ws_walk_off_area(struct ws_walk_off_workspace *ws, struct ws_geos *g,
					 const double *seg_xy, size_t n_seg, double walk_off_m,
					 GEOSGeometry **out)
{
	*out = NULL;
	if (n_seg == 0)
		return WS_WALK_OFF_EMPTY;
	/* the inscribed circle of P has radius w cos(pi / 32); a little less for rounding */
	double r_in = walk_off_m * cos(M_PI / N_SIDES) * (1 - 1e-9);
	struct ctx c = {.ws = ws, .w = walk_off_m, .r_in2 = r_in * r_in};
	build_polygon(walk_off_m, c.P);
	double ox = seg_xy[0], oy = seg_xy[1];
	enum ws_walk_off_status st = collect_sites(&c, seg_xy, n_seg, ox, oy);
	if (st != WS_WALK_OFF_OK)
		return st;
	struct grid gr;
	if (!build_incidence(&c) || !build_grid(&c, &gr) || !build_deep(&c, &gr))
		return WS_WALK_OFF_NOMEM;
	uint32_t n_site = c.nv + c.ne;
	uint32_t *stamp = grow(ws, M_STAMP, sizeof *stamp, n_site);
	if (!stamp)
		return WS_WALK_OFF_NOMEM;
	memset(stamp, 0, (size_t)n_site * sizeof *stamp);
	const uint32_t *vfirst = ws->mem[M_VFIRST], *vedge = ws->mem[M_VEDGE];
	uint32_t mark = 0;
	size_t n_piece = 0;
	/* The polygon edges of every segment end, but those on the side of one of its
	 * segments: for a segment v -> u, the half of v + P beyond the diagonal through v
	 * (from -P[k] to P[k]) lies inside the segment's parallelogram and u + P (a point p
	 * of P beyond it is s D + r P[k] with |r| <= 1, and p - D is a convex combination
	 * of p and r P[k]), and so does each polygon edge with both ends in that half. */
	for (uint32_t v = 0; v < c.nv; v++) {
		const double *p = c.vxy + 2 * (size_t)v;
		uint32_t covered = 0; /* bit j: the polygon edge j -> j+1 is */
		for (uint32_t i = vfirst[v]; i < vfirst[v + 1]; i++) {
			const struct edge *ed = &c.edge[vedge[i]];
			/* P[j] is on the far side of the diagonal when cross(P[j], P[k]) >= 0 for
			 * a segment leaving v (j in k-16..k), <= 0 for one arriving (k..k+16) */
			int first = ed->a == v ? ed->k + N_SIDES / 2 : ed->k;
			uint32_t bits = rotate_left(HALF_MASK, first % N_SIDES);
			covered |= bits & (bits >> 1 | bits << (N_SIDES - 1));
		}
		for (int j = 0; j < N_SIDES; j++) {
			if (covered >> j & 1)
				continue;
			double p0[2] = {p[0] + c.P[j][0], p[1] + c.P[j][1]};
			double p1[2] = {p[0] + c.P[j + 1][0], p[1] + c.P[j + 1][1]};
			uint32_t skip = v;
			if (++mark == 0) {
				memset(stamp, 0, (size_t)n_site * sizeof *stamp);
				mark = 1;
			}
			if (!add_element(&c, &gr, stamp, mark, p0, p1, line_id(v, j), &skip, 1, &n_piece))
				return WS_WALK_OFF_NOMEM;
		}
	}
	for (uint32_t e = 0; e < c.ne; e++) {
		const struct edge *ed = &c.edge[e];
		const double *a = c.vxy + 2 * (size_t)ed->a, *b = c.vxy + 2 * (size_t)ed->b;
		const double *pl = c.P[ed->k], *pr = c.P[(ed->k + N_SIDES / 2) % N_SIDES];
		uint32_t skip[3] = {c.nv + e, ed->a, ed->b};
		double l0[2] = {b[0] + pl[0], b[1] + pl[1]}, l1[2] = {a[0] + pl[0], a[1] + pl[1]};
		double r0[2] = {a[0] + pr[0], a[1] + pr[1]}, r1[2] = {b[0] + pr[0], b[1] + pr[1]};
		for (int side = 0; side < 2; side++) {
			if (++mark == 0) {
				memset(stamp, 0, (size_t)n_site * sizeof *stamp);
				mark = 1;
			}
			bool ok = side == 0 ? add_element(&c, &gr, stamp, mark, l0, l1, line_id(c.nv + e, 34), skip, 3, &n_piece)
					    : add_element(&c, &gr, stamp, mark, r0, r1, line_id(c.nv + e, 35), skip, 3, &n_piece);
			if (!ok)
				return WS_WALK_OFF_NOMEM;
		}
	}
	if (c.degenerate || n_piece == 0)
		return WS_WALK_OFF_DEGENERATE;
	return build_rings(&c, g, n_piece, ox, oy, out);
}
