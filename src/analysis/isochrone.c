/* Isochrones. Invariant: a point of arc (u, v) at distance s from u is reached within a
 * limit B exactly when min(d(u) + s, d(v) + L - s) <= B, so an arc is whole when
 * (B - d(u)) + (B - d(v)) >= L, and otherwise the two pieces [0, B - d(u)] from u and
 * [L - (B - d(v)), L] from v (the second only when v is reached). Each undirected arc is
 * taken once, from its lower node when both ends are reached. Everything a center
 * produces is written into its own result slot and gathered in center order afterwards. */
#include "isochrone.h"

#include "analysis/walk_off.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Reached pieces as x0 y0 x1 y1 quadruples. */
struct pieces {
	double *xy;
	size_t n, cap;
	double length_m;
};

static bool pieces_add(struct pieces *p, double x0, double y0, double x1, double y1)
{
	if (x0 == x1 && y0 == y1)
		return true;
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 256;
		double *xy = realloc(p->xy, cap * 4 * sizeof *xy);
		if (!xy)
			return false;
		p->xy = xy;
		p->cap = cap;
	}
	double *q = p->xy + 4 * p->n++;
	q[0] = x0;
	q[1] = y0;
	q[2] = x1;
	q[3] = y1;
	return true;
}

/* The point at distance s from node u towards node v along an arc of length len. */
static void point_along(const struct ws_graph *g, uint32_t u, uint32_t v, double s, double len,
			double *x, double *y)
{
	const double *a = g->node_xy + 2 * (size_t)u, *b = g->node_xy + 2 * (size_t)v;
	if (!(len > 0) || s >= len) {
		*x = b[0];
		*y = b[1];
		return;
	}
	double t = s / len;
	*x = a[0] + (b[0] - a[0]) * t;
	*y = a[1] + (b[1] - a[1]) * t;
}

typedef double (*dist_lookup_fn)(const void *ctx, uint32_t node);

/* Adds the pieces reached within limit_m. nodes/dist: the reached nodes (any order; only
 * those with dist <= limit_m count); lookup gives the distance of any node (INFINITY when
 * unreached). */
static bool collect_pieces(const struct ws_graph *g, const uint32_t *nodes, const double *dist,
			   size_t n, dist_lookup_fn lookup, const void *lctx, double limit_m,
			   struct pieces *out)
{
	for (size_t i = 0; i < n; i++) {
		if (!(dist[i] <= limit_m))
			continue;
		uint32_t u = nodes[i];
		double ru = limit_m - dist[i];
		for (uint32_t a = g->first_out[u]; a < g->first_out[u + 1]; a++) {
			uint32_t v = g->head[a];
			double len = g->length_m[a];
			double dv = lookup(lctx, v);
			const double *pu = g->node_xy + 2 * (size_t)u, *pv = g->node_xy + 2 * (size_t)v;
			double x, y;
			if (dv <= limit_m) {
				if (v <= u)
					continue; /* taken from v's side */
				double rv = limit_m - dv;
				if (ru + rv >= len) {
					if (!pieces_add(out, pu[0], pu[1], pv[0], pv[1]))
						return false;
					out->length_m += len;
				} else {
					point_along(g, u, v, ru, len, &x, &y);
					if (!pieces_add(out, pu[0], pu[1], x, y))
						return false;
					point_along(g, v, u, rv, len, &x, &y);
					if (!pieces_add(out, pv[0], pv[1], x, y))
						return false;
					out->length_m += ru + rv;
				}
			} else {
				double s = ru < len ? ru : len;
				point_along(g, u, v, s, len, &x, &y);
				if (!pieces_add(out, pu[0], pu[1], x, y))
					return false;
				out->length_m += s;
			}
		}
	}
	return true;
}

static bool geos_failed(struct ws_geos *g, const char *what, struct ws_error *err)
{
	return ws_error_set(err, WS_ERR_GEOS, "GEOS %s: %s", what, g->msg[0] ? g->msg : "operation failed");
}

/* Which pieces must be noded: a piece is flagged when it meets another piece anywhere
 * but at a shared end point (a crossing without a node: bridges, tunnels, the snap
 * connector; a T-contact; a collinear overlap or a duplicate). Pieces come from graph
 * arcs that meet at nodes, so nearly all need no noding. The test is conservative (near
 * zero orientations count as contact), and flagging a piece that needs none only costs
 * time. Sweep over x. */
struct piece_box {
	double x0, x1;
	size_t i;
};

static int compare_box(const void *a, const void *b)
{
	const struct piece_box *p = a, *q = b;
	if (p->x0 != q->x0)
		return p->x0 < q->x0 ? -1 : 1;
	return p->i < q->i ? -1 : p->i > q->i;
}

