/* Coordinate reference systems through PROJ.
 *
 * Invariant: every PJ lives and dies with the PJ_CONTEXT of the struct that holds it (or,
 * inside ws_transform_points, of the per-thread clone); nothing crosses contexts. A CRS is
 * carried between contexts as a definition string (its EPSG code when that is the same
 * CRS, else the text it was made from), rebuilt by the same build_crs(). Every operation is normalised to x = easting/longitude, y =
 * northing/latitude. Contexts never touch the network and never print: PROJ's error text
 * is captured per context and quoted in our messages. */
#include "io/crs.h"

#include <ctype.h>
#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

enum { MSG_CAP = 256 };

/* PROJ's context errno for a failed proj_create is a bare code ("Unknown error (code
 * 4096)"); the words ("crs not found", "missing ]") only reach the logger. So instead of
 * PJ_LOG_NONE each context logs errors into this buffer and nowhere else. */
struct capture {
	char msg[MSG_CAP];
};

struct ws_crs {
	PJ_CONTEXT *ctx;
	struct capture log;
	char *definition; /* as given */
	char *rebuild;    /* what other contexts rebuild it from via build_crs(): its EPSG
			   * code when PROJ holds an equivalent CRS under it, else definition */
	PJ *pj;           /* what transformations use (may be a BoundCRS) */
	PJ *base;         /* what queries use: pj, or the source CRS of a BoundCRS */
	char *name;
	char *code;       /* "EPSG:n", or a copy of name */
};

struct ws_transform {
	PJ_CONTEXT *ctx;
	struct capture log;
	PJ *op; /* normalised for lon/lat order; NULL when identity */
	bool identity;
	char *description;
	double accuracy_m;
	char *src_rebuild, *dst_rebuild; /* what both ends were built from */
	bool has_extent;
	double extent[4];                /* lon/lat area of interest, when has_extent */
};

static void capture_log(void *data, int level, const char *msg)
{
	struct capture *c = data;
	if (level == PJ_LOG_ERROR && msg)
		snprintf(c->msg, sizeof c->msg, "%s", msg);
}

#ifdef _OPENMP
static void discard_log(void *data, int level, const char *msg)
{
	(void)data;
	(void)level;
	(void)msg;
}
#endif

static PJ_CONTEXT *create_context(struct capture *log)
{
	PJ_CONTEXT *ctx = proj_context_create();
	if (!ctx)
		return NULL;
	proj_context_set_enable_network(ctx, 0);
	log->msg[0] = '\0';
	proj_log_func(ctx, log, capture_log);
	proj_log_level(ctx, PJ_LOG_ERROR);
	return ctx;
}

/* Clears the captured text before a call whose failure we will report. */
static void reset_log(struct capture *log)
{
	log->msg[0] = '\0';
}

/* PROJ's own words for the last failure in ctx. */
static const char *proj_message(PJ_CONTEXT *ctx, const struct capture *log)
{
	if (log->msg[0])
		return log->msg;
	int e = proj_context_errno(ctx);
	const char *s = e ? proj_context_errno_string(ctx, e) : NULL;
	return s ? s : "unknown PROJ error";
}

