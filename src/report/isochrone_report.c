/* Isochrone reports. Areas in m2 with 1 decimal, lengths in m with 1 decimal, shares with
 * 4 decimals; minutes as given. */
#include "isochrone_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/crs.h"
#include "report/audit_report.h"
#include "report/jsonout.h"
#include "report/writers.h"

static const char *field_text(const struct ws_layer *l, size_t f, const char *field)
{
	return ws_layer_value(l, f, ws_layer_field_index(l, field));
}

enum iso_col { IC_FID, IC_ID, IC_NAME, IC_LEVEL, IC_BAND, IC_LIMIT, IC_AREA, IC_NET, IC_CIRCLE,
	       IC_RATIO, IC_N_WALK, IC_N_CIRCLE, IC_CIRCLE_ONLY, IC_COUNT };

bool ws_isochrone_table(struct ws_table *t, const struct ws_isochrone_run *r, struct ws_error *err)
{
	const struct ws_study *st = r->st;
	size_t nc = r->iso.n_centers, nb = r->iso.n_bands;
	if (!ws_table_init(t, nc * nb, IC_COUNT, err))
		return false;
	bool ok = ws_table_set_column(t, IC_FID, "center_fid", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, IC_ID, "center_id", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, IC_NAME, "name", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, IC_LEVEL, "level", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, IC_BAND, "band_min", WS_COL_REAL, 2, err) &&
		  ws_table_set_column(t, IC_LIMIT, "limit_m", WS_COL_REAL, 1, err) &&
		  ws_table_set_column(t, IC_AREA, "area_m2", WS_COL_REAL, 1, err) &&
		  ws_table_set_column(t, IC_NET, "network_m", WS_COL_REAL, 1, err) &&
		  ws_table_set_column(t, IC_CIRCLE, "circle_m2", WS_COL_REAL, 1, err) &&
		  ws_table_set_column(t, IC_RATIO, "walk_ratio", WS_COL_REAL, 4, err) &&
		  ws_table_set_column(t, IC_N_WALK, "n_walk", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, IC_N_CIRCLE, "n_circle", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, IC_CIRCLE_ONLY, "circle_only", WS_COL_INT, 0, err);
	for (size_t s = 0; ok && s < nc; s++)
		for (size_t b = 0; ok && b < nb; b++) {
			size_t row = s * nb + b;
			ws_table_set_int(t, row, IC_FID, (int64_t)s);
			ok = ws_table_set_text(t, row, IC_ID, st->center_id[s], err) &&
			     ws_table_set_text(t, row, IC_NAME, field_text(&st->centers, s, "name"), err) &&
			     ws_table_set_text(t, row, IC_LEVEL, field_text(&st->centers, s, "level"), err);
			ws_table_set_real(t, row, IC_BAND, r->p.band_min[b]);
			ws_table_set_real(t, row, IC_LIMIT, r->band_m[b]);
			ws_table_set_real(t, row, IC_AREA, r->iso.area_m2[row]);
			ws_table_set_real(t, row, IC_NET, r->iso.network_m[row]);
			ws_table_set_real(t, row, IC_CIRCLE, r->cw.circle_m2[b]);
			ws_table_set_real(t, row, IC_RATIO, r->iso.area_m2[row] / r->cw.circle_m2[b]);
			ws_table_set_int(t, row, IC_N_WALK, r->cw.n_walk[row]);
			ws_table_set_int(t, row, IC_N_CIRCLE, r->cw.n_circle[row]);
			ws_table_set_int(t, row, IC_CIRCLE_ONLY, r->cw.n_circle_only[row]);
		}
	if (!ok)
		ws_table_finish(t);
	return ok;
}

enum sa_col { SA_BAND, SA_KIND, SA_AREA, SA_PCT, SA_NET, SA_N_WALK, SA_N_CIRCLE_ONLY, SA_COUNT };

static void band_counts(const struct ws_isochrone_run *r, size_t b, size_t *n_walk, size_t *n_circle_only)
{
	*n_walk = *n_circle_only = 0;
	for (size_t c = 0; c < r->cw.n_compounds; c++) {
		bool w = r->cw.in_walk[c * r->cw.n_bands + b], ci = r->cw.in_circle[c * r->cw.n_bands + b];
		*n_walk += w;
		*n_circle_only += ci && !w;
	}
}