static double orient(const double *a, const double *b, const double *c)
{
	return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

static bool same_point(const double *a, const double *b)
{
	return a[0] == b[0] && a[1] == b[1];
}

/* Whether segments ab and cd meet anywhere but at a shared end point (conservative). */
static bool pieces_meet(const double *a, const double *b, const double *c, const double *d)
{
	if (fmax(a[1], b[1]) < fmin(c[1], d[1]) || fmax(c[1], d[1]) < fmin(a[1], b[1]))
		return false;
	double lab = fabs(b[0] - a[0]) + fabs(b[1] - a[1]), lcd = fabs(d[0] - c[0]) + fabs(d[1] - c[1]);
	double eps = 1e-9 * lab * lcd;
	double o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
	bool z1 = fabs(o1) <= eps, z2 = fabs(o2) <= eps, z3 = fabs(o3) <= eps, z4 = fabs(o4) <= eps;
	int shared = same_point(a, c) + same_point(a, d) + same_point(b, c) + same_point(b, d);
	if (shared >= 2)
		return true; /* the same segment twice */
	if (shared == 1) {
		/* they meet elsewhere only when they overlap: collinear, same direction from the
		 * shared point S to the other ends P and Q */
		const double *S = same_point(a, c) || same_point(a, d) ? a : b;
		const double *P = S == a ? b : a, *Q = same_point(S, c) ? d : c;
		return z1 && z2 && z3 && z4 && (P[0] - S[0]) * (Q[0] - S[0]) + (P[1] - S[1]) * (Q[1] - S[1]) > 0;
	}
	if ((!z1 && !z2 && (o1 > 0) == (o2 > 0)) || (!z3 && !z4 && (o3 > 0) == (o4 > 0)))
		return false;
	return true;
}

static bool flag_contacts(const struct pieces *p, struct piece_box *box, bool *flag)
{
	for (size_t i = 0; i < p->n; i++) {
		const double *q = p->xy + 4 * i;
		box[i] = (struct piece_box){fmin(q[0], q[2]), fmax(q[0], q[2]), i};
		flag[i] = false;
	}
	qsort(box, p->n, sizeof *box, compare_box);
	bool any = false;
	for (size_t i = 0; i < p->n; i++) {
		const double *q = p->xy + 4 * box[i].i;
		for (size_t j = i + 1; j < p->n && box[j].x0 <= box[i].x1; j++) {
			const double *r = p->xy + 4 * box[j].i;
			if (pieces_meet(q, q + 2, r, r + 2)) {
				flag[box[i].i] = flag[box[j].i] = true;
				any = true;
			}
		}
	}
	return any;
}

/* The pieces as one MultiLineString. */
static GEOSGeometry *pieces_geometry(struct ws_geos *g, const struct pieces *p, const bool *flag,
				     bool want)
{
	GEOSGeometry **lines = malloc((p->n + 1) * sizeof *lines);
	if (!lines)
		return NULL;
	size_t k = 0;
	bool ok = true;
	for (size_t i = 0; i < p->n; i++) {
		if (flag && flag[i] != want)
			continue;
		GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(g->h, p->xy + 4 * i, 2, 0, 0);
		if (!seq || !(lines[k] = GEOSGeom_createLineString_r(g->h, seq))) {
			ok = false;
			break;
		}
		k++;
	}
	GEOSGeometry *mls = NULL;
	if (ok)
		mls = GEOSGeom_createCollection_r(g->h, GEOS_MULTILINESTRING, lines, (unsigned)k);
	else
		for (size_t i = 0; i < k; i++)
			GEOSGeom_destroy_r(g->h, lines[i]);
	free(lines);
	return mls;
}

/* The pieces, noded: the pieces that meet another piece only at shared end points as
 * they are, the others through GEOSNode. */
static GEOSGeometry *noded_pieces(struct ws_geos *g, const struct pieces *p, struct piece_box *box,
				  bool *flag)
{
	if (!flag_contacts(p, box, flag))
		return pieces_geometry(g, p, NULL, false);
	GEOSGeometry *plain = pieces_geometry(g, p, flag, false), *rest = pieces_geometry(g, p, flag, true);
	GEOSGeometry *noded = rest ? GEOSNode_r(g->h, rest) : NULL, *out = NULL;
	if (plain && noded) {
		GEOSGeometry *two[2] = {plain, noded};
		out = GEOSGeom_createCollection_r(g->h, GEOS_GEOMETRYCOLLECTION, two, 2);
		if (out)
			plain = noded = NULL;
	}
	GEOSGeometry *own[] = {plain, rest, noded};
	for (size_t i = 0; i < 3; i++)
		if (own[i])
			GEOSGeom_destroy_r(g->h, own[i]);
	return out;
}

/* Polygonal result of a buffer/union as a valid geometry (takes ownership). */
static GEOSGeometry *ensure_valid(struct ws_geos *g, GEOSGeometry *geom)
{
	if (GEOSisValid_r(g->h, geom) == 1)
		return geom;
	GEOSGeometry *fixed = GEOSMakeValid_r(g->h, geom);
	GEOSGeom_destroy_r(g->h, geom);
	if (!fixed)
		return NULL;
	/* keep the polygonal parts only (a repair may add lines) */
	GEOSGeometry *poly = GEOSBuffer_r(g->h, fixed, 0, WS_ISOCHRONE_QUAD_SEGS);
	GEOSGeom_destroy_r(g->h, fixed);
	return poly;
}

GEOSGeometry *ws_isochrone_geometry(struct ws_geos *g, const struct ws_shapes *s, size_t f,
				    struct ws_error *err)
{
	size_t p0 = s->feature_first_part[f], p1 = s->feature_first_part[f + 1];
	size_t n_shells = 0;
	for (size_t p = p0; p < p1; p++) {
		size_t a = s->part_first_point[p], b = s->part_first_point[p + 1];
		if (ws_ring_signed_area(s->xy + 2 * a, b - a) <= 0)
			n_shells++;
	}
	GEOSGeometry **polys = calloc(n_shells + 1, sizeof *polys);
	GEOSGeometry **rings = calloc(p1 - p0 + 1, sizeof *rings);
	GEOSGeometry *out = NULL;
	size_t n_polys = 0, n_rings = 0;
	if (!polys || !rings) {
		ws_error_nomem(err);
		goto done;
	}
	for (size_t p = p0; p < p1; p++) {
		size_t a = s->part_first_point[p], b = s->part_first_point[p + 1];
		GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(g->h, s->xy + 2 * a, (unsigned)(b - a), 0, 0);
		if (!seq || !(rings[p - p0] = GEOSGeom_createLinearRing_r(g->h, seq))) {
			geos_failed(g, "ring", err);
			goto done;
		}
		n_rings = p - p0 + 1;
	}
	for (size_t r = 0; r < n_rings;) {
		size_t h = r + 1;
		while (h < n_rings) {
			size_t a = s->part_first_point[p0 + h], b = s->part_first_point[p0 + h + 1];
			if (ws_ring_signed_area(s->xy + 2 * a, b - a) <= 0)
				break;
			h++;
		}
		polys[n_polys] = GEOSGeom_createPolygon_r(g->h, rings[r], rings + r + 1, (unsigned)(h - r - 1));
		for (size_t k = r; k < h; k++)
			rings[k] = NULL; /* owned by the polygon (or destroyed on failure) */
		if (!polys[n_polys]) {
			geos_failed(g, "polygon", err);
			goto done;
		}
		n_polys++;
		r = h;
	}
	out = GEOSGeom_createCollection_r(g->h, GEOS_MULTIPOLYGON, polys, (unsigned)n_polys);
	if (!out)
		geos_failed(g, "multipolygon", err);
	n_polys = 0;
done:
	for (size_t k = 0; polys && k < n_polys; k++)
		GEOSGeom_destroy_r(g->h, polys[k]);
	for (size_t k = 0; rings && k < n_rings; k++)
		if (rings[k])
			GEOSGeom_destroy_r(g->h, rings[k]);
	free(polys);
	free(rings);
	return out;
}

struct center_result {
	struct ws_shapes poly, lines;
	double *area_m2, *network_m;   /* n_bands each */
	uint32_t *reach_compound;
	double *reach_m;
	size_t n_reach;
	size_t n_general;
};

struct thread_state {
	struct ws_geos geos;
	bool have_geos;
	struct pieces pieces;
	struct ws_walk_off_workspace walk_off;
};

struct iso_ctx {
	const struct ws_graph *g;
	const struct ws_isochrone_params *p;
	const double *connector_xy;
	const struct ws_route_sources *centers;
	const struct ws_route_sources *compounds;
	struct thread_state *ts;
	struct center_result *res;
};

static double workspace_distance(const void *ws, uint32_t node)
{
	return ws_route_distance(ws, node);
}

/* Center s's snap connector within the limit: from the center point towards its snap
 * point, as far as the limit allows. */
static bool add_connector(const double *connector_xy, const struct ws_route_sources *centers, size_t s,
			  double limit_m, struct pieces *p)
{
	if (!connector_xy || centers->first[s + 1] == centers->first[s])
		return true;
	const double *c = connector_xy + 4 * s;
	double snap_m = centers->seeds[centers->first[s]].offset_m;
	if (!isfinite(c[0]) || !(snap_m > 0))
		return true;
	double len = hypot(c[2] - c[0], c[3] - c[1]);
	if (!(len > 0))
		return true;
	double t = limit_m >= snap_m ? 1 : limit_m / snap_m;
	return pieces_add(p, c[0], c[1], t >= 1 ? c[2] : c[0] + (c[2] - c[0]) * t,
			  t >= 1 ? c[3] : c[1] + (c[3] - c[1]) * t);
}

static bool append_lines(struct ws_shapes *lines, const struct pieces *p, struct ws_error *err)
{
	if (!ws_shapes_begin_feature(lines, err))
		return false;
	for (size_t k = 0; k < p->n; k++) {
		const double *q = p->xy + 4 * k;
		if (!ws_shapes_begin_part(lines, err) || !ws_shapes_add_point(lines, q[0], q[1], err) ||
		    !ws_shapes_add_point(lines, q[2], q[3], err))
			return false;
	}
	return true;
}

/* Appends the line parts of `lines` (LineStrings, MultiLineStrings or collections of
 * them) to list, clones, except those that `inside` covers and that lie farther than
 * walk_off_m from every shrunken face (bbox test) in `holes`. */
struct line_list {
	GEOSGeometry **g;
	size_t n, cap;
};

static bool list_add(struct line_list *l, GEOSGeometry *geom)
{
	if (!geom)
		return false;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		GEOSGeometry **g = realloc(l->g, cap * sizeof *g);
		if (!g)
			return false;
		l->g = g;
		l->cap = cap;
	}
	l->g[l->n++] = geom;
	return true;
}