static char *copy_string(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

/* A bare PROJ string ("+proj=utm +zone=29") makes an operation, not a CRS, unless it
 * says +type=crs; users mean the CRS. */
static bool wants_type_crs(const char *def)
{
	return (strncmp(def, "+proj=", 6) == 0 || strncmp(def, "proj=", 5) == 0) &&
	       !strstr(def, "type=crs");
}

/* The CRS of `def` in ctx, reduced to what walkshed handles: a CompoundCRS becomes its
 * horizontal part (coordinates are 2D); a BoundCRS (WKT1 TOWGS84, +towgs84) is kept,
 * since PROJ then uses its datum shift, and *base gets its source CRS for questions about
 * units and names. On failure returns NULL with PROJ's message in `log`. */
static PJ *build_crs(PJ_CONTEXT *ctx, struct capture *log, const char *def, PJ **base)
{
	PJ *pj = NULL;
	reset_log(log);
	if (wants_type_crs(def)) {
		size_t n = strlen(def) + sizeof " +type=crs";
		char *full = malloc(n);
		if (!full)
			return NULL;
		snprintf(full, n, "%s +type=crs", def);
		pj = proj_create(ctx, full);
		free(full);
	} else {
		pj = proj_create(ctx, def);
	}
	if (!pj)
		return NULL;
	if (!proj_is_crs(pj)) {
		snprintf(log->msg, sizeof log->msg, "not a coordinate reference system (%s)",
			 proj_get_name(pj) ? proj_get_name(pj) : "unnamed object");
		proj_destroy(pj);
		return NULL;
	}
	if (proj_get_type(pj) == PJ_TYPE_COMPOUND_CRS) {
		PJ *horizontal = proj_crs_get_sub_crs(ctx, pj, 0);
		proj_destroy(pj);
		if (!horizontal)
			return NULL;
		pj = horizontal;
	}
	if (proj_get_type(pj) == PJ_TYPE_BOUND_CRS) {
		*base = proj_get_source_crs(ctx, pj);
		if (!*base) {
			proj_destroy(pj);
			return NULL;
		}
	} else {
		*base = pj;
	}
	return pj;
}

/* "EPSG:n" from the CRS's own identifier, else from proj_identify when PROJ is at least
 * 70% sure (ESRI's GCS_WGS_1984 is EPSG:4326 at 100%). NULL when unknown. */
static char *identify_code(PJ_CONTEXT *ctx, const PJ *crs)
{
	char buf[64];
	const char *auth = proj_get_id_auth_name(crs, 0);
	const char *code = proj_get_id_code(crs, 0);
	if (auth && code && strcmp(auth, "EPSG") == 0) {
		snprintf(buf, sizeof buf, "EPSG:%s", code);
		return copy_string(buf);
	}
	int *confidence = NULL;
	PJ_OBJ_LIST *found = proj_identify(ctx, crs, "EPSG", NULL, &confidence);
	char *result = NULL;
	/* Candidates come sorted by decreasing confidence. */
	if (found && proj_list_get_count(found) > 0 && confidence && confidence[0] >= 70) {
		PJ *best = proj_list_get(ctx, found, 0);
		const char *c = best ? proj_get_id_code(best, 0) : NULL;
		if (c) {
			snprintf(buf, sizeof buf, "EPSG:%s", c);
			result = copy_string(buf);
		}
		proj_destroy(best);
	}
	proj_int_list_destroy(confidence);
	proj_list_destroy(found);
	return result;
}

void ws_crs_destroy(struct ws_crs *crs)
{
	if (!crs)
		return;
	if (crs->base != crs->pj)
		proj_destroy(crs->base);
	proj_destroy(crs->pj);
	proj_context_destroy(crs->ctx);
	if (crs->rebuild != crs->definition)
		free(crs->rebuild);
	free(crs->definition);
	free(crs->name);
	free(crs->code);
	free(crs);
}

/* The EPSG code when its CRS is the same as ours (axis order of a geographic CRS aside:
 * operations are normalised to lon/lat anyway), else NULL. Rebuilding a .prj's WKT in
 * every transform's context and finding operations for a CRS that has no identifier cost
 * about 75 ms per transform (PROJ searches its database with intermediate CRSs); from
 * the code PROJ takes well under 1 ms and picks the same operation. A BoundCRS keeps its
 * definition: its TOWGS84 is not in the code. */
static char *find_rebuild_code(const struct ws_crs *crs)
{
	if (crs->base != crs->pj || strncmp(crs->code, "EPSG:", 5) != 0 ||
	    strcmp(crs->code, crs->definition) == 0)
		return NULL;
	PJ *coded = proj_create(crs->ctx, crs->code);
	bool same = coded && proj_is_equivalent_to_with_ctx(crs->ctx, crs->pj, coded,
							     PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS);
	proj_destroy(coded);
	return same ? copy_string(crs->code) : NULL;
}

/* Error text shows at most this much of a definition (a whole WKT would drown it). */
enum { SHOWN_DEF = 60 };

struct ws_crs *ws_crs_create(const char *definition, const char *what, struct ws_error *err)
{
	const char *sep = what && *what ? ": " : "";
	what = what ? what : "";
	if (!definition) {
		ws_error_set(err, WS_ERR_PROJ, "%s%sno CRS definition", what, sep);
		return NULL;
	}
	struct ws_crs *crs = calloc(1, sizeof *crs);
	if (!crs) {
		ws_error_nomem(err);
		return NULL;
	}
	/* .prj files end with a newline or nothing; trim both ends for PROJ. */
	while (isspace((unsigned char)*definition))
		definition++;
	size_t len = strlen(definition);
	while (len > 0 && isspace((unsigned char)definition[len - 1]))
		len--;
	crs->definition = malloc(len + 1);
	crs->ctx = create_context(&crs->log);
	if (!crs->definition || !crs->ctx) {
		ws_error_nomem(err);
		goto fail;
	}
	memcpy(crs->definition, definition, len);
	crs->definition[len] = '\0';

	/* An empty definition goes to PROJ too, so the message is PROJ's own. */
	crs->pj = build_crs(crs->ctx, &crs->log, crs->definition, &crs->base);
	if (!crs->pj) {
		ws_error_set(err, WS_ERR_PROJ, "%s%sinvalid CRS \"%.*s%s\": PROJ: %s", what, sep,
			     SHOWN_DEF, crs->definition, len > SHOWN_DEF ? "..." : "",
			     proj_message(crs->ctx, &crs->log));
		goto fail;
	}
	const char *name = proj_get_name(crs->base);
	crs->name = copy_string(name ? name : "unnamed CRS");
	if (!crs->name) {
		ws_error_nomem(err);
		goto fail;
	}
	crs->code = identify_code(crs->ctx, crs->base);
	if (!crs->code)
		crs->code = copy_string(crs->name);
	if (!crs->code) {
		ws_error_nomem(err);
		goto fail;
	}
	crs->rebuild = find_rebuild_code(crs);
	if (!crs->rebuild)
		crs->rebuild = crs->definition;
	reset_log(&crs->log);
	return crs;
fail:
	ws_crs_destroy(crs);
	return NULL;
}

const char *ws_crs_name(const struct ws_crs *crs)
{
	return crs->name;
}

const char *ws_crs_code(const struct ws_crs *crs)
{
	return crs->code;
}

bool ws_crs_is_metric(const struct ws_crs *crs)
{
	if (proj_get_type(crs->base) != PJ_TYPE_PROJECTED_CRS)
		return false;
	PJ *cs = proj_crs_get_coordinate_system(crs->ctx, crs->base);
	if (!cs)
		return false;
	int n_axes = proj_cs_get_axis_count(crs->ctx, cs);
	bool metric = n_axes >= 2;
	for (int i = 0; metric && i < 2; i++) {
		double factor = 0;
		if (!proj_cs_get_axis_info(crs->ctx, cs, i, NULL, NULL, NULL, &factor, NULL,
					   NULL, NULL) ||
		    factor != 1.0)
			metric = false;
	}
	proj_destroy(cs);
	return metric;
}

char *ws_crs_unit_name(const struct ws_crs *crs)
{
	PJ *cs = proj_crs_get_coordinate_system(crs->ctx, crs->base);
	if (!cs)
		return NULL;
	const char *unit = NULL;
	char *copy = NULL;
	if (proj_cs_get_axis_count(crs->ctx, cs) > 0 &&
	    proj_cs_get_axis_info(crs->ctx, cs, 0, NULL, NULL, NULL, NULL, &unit, NULL, NULL) &&
	    unit)
		copy = strdup(unit);
	proj_destroy(cs);
	return copy;
}

char *ws_crs_to_prj(const struct ws_crs *crs, struct ws_error *err)
{
	reset_log((struct capture *)&crs->log);
	/* ESRI WKT1 is what .prj readers expect; it cannot say everything (a BoundCRS's
	 * TOWGS84), so GDAL's WKT1 is the fallback. */
	const char *wkt = proj_as_wkt(crs->ctx, crs->pj, PJ_WKT1_ESRI, NULL);
	if (!wkt)
		wkt = proj_as_wkt(crs->ctx, crs->pj, PJ_WKT1_GDAL, NULL);
	if (!wkt) {
		ws_error_set(err, WS_ERR_PROJ, "%s: cannot write as WKT1: PROJ: %s", crs->name,
			     proj_message(crs->ctx, &crs->log));
		return NULL;
	}
	char *copy = copy_string(wkt); /* wkt belongs to crs->pj */
	if (!copy)
		ws_error_nomem(err);
	return copy;
}

/* A geographic WGS 84 with lon, lat axes in ctx, for bounding boxes. */
static PJ *create_lonlat_op(PJ_CONTEXT *ctx, const PJ *src)
{
	PJ *wgs84 = proj_create(ctx, "EPSG:4326");
	if (!wgs84)
		return NULL;
	PJ *op = proj_create_crs_to_crs_from_pj(ctx, src, wgs84, NULL, NULL);
	proj_destroy(wgs84);
	if (!op)
		return NULL;
	PJ *norm = proj_normalize_for_visualization(ctx, op);
	proj_destroy(op);
	return norm;
}

bool ws_crs_lonlat_extent(const struct ws_crs *src, const double bbox[4], double lonlat[4],
			  struct ws_error *err)
{
	for (int i = 0; i < 4; i++)
		if (!isfinite(bbox[i]))
			return ws_error_set(err, WS_ERR_PROJ, "%s: bounding box is not finite", src->name);
	/* The bounding box is read in src's context, where src->pj lives. */
	struct capture *log = (struct capture *)&src->log;
	reset_log(log);
	PJ *op = create_lonlat_op(src->ctx, src->pj);
	if (!op)
		return ws_error_set(err, WS_ERR_PROJ, "%s: no operation to WGS 84: PROJ: %s", src->name,
				    proj_message(src->ctx, log));
	double lon0, lat0, lon1, lat1;
	/* Densified edges: a projected box's geographic extent bulges between corners. */
	int got = proj_trans_bounds(src->ctx, op, PJ_FWD, bbox[0], bbox[1], bbox[2], bbox[3],
				    &lon0, &lat0, &lon1, &lat1, 21);
	proj_destroy(op);
	if (!got || !isfinite(lon0) || !isfinite(lat0) || !isfinite(lon1) || !isfinite(lat1))
		return ws_error_set(err, WS_ERR_PROJ,
				    "%s: bounding box (%.17g %.17g, %.17g %.17g) has no WGS 84 extent: PROJ: %s",
				    src->name, bbox[0], bbox[1], bbox[2], bbox[3],
				    proj_message(src->ctx, log));
	if (lat0 < -90 || lat1 > 90 || lat0 > lat1)
		return ws_error_set(err, WS_ERR_PROJ,
				    "%s: bounding box latitudes %.17g..%.17g lie outside -90..90",
				    src->name, lat0, lat1);
	lonlat[0] = lon0;
	lonlat[1] = lat0;
	lonlat[2] = lon1;
	lonlat[3] = lat1;
	return true;
}

struct ws_crs *ws_crs_create_utm_for(const double lonlat[4], struct ws_error *err)
{
	double lon0 = lonlat[0], lat0 = lonlat[1], lon1 = lonlat[2], lat1 = lonlat[3];
	/* proj_trans_bounds gives lon0 > lon1 for a box across the antimeridian. */
	double lon = lon0 <= lon1 ? (lon0 + lon1) / 2 : (lon0 + lon1 + 360) / 2;
	if (lon >= 180)
		lon -= 360;
	double lat = (lat0 + lat1) / 2;
	/* SPEC 2: the zone that contains the centre, in the standard 6-degree zones; the
	 * Norway/Svalbard exceptions of MGRS are deliberately not applied. */
	int zone = (int)floor((lon + 180) / 6) + 1;
	zone = zone < 1 ? 1 : zone > 60 ? 60 : zone;
	char def[32];
	snprintf(def, sizeof def, "EPSG:%d", (lat >= 0 ? 32600 : 32700) + zone);
	return ws_crs_create(def, "working CRS", err);
}

struct ws_crs *ws_crs_create_auto_utm(const struct ws_crs *src, const double bbox[4],
				      struct ws_error *err)
{
	double lonlat[4];
	return ws_crs_lonlat_extent(src, bbox, lonlat, err) ? ws_crs_create_utm_for(lonlat, err) : NULL;
}

void ws_transform_destroy(struct ws_transform *tr)
{
	if (!tr)
		return;
	proj_destroy(tr->op);
	proj_context_destroy(tr->ctx);
	free(tr->description);
	free(tr->src_rebuild);
	free(tr->dst_rebuild);
	free(tr);
}

/* Metres, or -1 when unknown. A conversion (a map projection on one datum) is exact by
 * definition although PROJ reports -1 for it; a chain of conversions likewise. */
static double accuracy_of(PJ_CONTEXT *ctx, PJ *op)
{
	PJ_TYPE type = proj_get_type(op);
	if (type == PJ_TYPE_CONVERSION)
		return 0;
	if (proj_coordoperation_has_ballpark_transformation(ctx, op))
		return -1;
	double acc = proj_coordoperation_get_accuracy(ctx, op);
	if (acc >= 0 || type != PJ_TYPE_CONCATENATED_OPERATION)
		return acc;
	int steps = proj_concatoperation_get_step_count(ctx, op);
	double worst = 0;
	for (int i = 0; i < steps && worst >= 0; i++) {
		PJ *step = proj_concatoperation_get_step(ctx, op, i);
		double a = step ? accuracy_of(ctx, step) : -1;
		proj_destroy(step);
		/* Errors of chained steps add up at worst. */
		worst = a < 0 ? -1 : worst + a;
	}
	return steps > 0 ? worst : -1;
}

/* PROJ answers a set of alternatives (one picked per point by area of use) when several
 * operations apply; the set hides its members, so they are listed again the way
 * proj_create_crs_to_crs does (partial intersection with the area of interest when there
 * is one, operations needing a missing grid discarded). Its accuracy is the worst member's: any point may use any of them, and a
 * ballpark fallback (unknown accuracy) makes the whole set unknown. */
static bool describe_alternatives(struct ws_transform *tr, const PJ *src, const PJ *dst)
{
	PJ_CONTEXT *ctx = tr->ctx;
	PJ_OPERATION_FACTORY_CONTEXT *factory = proj_create_operation_factory_context(ctx, NULL);
	PJ_OBJ_LIST *ops = NULL;
	char text[512];
	int n = 0;
	if (factory) {
		proj_operation_factory_context_set_spatial_criterion(
			ctx, factory, PROJ_SPATIAL_CRITERION_PARTIAL_INTERSECTION);
		proj_operation_factory_context_set_grid_availability_use(
			ctx, factory, PROJ_GRID_AVAILABILITY_DISCARD_OPERATION_IF_MISSING_GRID);
		if (tr->has_extent)
			proj_operation_factory_context_set_area_of_interest(
				ctx, factory, tr->extent[0], tr->extent[1], tr->extent[2], tr->extent[3]);
		ops = proj_create_operations(ctx, src, dst, factory);
		n = ops ? proj_list_get_count(ops) : 0;
	}
	double worst = n > 0 ? 0 : -1;
	bool ballpark = false;
	for (int i = 0; i < n; i++) {
		PJ *op = proj_list_get(ctx, ops, i);
		double a = op ? accuracy_of(ctx, op) : -1;
		if (op && proj_coordoperation_has_ballpark_transformation(ctx, op))
			ballpark = true;
		if (i == 0)
			snprintf(text, sizeof text,
				 "one of %d operations chosen per point by area of use, first: %s",
				 n, op && proj_get_name(op) ? proj_get_name(op) : "unnamed");
		proj_destroy(op);
		if (a < 0 || worst < 0)
			worst = -1;
		else if (a > worst)
			worst = a;
	}
	if (n == 0)
		snprintf(text, sizeof text, "a set of alternative operations (not listed by PROJ)");
	if (ballpark) {
		size_t used = strlen(text);
		snprintf(text + used, sizeof text - used, "; includes a ballpark fallback");
	}
	proj_list_destroy(ops);
	proj_operation_factory_context_destroy(factory);
	tr->accuracy_m = worst;
	tr->description = copy_string(text);
	return tr->description != NULL;
}

struct ws_transform *ws_transform_create(const struct ws_crs *src, const struct ws_crs *dst,
					 double max_error_m, struct ws_error *err)
{
	return ws_transform_create_within(src, dst, max_error_m, NULL, err);
}

struct ws_transform *ws_transform_create_within(const struct ws_crs *src, const struct ws_crs *dst,
						double max_error_m, const double *lonlat,
						struct ws_error *err)
{
	PJ *s = NULL, *s_base = NULL, *d = NULL, *d_base = NULL, *op = NULL;
	struct ws_transform *tr = calloc(1, sizeof *tr);
	if (!tr) {
		ws_error_nomem(err);
		return NULL;
	}
	tr->accuracy_m = -1;
	if (lonlat) {
		tr->has_extent = true;
		memcpy(tr->extent, lonlat, sizeof tr->extent);
	}
	tr->ctx = create_context(&tr->log);
	tr->src_rebuild = copy_string(src->rebuild);
	tr->dst_rebuild = copy_string(dst->rebuild);
	if (!tr->ctx || !tr->src_rebuild || !tr->dst_rebuild) {
		ws_error_nomem(err);
		goto fail;
	}
	/* Both CRSs are rebuilt here: a PJ must not be used from another context. */
	s = build_crs(tr->ctx, &tr->log, src->rebuild, &s_base);
	d = s ? build_crs(tr->ctx, &tr->log, dst->rebuild, &d_base) : NULL;
	if (!s || !d) {
		ws_error_set(err, WS_ERR_PROJ, "%s: cannot rebuild CRS: PROJ: %s",
			     s ? dst->name : src->name, proj_message(tr->ctx, &tr->log));
		goto fail;
	}
	if (proj_is_equivalent_to_with_ctx(tr->ctx, s, d, PJ_COMP_EQUIVALENT)) {
		tr->identity = true;
		tr->accuracy_m = 0;
		tr->description = copy_string("identity (equivalent CRSs)");
		if (!tr->description) {
			ws_error_nomem(err);
			goto fail;
		}
		goto done;
	}
	reset_log(&tr->log);
	PJ_AREA *area = NULL;
	if (tr->has_extent && (area = proj_area_create()))
		proj_area_set_bbox(area, tr->extent[0], tr->extent[1], tr->extent[2], tr->extent[3]);
	if (tr->has_extent && !area) {
		ws_error_nomem(err);
		goto fail;
	}
	op = proj_create_crs_to_crs_from_pj(tr->ctx, s, d, area, NULL);
	proj_area_destroy(area);
	if (!op) {
		ws_error_set(err, WS_ERR_PROJ, "no operation from %s to %s: PROJ: %s", src->name,
			     dst->name, proj_message(tr->ctx, &tr->log));
		goto fail;
	}
	/* Described before normalisation: the axis swap is our plumbing, not the user's. */
	if (proj_get_type(op) == PJ_TYPE_UNKNOWN) {
		if (!describe_alternatives(tr, s, d)) {
			ws_error_nomem(err);
			goto fail;
		}
	} else {
		PJ_PROJ_INFO info = proj_pj_info(op);
		tr->description = copy_string(info.description ? info.description : "unnamed");
		if (!tr->description) {
			ws_error_nomem(err);
			goto fail;
		}
		tr->accuracy_m = accuracy_of(tr->ctx, op);
	}
	reset_log(&tr->log);
	tr->op = proj_normalize_for_visualization(tr->ctx, op);
	if (!tr->op) {
		ws_error_set(err, WS_ERR_PROJ, "%s to %s: cannot fix axis order: PROJ: %s",
			     src->name, dst->name, proj_message(tr->ctx, &tr->log));
		goto fail;
	}
	if (max_error_m >= 0 && (tr->accuracy_m < 0 || tr->accuracy_m > max_error_m)) {
		char acc[32];
		if (tr->accuracy_m < 0)
			snprintf(acc, sizeof acc, "unknown");
		else
			snprintf(acc, sizeof acc, "%g m", tr->accuracy_m);
		ws_error_set(err, WS_ERR_PROJ,
			     "%s to %s: operation \"%s\" has accuracy %s, worse than the bound of %g m",
			     src->name, dst->name, tr->description, acc, max_error_m);
		goto fail;
	}
done:
	proj_destroy(op);
	if (s_base != s)
		proj_destroy(s_base);
	if (d_base != d)
		proj_destroy(d_base);
	proj_destroy(s);
	proj_destroy(d);
	return tr;
fail:
	proj_destroy(op);
	if (s_base != s)
		proj_destroy(s_base);
	if (d_base != d)
		proj_destroy(d_base);
	proj_destroy(s);
	proj_destroy(d);
	ws_transform_destroy(tr);
	return NULL;
}

bool ws_transform_connects(const struct ws_transform *tr, const struct ws_crs *src,
			   const struct ws_crs *dst, const double *lonlat)
{
	if (tr->has_extent != (lonlat != NULL) ||
	    (lonlat && memcmp(tr->extent, lonlat, sizeof tr->extent) != 0))
		return false;
	return strcmp(tr->src_rebuild, src->rebuild) == 0 &&
	       strcmp(tr->dst_rebuild, dst->rebuild) == 0;
}

bool ws_transform_is_identity(const struct ws_transform *tr)
{
	return tr->identity;
}

const char *ws_transform_description(const struct ws_transform *tr)
{
	return tr->description;
}

double ws_transform_accuracy_m(const struct ws_transform *tr)
{
	return tr->accuracy_m;
}

/* Points per proj_trans_generic call; fixed, so chunk boundaries never depend on the
 * thread count (they would not change results anyway: each point is independent). */
enum { CHUNK = 4096 };
/* Below this many points a thread's context (it opens proj.db) costs more than it saves. */
enum { PARALLEL_MIN = 20000 };

static void transform_chunk(PJ *op, double *xy, size_t n)
{
	size_t stride = 2 * sizeof(double);
	proj_trans_generic(op, PJ_FWD, xy, stride, n, xy + 1, stride, n, NULL, 0, 0, NULL, 0,
			   0);
}

static bool first_bad_point(const double *xy, size_t n, size_t *bad)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(xy[2 * i]) || !isfinite(xy[2 * i + 1])) {
			*bad = i;
			return true;
		}
	return false;
}