bool ws_service_area_table(struct ws_table *t, const struct ws_isochrone_run *r, struct ws_error *err)
{
	size_t nb = r->sa.n_bands;
	if (!ws_table_init(t, 2 * nb, SA_COUNT, err))
		return false;
	bool ok = ws_table_set_column(t, SA_BAND, "band_min", WS_COL_REAL, 2, err) &&
		  ws_table_set_column(t, SA_KIND, "kind", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, SA_AREA, "area_m2", WS_COL_REAL, 1, err) &&
		  ws_table_set_column(t, SA_PCT, "study_pct", WS_COL_REAL, 2, err) &&
		  ws_table_set_column(t, SA_NET, "network_m", WS_COL_REAL, 1, err) &&
		  ws_table_set_column(t, SA_N_WALK, "n_walk", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, SA_N_CIRCLE_ONLY, "circle_only", WS_COL_INT, 0, err);
	for (size_t b = 0; ok && b < nb; b++) {
		size_t n_walk, n_circle_only;
		band_counts(r, b, &n_walk, &n_circle_only);
		for (int k = 0; ok && k < 2; k++) {
			size_t row = 2 * b + (size_t)k;
			ws_table_set_real(t, row, SA_BAND, r->p.band_min[b]);
			ok = ws_table_set_text(t, row, SA_KIND, k ? "unserved" : "served", err);
			if (k == 0) {
				ws_table_set_real(t, row, SA_AREA, r->sa.served_m2[b]);
				ws_table_set_real(t, row, SA_NET, r->served_network_m[b]);
				ws_table_set_int(t, row, SA_N_WALK, (int64_t)n_walk);
				ws_table_set_int(t, row, SA_N_CIRCLE_ONLY, (int64_t)n_circle_only);
			} else {
				ws_table_set_real(t, row, SA_AREA, r->sa.unserved_m2[b]);
				if (r->sa.study_m2 > 0)
					ws_table_set_real(t, row, SA_PCT, 100.0 * r->sa.unserved_m2[b] / r->sa.study_m2);
			}
		}
	}
	if (!ok)
		ws_table_finish(t);
	return ok;
}

enum ca_col { CA_FID, CA_ID, CA_NAME, CA_ACCESS, CA_ENTRANCES, CA_SHARE, CA_IN_CIRCLE, CA_WALK,
	      CA_CIRCLE_ONLY, CA_BY_SHARE, CA_COUNT };

bool ws_compound_area_table(struct ws_table *t, const struct ws_isochrone_run *r,
			    const bool *covered_walk, double min_share, struct ws_error *err)
{
	const struct ws_study *st = r->st;
	size_t nk = st->compounds.geom.n_features, nb = r->cw.n_bands, tb = r->threshold_band;
	if (!ws_table_init(t, nk, CA_COUNT, err))
		return false;
	bool ok = ws_table_set_column(t, CA_FID, "fid", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, CA_ID, "id", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, CA_NAME, "name", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, CA_ACCESS, "access", WS_COL_TEXT, 0, err) &&
		  ws_table_set_column(t, CA_ENTRANCES, "entrances", WS_COL_INT, 0, err) &&
		  ws_table_set_column(t, CA_SHARE, "area_share", WS_COL_REAL, 4, err) &&
		  ws_table_set_column(t, CA_IN_CIRCLE, "in_circle", WS_COL_BOOL, 0, err) &&
		  ws_table_set_column(t, CA_WALK, "covered_walk", WS_COL_BOOL, 0, err) &&
		  ws_table_set_column(t, CA_CIRCLE_ONLY, "circle_only", WS_COL_BOOL, 0, err) &&
		  ws_table_set_column(t, CA_BY_SHARE, "covered_share", WS_COL_BOOL, 0, err);
	for (size_t c = 0; ok && c < nk; c++) {
		ws_table_set_int(t, c, CA_FID, (int64_t)c);
		const char *access = st->compound_access[c] == st->access_mode ? ws_access_mode_name(st->access_mode)
										 : "point (fallback)";
		ok = ws_table_set_text(t, c, CA_ID, st->compound_id[c], err) &&
		     ws_table_set_text(t, c, CA_NAME, field_text(&st->compounds, c, "name"), err) &&
		     ws_table_set_text(t, c, CA_ACCESS, access, err);
		ws_table_set_int(t, c, CA_ENTRANCES, (int64_t)(st->compound_first[c + 1] - st->compound_first[c]));
		ws_table_set_real(t, c, CA_SHARE, r->share[c]);
		bool circle = r->cw.in_circle[c * nb + tb];
		bool walk = covered_walk ? covered_walk[c] : r->cw.in_walk[c * nb + tb];
		ws_table_set_bool(t, c, CA_IN_CIRCLE, circle);
		ws_table_set_bool(t, c, CA_WALK, walk);
		ws_table_set_bool(t, c, CA_CIRCLE_ONLY, circle && !walk);
		if (min_share > 0 && !isnan(r->share[c]))
			ws_table_set_bool(t, c, CA_BY_SHARE, r->share[c] >= min_share);
	}
	if (!ok)
		ws_table_finish(t);
	return ok;
}