static void list_clear(struct ws_geos *g, struct line_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		GEOSGeom_destroy_r(g->h, l->g[i]);
	free(l->g);
	memset(l, 0, sizeof *l);
}

struct bbox {
	double x0, y0, x1, y1;
};

static struct bbox bbox_of(struct ws_geos *g, const GEOSGeometry *geom)
{
	struct bbox b = {0, 0, 0, 0};
	GEOSGeom_getXMin_r(g->h, geom, &b.x0);
	GEOSGeom_getYMin_r(g->h, geom, &b.y0);
	GEOSGeom_getXMax_r(g->h, geom, &b.x1);
	GEOSGeom_getYMax_r(g->h, geom, &b.y1);
	return b;
}

static bool near_a_hole(const struct bbox *line, const struct bbox *holes, size_t n, double d)
{
	for (size_t i = 0; i < n; i++)
		if (line->x0 <= holes[i].x1 + d && line->x1 >= holes[i].x0 - d &&
		    line->y0 <= holes[i].y1 + d && line->y1 >= holes[i].y0 - d)
			return true;
	return false;
}

/* Whether the faces' union covers a line from polygonize. Such a line is a noded edge
 * that is on no face boundary, so its interior lies wholly inside the faces or wholly
 * outside them, and one interior point (the middle of its first segment) decides, by a
 * point-in-polygon test that is much cheaper than covering a line. Only when that point
 * is on the boundary (rounding) is the whole line tested. Returns 1, 0 or -1 (error). */