bool ws_transform_points(const struct ws_transform *tr, double *xy, size_t n, int threads,
			 size_t *bad_index, struct ws_error *err)
{
	size_t bad = 0;
	if (bad_index)
		*bad_index = (size_t)-1;
	/* PROJ must never see NaN/Inf (STYLE); the layer readers reject them first. */
	if (first_bad_point(xy, n, &bad)) {
		if (bad_index)
			*bad_index = bad;
		return ws_error_set(err, WS_ERR_PROJ, "point %zu: non-finite coordinate (%g, %g)",
				    bad, xy[2 * bad], xy[2 * bad + 1]);
	}
	if (tr->identity || n == 0)
		return true;
	size_t n_chunks = (n + CHUNK - 1) / CHUNK;
	int n_threads = 1;
#ifdef _OPENMP
	if (threads > 1 && n > PARALLEL_MIN)
		n_threads = threads < (int)n_chunks ? threads : (int)n_chunks;
#else
	(void)threads;
#endif
	if (n_threads == 1) {
		/* tr->op is used directly: callers do not share one transform across threads. */
		for (size_t c = 0; c < n_chunks; c++) {
			size_t first = c * CHUNK;
			transform_chunk(tr->op, xy + 2 * first, n - first < CHUNK ? n - first : CHUNK);
		}
	}
#ifdef _OPENMP
	else {
		/* One context and one clone of the same operation per thread, made before the
		 * region (STYLE: PROJ under threads). */
		PJ_CONTEXT **ctxs = calloc((size_t)n_threads, sizeof *ctxs);
		PJ **ops = calloc((size_t)n_threads, sizeof *ops);
		bool made = ctxs && ops;
		for (int t = 0; made && t < n_threads; t++) {
			ctxs[t] = proj_context_clone(tr->ctx);
			if (ctxs[t]) {
				/* The clone inherits our logger, whose buffer is not per thread. */
				proj_log_func(ctxs[t], NULL, discard_log);
				proj_log_level(ctxs[t], PJ_LOG_NONE);
				ops[t] = proj_clone(ctxs[t], tr->op);
			}
			made = ctxs[t] && ops[t];
		}
		if (made) {
#pragma omp parallel for num_threads(n_threads) schedule(static)
			for (size_t c = 0; c < n_chunks; c++) {
				size_t first = c * CHUNK;
				transform_chunk(ops[omp_get_thread_num()], xy + 2 * first,
						n - first < CHUNK ? n - first : CHUNK);
			}
		}
		for (int t = 0; ctxs && ops && t < n_threads; t++) {
			proj_destroy(ops[t]);
			proj_context_destroy(ctxs[t]);
		}
		free(ops);
		free(ctxs);
		if (!made)
			return ws_error_set(err, WS_ERR_NOMEM,
					    "out of memory cloning PROJ contexts for %d threads",
					    n_threads);
	}
#endif
	/* PROJ marks a failed point with HUGE_VAL (= inf); NaN is caught the same way. The
	 * scan runs in index order, so the lowest bad index is reported for any thread count. */
	if (first_bad_point(xy, n, &bad)) {
		if (bad_index)
			*bad_index = bad;
		return ws_error_set(err, WS_ERR_PROJ,
				    "point %zu: %s gives no finite result (outside its domain?)",
				    bad, tr->description);
	}
	return true;
}