void ws_isochrone_print_summary(FILE *out, const struct ws_isochrone_run *r)
{
	const struct ws_study *st = r->st;
	size_t nc = r->iso.n_centers, nb = r->iso.n_bands;
	fprintf(out, "\nIsochrones %zu centers x %zu bands, walk-off %g m (the reached network buffered, "
		"holes kept; docs/isochrones.md)\n", nc, nb, r->p.walk_off_m);
	fprintf(out, "  %8s %10s %14s %14s %8s %14s\n", "band", "limit", "served km2", "network km",
		"unserved", "circle only");
	for (size_t b = 0; b < nb; b++) {
		size_t n_walk, n_circle_only;
		band_counts(r, b, &n_walk, &n_circle_only);
		fprintf(out, "  %5.4g min %8.0f m %14.3f %14.2f %7.1f%% %14zu\n", r->p.band_min[b], r->band_m[b],
			r->sa.served_m2[b] / 1e6, r->served_network_m[b] / 1000,
			r->sa.study_m2 > 0 ? 100.0 * r->sa.unserved_m2[b] / r->sa.study_m2 : 0.0, n_circle_only);
	}
	fprintf(out, "  unserved: share of the residential area (union of the compounds, %.3f km2) outside every isochrone\n",
		r->sa.study_m2 / 1e6);
	/* the circle vs the walk at the threshold */
	size_t tb = r->threshold_band, n_snapped = 0;
	double ratio_sum = 0, ratio_min = INFINITY;
	for (size_t s = 0; s < nc; s++) {
		if (st->center_first[s + 1] == st->center_first[s])
			continue;
		double ratio = r->iso.area_m2[s * nb + tb] / r->cw.circle_m2[tb];
		ratio_sum += ratio;
		ratio_min = fmin(ratio_min, ratio);
		n_snapped++;
	}
	size_t n_walk, n_circle_only;
	band_counts(r, tb, &n_walk, &n_circle_only);
	fprintf(out, "\nThe drawn circle vs the walk (%g min: circle of radius %.0f m, %.3f km2)\n",
		r->p.band_min[tb], r->band_m[tb], r->cw.circle_m2[tb] / 1e6);
	if (n_snapped)
		fprintf(out, "  the walk covers on average %.1f %% of a center's circle (least: %.1f %%)\n",
			100.0 * ratio_sum / (double)n_snapped, 100.0 * ratio_min);
	fprintf(out, "  %zu compounds lie inside some center's circle but no center reaches them on foot\n",
		n_circle_only);
}