static int line_inside(struct ws_geos *g, const GEOSPreparedGeometry *inside, const GEOSGeometry *line)
{
	const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(g->h, line);
	unsigned n = 0;
	double x0, y0, x1, y1;
	if (!seq || !GEOSCoordSeq_getSize_r(g->h, seq, &n) || n < 2 ||
	    !GEOSCoordSeq_getXY_r(g->h, seq, 0, &x0, &y0) || !GEOSCoordSeq_getXY_r(g->h, seq, 1, &x1, &y1))
		return GEOSPreparedCovers_r(g->h, inside, line);
	GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(g->h, 0.5 * (x0 + x1), 0.5 * (y0 + y1));
	if (!pt)
		return -1;
	int in = GEOSPreparedContainsProperly_r(g->h, inside, pt);
	int meets = in == 0 ? GEOSPreparedIntersects_r(g->h, inside, pt) : in;
	GEOSGeom_destroy_r(g->h, pt);
	if (in == 1)
		return 1;
	if (meets == 0)
		return 0;
	return GEOSPreparedCovers_r(g->h, inside, line);
}

static bool collect_lines(struct ws_geos *g, const GEOSGeometry *lines,
			  const GEOSPreparedGeometry *inside, const struct bbox *holes, size_t n_holes,
			  double walk_off_m, struct line_list *out)
{
	int n = GEOSGetNumGeometries_r(g->h, lines);
	for (int i = 0; i < n; i++) {
		const GEOSGeometry *part = GEOSGetGeometryN_r(g->h, lines, i);
		int type = GEOSGeomTypeId_r(g->h, part);
		if (type == GEOS_MULTILINESTRING || type == GEOS_GEOMETRYCOLLECTION) {
			if (part != lines &&
			    !collect_lines(g, part, inside, holes, n_holes, walk_off_m, out))
				return false;
			continue;
		}
		if (type != GEOS_LINESTRING && type != GEOS_LINEARRING)
			continue;
		int in = inside ? line_inside(g, inside, part) : 0;
		if (in < 0)
			return false;
		if (in == 1) {
			struct bbox b = bbox_of(g, part);
			if (!near_a_hole(&b, holes, n_holes, walk_off_m))
				continue; /* its buffer lies within the faces' own walk-off band */
		}
		GEOSGeometry *line = type == GEOS_LINEARRING
			? GEOSGeom_createLineString_r(g->h, GEOSCoordSeq_clone_r(g->h, GEOSGeom_getCoordSeq_r(g->h, part)))
			: GEOSGeom_clone_r(g->h, part);
		if (!list_add(out, line))
			return false;
	}
	return true;
}

/* Chains that share an end point get different groups (greedy, in chain order): GEOS
 * buffers a set of lines whose round caps meet on one circle very slowly (its floating
 * noding fails and it retries with snap rounding), but a set of lines with no common end
 * point in one call, much faster than one buffer per chain and a union of them all. */
struct chain_end {
	double x, y;
	int chain;
};

static int compare_end(const void *a, const void *b)
{
	const struct chain_end *p = a, *q = b;
	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	if (p->y != q->y)
		return p->y < q->y ? -1 : 1;
	return (p->chain > q->chain) - (p->chain < q->chain);
}

/* group[i] for each chain; returns the number of groups, -1 on error. */
static int group_chains(struct ws_geos *g, const GEOSGeometry *merged, const int *keep, int n, int *group)
{
	struct chain_end *end = malloc(((size_t)n * 2 + 1) * sizeof *end);
	size_t *first = malloc(((size_t)n * 2 + 2) * sizeof *first);
	size_t *run = malloc(((size_t)n * 2 + 2) * sizeof *run);
	int n_groups = -1;
	if (!end || !first || !run)
		goto done;
	for (size_t k = 0; k < 2 * (size_t)n; k++)
		run[k] = SIZE_MAX;
	size_t ne = 0;
	for (int i = 0; i < n; i++) {
		group[i] = -1;
		if (!keep[i])
			continue;
		const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(g->h, GEOSGetGeometryN_r(g->h, merged, i));
		unsigned m = 0;
		if (!seq || !GEOSCoordSeq_getSize_r(g->h, seq, &m) || m < 1)
			goto done;
		for (unsigned k = 0; k < 2; k++) {
			struct chain_end *e = end + ne++;
			e->chain = i;
			if (!GEOSCoordSeq_getXY_r(g->h, seq, k ? m - 1 : 0, &e->x, &e->y))
				goto done;
		}
	}
	qsort(end, ne, sizeof *end, compare_end);
	/* runs of equal points; run[2 i], run[2 i + 1]: the runs of chain i's ends */
	size_t nr = 0;
	for (size_t k = 0; k < ne; k++) {
		if (k == 0 || end[k].x != end[k - 1].x || end[k].y != end[k - 1].y)
			first[nr++] = k;
		size_t *slot = run + 2 * (size_t)end[k].chain;
		slot[slot[0] != SIZE_MAX] = nr - 1;
	}
	first[nr] = ne;
	n_groups = 0;
	for (int i = 0; i < n; i++) {
		if (!keep[i])
			continue;
		/* smallest group not used by a chain sharing an end point with i */
		for (int c = 0;; c++) {
			bool used = false;
			for (size_t e = 0; e < 2 && !used; e++) {
				size_t r = run[2 * (size_t)i + e];
				for (size_t k = first[r]; k < first[r + 1] && !used; k++)
					used = end[k].chain != i && group[end[k].chain] == c;
			}
			if (!used) {
				group[i] = c;
				if (c + 1 > n_groups)
					n_groups = c + 1;
				break;
			}
		}
	}
done:
	free(end);
	free(first);
	free(run);
	return n_groups;
}

/* Whether the prepared polygon contains box b grown by d on every side, and so the
 * buffer by d of every line inside b. Returns 1, 0 or -1 (error). */
static int contains_grown_box(struct ws_geos *g, const GEOSPreparedGeometry *poly, struct bbox b, double d)
{
	double xy[10] = {b.x0 - d, b.y0 - d, b.x1 + d, b.y0 - d, b.x1 + d, b.y1 + d,
			 b.x0 - d, b.y1 + d, b.x0 - d, b.y0 - d};
	GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(g->h, xy, 5, 0, 0);
	GEOSGeometry *ring = seq ? GEOSGeom_createLinearRing_r(g->h, seq) : NULL;
	GEOSGeometry *box = ring ? GEOSGeom_createPolygon_r(g->h, ring, NULL, 0) : NULL;
	if (!box)
		return -1;
	int in = GEOSPreparedContains_r(g->h, poly, box);
	GEOSGeom_destroy_r(g->h, box);
	return in == 2 ? -1 : in;
}

/* One band of one center: the buffer of the reached pieces, unioned with the band below.
 * Buffering thousands of overlapping pieces at once is slow in GEOS (seconds), so the
 * same set is built from its parts: the pieces are noded and polygonized; the union U
 * of the faces (blocks enclosed by reached lines) is buffered outwards; from it each face
 * shrunk by the walk-off (the unreached interior of a big block) is cut out as a hole;
 * the lines on no face boundary (dead ends, the partial arcs at the cutoff, bridges
 * between blocks) are merged into chains, buffered in groups of chains without a shared
 * end point (group_chains), and everything is unioned in one cascaded union. A point of a face is within the walk-off of the lines exactly
 * when it is within the walk-off of the face's boundary or of a line inside the face, and
 * a point outside U exactly when it is within the walk-off of U or of a line outside U,
 * so this is the buffer of the pieces, up to GEOS's arc approximation (chords, inside
 * the true arcs). */
static GEOSGeometry *band_geometry(struct ws_geos *g, const struct pieces *p, double walk_off_m,
				   const GEOSGeometry *below, struct ws_error *err)
{
	GEOSContextHandle_t h = g->h;
	const int q = WS_ISOCHRONE_QUAD_SEGS;
	GEOSGeometry *noded = NULL, *faces = NULL, *cuts = NULL, *dangles = NULL;
	GEOSGeometry *invalid = NULL, *u = NULL, *outer = NULL, *merged = NULL, *result = NULL;
	GEOSGeometry *lines_mls = NULL;
	const GEOSPreparedGeometry *u_prep = NULL, *below_prep = NULL;
	struct line_list parts = {0}, lines = {0};
	struct bbox *hole_box = NULL;
	size_t n_holes = 0;
	const char *what = "lines";

	struct piece_box *box = malloc((p->n + 1) * sizeof *box);
	bool *flag = malloc((p->n + 1) * sizeof *flag);
	what = "node";
	noded = box && flag ? noded_pieces(g, p, box, flag) : NULL;
	free(box);
	free(flag);
	if (!noded)
		goto fail;
	what = "polygonize";
	if (!(faces = GEOSPolygonize_full_r(h, noded, &cuts, &dangles, &invalid)))
		goto fail;
	int n_faces = GEOSGetNumGeometries_r(h, faces);
	if (n_faces > 0) {
		what = "face union";
		u = GEOSCoverageUnion_r(h, faces);
		if (!u)
			u = GEOSUnaryUnion_r(h, faces);
		if (!u)
			goto fail;
		what = "buffer";
		if (!(outer = GEOSBuffer_r(h, u, walk_off_m, q)))
			goto fail;
		hole_box = malloc(((size_t)n_faces + 1) * sizeof *hole_box);
		if (!hole_box)
			goto nomem;
		struct line_list holes = {0};
		for (int i = 0; i < n_faces; i++) {
			const GEOSGeometry *f = GEOSGetGeometryN_r(h, faces, i);
			struct bbox b = bbox_of(g, f);
			/* a face narrower than twice the walk-off has no point farther than it
			 * from its boundary */
			if (b.x1 - b.x0 <= 2 * walk_off_m || b.y1 - b.y0 <= 2 * walk_off_m)
				continue;
			/* nor one smaller than a disk of radius walk-off */
			double area = 0;
			if (GEOSArea_r(h, f, &area) && area <= M_PI * walk_off_m * walk_off_m)
				continue;
			GEOSGeometry *s = GEOSBuffer_r(h, f, -walk_off_m, q);
			if (!s) {
				list_clear(g, &holes);
				goto fail;
			}
			if (GEOSisEmpty_r(h, s) == 1) {
				GEOSGeom_destroy_r(h, s);
				continue;
			}
			hole_box[n_holes++] = bbox_of(g, s);
			if (!list_add(&holes, s)) {
				GEOSGeom_destroy_r(h, s);
				list_clear(g, &holes);
				goto nomem;
			}
		}
		if (holes.n) {
			GEOSGeometry *hc = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, holes.g,
								       (unsigned)holes.n);
			free(holes.g);
			what = "holes";
			if (!hc)
				goto fail;
			GEOSGeometry *d = GEOSDifference_r(h, outer, hc);
			GEOSGeom_destroy_r(h, hc);
			if (!d)
				goto fail;
			GEOSGeom_destroy_r(h, outer);
			outer = d;
		}
		if (!(u_prep = GEOSPrepare_r(h, u)))
			goto fail;
	}
	what = "lines";
	if (!collect_lines(g, cuts, u_prep, hole_box, n_holes, walk_off_m, &lines) ||
	    !collect_lines(g, dangles, u_prep, hole_box, n_holes, walk_off_m, &lines) ||
	    !collect_lines(g, invalid, u_prep, hole_box, n_holes, walk_off_m, &lines))
		goto fail;
	if (outer && !list_add(&parts, outer))
		goto nomem;
	outer = NULL;
	if (below && !list_add(&parts, GEOSGeom_clone_r(h, below)))
		goto fail;
	if (lines.n) {
		lines_mls = GEOSGeom_createCollection_r(h, GEOS_MULTILINESTRING, lines.g, (unsigned)lines.n);
		free(lines.g);
		memset(&lines, 0, sizeof lines);
		what = "line merge";
		if (!lines_mls || !(merged = GEOSLineMerge_r(h, lines_mls)))
			goto fail;
		int n = GEOSGetNumGeometries_r(h, merged);
		/* a chain whose box grown by the walk-off lies inside the band below adds
		 * nothing: its buffer is already there (most dead ends and links between
		 * blocks of the inner bands) */
		what = "prepare";
		if (below && !(below_prep = GEOSPrepare_r(h, below)))
			goto fail;
		what = "buffer";
		int *keep = malloc(((size_t)n + 1) * sizeof *keep), *group = malloc(((size_t)n + 1) * sizeof *group);
		GEOSGeometry **set = malloc(((size_t)n + 1) * sizeof *set);
		bool bok = keep && group && set;
		for (int i = 0; bok && i < n; i++) {
			const GEOSGeometry *chain = GEOSGetGeometryN_r(h, merged, i);
			int in = below_prep ? contains_grown_box(g, below_prep, bbox_of(g, chain), walk_off_m) : 0;
			keep[i] = in == 0;
			bok = in >= 0;
		}
		int n_groups = bok ? group_chains(g, merged, keep, n, group) : -1;
		for (int c = 0; bok && c < n_groups; c++) {
			unsigned k = 0;
			for (int i = 0; i < n; i++)
				if (group[i] == c)
					set[k++] = GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, merged, i));
			GEOSGeometry *mls = GEOSGeom_createCollection_r(h, GEOS_MULTILINESTRING, set, k);
			bok = mls && list_add(&parts, GEOSBuffer_r(h, mls, walk_off_m, q));
			if (mls)
				GEOSGeom_destroy_r(h, mls);
		}
		free(keep);
		free(group);
		free(set);
		if (!bok)
			goto fail;
	}
	what = "union";
	if (parts.n == 1) {
		result = parts.g[0];
		parts.n = 0;
	} else {
		GEOSGeometry *all = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts.g, (unsigned)parts.n);
		parts.n = 0;
		if (!all)
			goto fail;
		result = GEOSUnaryUnion_r(h, all);
		GEOSGeom_destroy_r(h, all);
		if (!result)
			goto fail;
	}
	what = "make valid";
	if (!(result = ensure_valid(g, result)))
		goto fail;
	goto done;