struct json_object *ws_isochrone_summary_json(const struct ws_isochrone_run *r)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "walk_off_m", ws_json_real(r->p.walk_off_m, 3));
	json_object_object_add(o, "study_area", json_object_new_string("union of the compound polygons"));
	json_object_object_add(o, "study_area_m2", ws_json_real(r->sa.study_m2, 1));
	struct json_object *bands = json_object_new_array();
	for (size_t b = 0; b < r->iso.n_bands; b++) {
		size_t n_walk, n_circle_only;
		band_counts(r, b, &n_walk, &n_circle_only);
		struct json_object *x = json_object_new_object();
		json_object_object_add(x, "minutes", ws_json_real(r->p.band_min[b], 2));
		json_object_object_add(x, "limit_m", ws_json_real(r->band_m[b], 3));
		json_object_object_add(x, "served_m2", ws_json_real(r->sa.served_m2[b], 1));
		json_object_object_add(x, "unserved_m2", ws_json_real(r->sa.unserved_m2[b], 1));
		json_object_object_add(x, "served_network_m", ws_json_real(r->served_network_m[b], 1));
		json_object_object_add(x, "circle_m2", ws_json_real(r->cw.circle_m2[b], 1));
		json_object_object_add(x, "compounds_walk", json_object_new_int64((int64_t)n_walk));
		json_object_object_add(x, "compounds_circle_only", json_object_new_int64((int64_t)n_circle_only));
		json_object_array_add(bands, x);
	}
	json_object_object_add(o, "bands", bands);
	return o;
}

/* A copy of work-CRS shapes reprojected by `tr`. */
static bool reproject(struct ws_shapes *dst, const struct ws_shapes *src, const struct ws_transform *tr,
		      int threads, struct ws_error *err)
{
	size_t bad = 0;
	return ws_shapes_copy(dst, src, err) && ws_transform_points(tr, dst->xy, dst->n_points, threads, &bad, err);
}

bool ws_isochrone_write_outputs(const struct ws_outdir *out, const struct ws_isochrone_run *r,
				struct ws_error *err)
{
	const struct ws_study *st = r->st;
	struct ws_table iso = {0}, sa = {0};
	struct ws_shapes sa_work = {0}, iso_wgs = {0}, sa_wgs = {0}, iso_src = {0}, sa_src = {0};
	struct ws_transform *to_src = NULL;
	bool ok = ws_isochrone_table(&iso, r, err) && ws_service_area_table(&sa, r, err) &&
		  ws_shapes_init(&sa_work, WS_GEOM_POLYGON, err);
	/* service area rows: per band served then unserved */
	for (size_t b = 0; ok && b < r->sa.n_bands; b++)
		for (int k = 0; ok && k < 2; k++) {
			const struct ws_shapes *s = k ? &r->sa.unserved : &r->sa.served;
			ok = ws_shapes_begin_feature(&sa_work, err);
			for (size_t p = s->feature_first_part[b]; ok && p < s->feature_first_part[b + 1]; p++) {
				ok = ws_shapes_begin_part(&sa_work, err);
				for (size_t i = s->part_first_point[p]; ok && i < s->part_first_point[p + 1]; i++)
					ok = ws_shapes_add_point(&sa_work, s->xy[2 * i], s->xy[2 * i + 1], err);
			}
		}
	/* GeoJSON in WGS 84, shapefiles in the source CRS; each layer is reprojected once per
	 * CRS, and only once in all when the source CRS is built as WGS 84 is (OSM extracts):
	 * st->to_wgs84 is then the very operation a work -> source transform would make. */
	ok = ok && reproject(&iso_wgs, &r->iso.poly, st->to_wgs84, r->p.threads, err) &&
	     reproject(&sa_wgs, &sa_work, st->to_wgs84, r->p.threads, err);
	bool src_is_wgs = ws_transform_connects(st->to_wgs84, st->work_crs, st->src_crs, ws_study_extent(st));
	if (ok && !src_is_wgs)
		ok = (to_src = ws_transform_create_within(st->work_crs, st->src_crs, -1, ws_study_extent(st), err)) &&
		     reproject(&iso_src, &r->iso.poly, to_src, r->p.threads, err) &&
		     reproject(&sa_src, &sa_work, to_src, r->p.threads, err);
	ok = ok && ws_write_layer_files(out, "isochrones", &iso, &iso_wgs, src_is_wgs ? &iso_wgs : &iso_src, NULL, st, err) &&
	     ws_write_layer_files(out, "service_area", &sa, &sa_wgs, src_is_wgs ? &sa_wgs : &sa_src, NULL, st, err);
	ws_transform_destroy(to_src);
	ws_table_finish(&iso);
	ws_table_finish(&sa);
	ws_shapes_finish(&sa_work);
	ws_shapes_finish(&iso_wgs);
	ws_shapes_finish(&sa_wgs);
	ws_shapes_finish(&iso_src);
	ws_shapes_finish(&sa_src);
	return ok;
}