nomem:
	ws_error_nomem(err);
	goto done;
fail:
	geos_failed(g, what, err);
done:
	if (u_prep)
		GEOSPreparedGeom_destroy_r(h, u_prep);
	if (below_prep)
		GEOSPreparedGeom_destroy_r(h, below_prep);
	GEOSGeometry *own[] = {noded, faces, cuts, dangles, invalid, u, outer, merged, lines_mls};
	for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
		if (own[i])
			GEOSGeom_destroy_r(h, own[i]);
	list_clear(g, &parts);
	list_clear(g, &lines);
	free(hole_box);
	return result;
}

static bool visit_center(void *vctx, int thread, size_t s, const struct ws_route_workspace *ws,
			 size_t n_reached, const uint32_t *nodes, const double *dist_m,
			 struct ws_error *err)
{
	struct iso_ctx *ctx = vctx;
	const struct ws_isochrone_params *p = ctx->p;
	struct thread_state *ts = &ctx->ts[thread];
	struct center_result *r = &ctx->res[s];
	if (!ts->have_geos)
		return ws_error_set(err, WS_ERR_GEOS, "cannot start GEOS");
	struct ws_geos *g = &ts->geos;
	if (!ws_shapes_init(&r->poly, WS_GEOM_POLYGON, err) || !ws_shapes_init(&r->lines, WS_GEOM_LINE, err))
		return false;
	r->area_m2 = calloc(p->n_bands + 1, sizeof *r->area_m2);
	r->network_m = calloc(p->n_bands + 1, sizeof *r->network_m);
	if (!r->area_m2 || !r->network_m)
		return ws_error_nomem(err);
	GEOSGeometry *below = NULL;
	bool ok = true, exact = !p->general_only;
	for (size_t b = 0; ok && b < p->n_bands; b++) {
		double limit = p->band_m[b];
		struct pieces *pc = &ts->pieces;
		pc->n = 0;
		pc->length_m = 0;
		ok = add_connector(ctx->connector_xy, ctx->centers, s, limit, pc);
		ok = ok && collect_pieces(ctx->g, nodes, dist_m, n_reached, workspace_distance, ws, limit, pc);
		if (!ok) {
			ws_error_nomem(err);
			break;
		}
		r->network_m[b] = pc->length_m;
		if (p->keep_lines && !(ok = append_lines(&r->lines, pc, err)))
			break;
		if (pc->n == 0) {
			ok = ws_polygon_append(g, NULL, &r->poly, err);
			continue;
		}
		GEOSGeometry *geom = NULL;
		if (exact) {
			enum ws_walk_off_status st = ws_walk_off_area(&ts->walk_off, g, pc->xy, pc->n, p->walk_off_m, &geom);
			if (st == WS_WALK_OFF_NOMEM) {
				ok = ws_error_nomem(err);
				break;
			}
			/* the exact area of a band contains the band below only when that one was
			 * exact too; after one general construction, every band above is unioned */
			exact = st == WS_WALK_OFF_OK;
		}
		r->n_general += !exact;
		if (!geom)
			geom = band_geometry(g, pc, p->walk_off_m, below, err);
		if (!geom) {
			ok = false;
			break;
		}
		if (below)
			GEOSGeom_destroy_r(g->h, below);
		below = geom;
		double area = 0;
		GEOSArea_r(g->h, geom, &area);
		r->area_m2[b] = area;
		ok = ws_polygon_append(g, geom, &r->poly, err);
	}
	if (below)
		GEOSGeom_destroy_r(g->h, below);
	if (!ok)
		return ws_error_prefix(err, "isochrone of center %zu: ", s);

	/* compounds reached within the largest band: min over each compound's seeds */
	const struct ws_route_sources *k = ctx->compounds;
	if (!k)
		return true;
	double limit = p->band_m[p->n_bands - 1];
	size_t cap = 16;
	r->reach_compound = malloc(cap * sizeof *r->reach_compound);
	r->reach_m = malloc(cap * sizeof *r->reach_m);
	if (!r->reach_compound || !r->reach_m)
		return ws_error_nomem(err);
	for (size_t c = 0; c < k->n; c++) {
		double best = INFINITY;
		for (size_t i = k->first[c]; i < k->first[c + 1]; i++) {
			double d = ws_route_distance(ws, k->seeds[i].node) + k->seeds[i].offset_m;
			if (d < best)
				best = d;
		}
		if (!(best <= limit))
			continue;
		if (r->n_reach == cap) {
			cap *= 2;
			uint32_t *rc = realloc(r->reach_compound, cap * sizeof *rc);
			if (rc)
				r->reach_compound = rc;
			double *rm = realloc(r->reach_m, cap * sizeof *rm);
			if (rm)
				r->reach_m = rm;
			if (!rc || !rm)
				return ws_error_nomem(err);
		}
		r->reach_compound[r->n_reach] = (uint32_t)c;
		r->reach_m[r->n_reach++] = best;
	}
	return true;
}

/* Appends every feature of src to dst. */
static bool shapes_append_all(struct ws_shapes *dst, const struct ws_shapes *src, struct ws_error *err)
{
	for (size_t f = 0; f < src->n_features; f++)
		if (!ws_shapes_append_feature(dst, src, f, err))
			return false;
	return true;
}

void ws_isochrones_finish(struct ws_isochrones *iso)
{
	if (!iso)
		return;
	ws_shapes_finish(&iso->poly);
	ws_shapes_finish(&iso->lines);
	free(iso->area_m2);
	free(iso->network_m);
	free(iso->reach_first);
	free(iso->reach_compound);
	free(iso->reach_m);
	memset(iso, 0, sizeof *iso);
}

static bool check_params(const struct ws_isochrone_params *p, struct ws_error *err)
{
	if (p->n_bands == 0)
		return ws_error_set(err, WS_ERR_USAGE, "isochrones: no band");
	for (size_t b = 0; b < p->n_bands; b++)
		if (!(p->band_m[b] > 0) || !isfinite(p->band_m[b]) || (b && !(p->band_m[b] > p->band_m[b - 1])))
			return ws_error_set(err, WS_ERR_USAGE, "isochrones: bands must be positive and increasing");
	if (!(p->walk_off_m > 0) || !isfinite(p->walk_off_m))
		return ws_error_set(err, WS_ERR_USAGE, "isochrones: the walk-off width must be positive");
	return true;
}

bool ws_isochrones_compute(struct ws_isochrones *iso, const struct ws_graph *g,
			   const struct ws_route_sources *centers, const double *connector_xy,
			   const struct ws_route_sources *compounds,
			   const struct ws_isochrone_params *p, struct ws_error *err)
{
	memset(iso, 0, sizeof *iso);
	if (!check_params(p, err))
		return false;
	size_t nc = centers->n, nb = p->n_bands;
	int n_threads = ws_route_thread_count(p->threads);
	struct iso_ctx ctx = {g, p, connector_xy, centers, compounds, NULL, NULL};
	bool ok = false;
	iso->n_centers = nc;
	iso->n_bands = nb;
	ctx.ts = calloc((size_t)n_threads, sizeof *ctx.ts);
	ctx.res = calloc(nc + 1, sizeof *ctx.res);
	iso->area_m2 = calloc(nc * nb + 1, sizeof *iso->area_m2);
	iso->network_m = calloc(nc * nb + 1, sizeof *iso->network_m);
	iso->reach_first = calloc(nc + 1, sizeof *iso->reach_first);
	if (!ctx.ts || !ctx.res || !iso->area_m2 || !iso->network_m || !iso->reach_first) {
		ws_error_nomem(err);
		goto done;
	}
	if (!ws_shapes_init(&iso->poly, WS_GEOM_POLYGON, err) || !ws_shapes_init(&iso->lines, WS_GEOM_LINE, err))
		goto done;
	for (int t = 0; t < n_threads; t++) {
		struct ws_error e = {0};
		ctx.ts[t].have_geos = ws_geos_init(&ctx.ts[t].geos, &e);
	}
	if (!ws_route_each_source(g, centers, p->band_m[nb - 1], p->threads, visit_center, &ctx, err))
		goto done;

	/* gather in center order */
	size_t n_reach = 0;
	for (size_t s = 0; s < nc; s++)
		n_reach += ctx.res[s].n_reach;
	iso->reach_compound = malloc((n_reach + 1) * sizeof *iso->reach_compound);
	iso->reach_m = malloc((n_reach + 1) * sizeof *iso->reach_m);
	if (!iso->reach_compound || !iso->reach_m) {
		ws_error_nomem(err);
		goto done;
	}
	for (size_t s = 0; s < nc; s++) {
		struct center_result *r = &ctx.res[s];
		if (!shapes_append_all(&iso->poly, &r->poly, err) ||
		    (p->keep_lines && !shapes_append_all(&iso->lines, &r->lines, err)))
			goto done;
		memcpy(iso->area_m2 + s * nb, r->area_m2, nb * sizeof *r->area_m2);
		memcpy(iso->network_m + s * nb, r->network_m, nb * sizeof *r->network_m);
		size_t k0 = iso->reach_first[s];
		if (r->n_reach) {
			memcpy(iso->reach_compound + k0, r->reach_compound, r->n_reach * sizeof *r->reach_compound);
			memcpy(iso->reach_m + k0, r->reach_m, r->n_reach * sizeof *r->reach_m);
		}
		iso->reach_first[s + 1] = k0 + r->n_reach;
		iso->n_general += r->n_general;
	}
	ok = true;
done:
	if (ctx.ts)
		for (int t = 0; t < n_threads; t++) {
			if (ctx.ts[t].have_geos)
				ws_geos_finish(&ctx.ts[t].geos);
			free(ctx.ts[t].pieces.xy);
			ws_walk_off_workspace_finish(&ctx.ts[t].walk_off);
		}
	if (ctx.res)
		for (size_t s = 0; s < nc; s++) {
			ws_shapes_finish(&ctx.res[s].poly);
			ws_shapes_finish(&ctx.res[s].lines);
			free(ctx.res[s].area_m2);
			free(ctx.res[s].network_m);
			free(ctx.res[s].reach_compound);
			free(ctx.res[s].reach_m);
		}
	free(ctx.ts);
	free(ctx.res);
	if (!ok)
		ws_isochrones_finish(iso);
	return ok;
}

struct array_lookup {
	const double *dist;
};

static double array_distance(const void *ctx, uint32_t node)
{
	return ((const struct array_lookup *)ctx)->dist[node];
}

bool ws_isochrones_union(const struct ws_graph *g, const struct ws_route_sources *centers,
			 const double *connector_xy, const struct ws_isochrone_params *p,
			 double *length_m, struct ws_shapes *served, double *served_m2, bool *exact,
			 struct ws_error *err)
{
	size_t n = (size_t)g->n_nodes, nb = p->n_bands;
	double *dist = malloc((n + 1) * sizeof *dist);
	uint32_t *src = malloc((n + 1) * sizeof *src);
	uint32_t *nodes = malloc((n + 1) * sizeof *nodes);
	struct pieces *pc = calloc(nb + 1, sizeof *pc);
	enum ws_walk_off_status *st = calloc(nb + 1, sizeof *st);
	struct ws_shapes *band = calloc(nb + 1, sizeof *band);
	bool ok = false;
	if (exact)
		*exact = false;
	if (!dist || !src || !nodes || !pc || !st || !band) {
		ws_error_nomem(err);
		goto done;
	}
	if (!ws_route_nearest(g, centers, NULL, p->band_m[nb - 1], dist, src, err))
		goto done;
	for (uint32_t v = 0; v < g->n_nodes; v++)
		nodes[v] = v;
	struct array_lookup lk = {dist};
	for (size_t b = 0; b < nb; b++) {
		if (!collect_pieces(g, nodes, dist, n, array_distance, &lk, p->band_m[b], &pc[b])) {
			ws_error_nomem(err);
			goto done;
		}
		length_m[b] = pc[b].length_m;
		for (size_t s = 0; served && s < centers->n; s++)
			if (!add_connector(connector_xy, centers, s, p->band_m[b], &pc[b])) {
				ws_error_nomem(err);
				goto done;
			}
	}
	if (!served) {
		ok = true;
		goto done;
	}
	/* one band per task, each with its own GEOS context and workspace; the polygons
	 * travel as coordinates (a geometry dies with its context) */
	int n_threads = ws_route_thread_count(p->threads);
	(void)n_threads; /* only read by the OpenMP pragma */
	#pragma omp parallel num_threads(n_threads)
	{
		struct ws_geos gg;
		struct ws_error ge = {0};
		struct ws_walk_off_workspace ws = {0};
		bool have = ws_geos_init(&gg, &ge);
		#pragma omp for schedule(dynamic, 1)
		for (size_t b = 0; b < nb; b++) {
			GEOSGeometry *geom = NULL;
			struct ws_error e = {0};
			st[b] = !have ? WS_WALK_OFF_NOMEM
				: pc[b].n ? ws_walk_off_area(&ws, &gg, pc[b].xy, pc[b].n, p->walk_off_m, &geom)
					  : WS_WALK_OFF_EMPTY;
			if (!ws_shapes_init(&band[b], WS_GEOM_POLYGON, &e) ||
			    !ws_polygon_append(&gg, geom, &band[b], &e))
				st[b] = WS_WALK_OFF_NOMEM;
			if (geom) {
				GEOSArea_r(gg.h, geom, &served_m2[b]);
				GEOSGeom_destroy_r(gg.h, geom);
			}
		}
		ws_walk_off_workspace_finish(&ws);
		if (have)
			ws_geos_finish(&gg);
	}
	bool all_exact = true;
	for (size_t b = 0; b < nb; b++) {
		if (st[b] == WS_WALK_OFF_NOMEM) {
			ws_error_nomem(err);
			goto done;
		}
		all_exact = all_exact && (st[b] == WS_WALK_OFF_OK || st[b] == WS_WALK_OFF_EMPTY);
	}
	if (all_exact) {
		for (size_t b = 0; b < nb; b++)
			if (!ws_shapes_append_feature(served, &band[b], 0, err))
				goto done;
		*exact = true;
	}
	ok = true;
done:
	for (size_t b = 0; pc && b < nb; b++)
		free(pc[b].xy);
	for (size_t b = 0; band && b < nb; b++)
		ws_shapes_finish(&band[b]);
	free(pc);
	free(band);
	free(st);
	free(dist);
	free(src);
	free(nodes);
	return ok;
}

bool ws_isochrones_union_length(const struct ws_graph *g, const struct ws_route_sources *centers,
				const double *band_m, size_t n_bands, double *length_m,
				struct ws_error *err)
{
	struct ws_isochrone_params p = {band_m, n_bands, WS_WALK_OFF_DEFAULT_M, 1, false, false};
	return ws_isochrones_union(g, centers, NULL, &p, length_m, NULL, NULL, NULL, err);
}
