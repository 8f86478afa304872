/* From an audit to the report input. Formats and reprojects for drawing only: every
 * figure shown comes from struct ws_audit unchanged (reach minutes = metres / m_per_min). */
#include "report/report_audit.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/crs.h"
#include "report/simplify.h"
#include "ws_config.h"

static const char *field_text(const struct ws_layer *l, size_t f, const char *field)
{
	return ws_layer_value(l, f, ws_layer_field_index(l, field));
}

char *ws_report_audit_printf(struct ws_report_audit *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t)n + 1);
	char **labels = realloc(r->labels, (r->n_labels + 1) * sizeof *labels);
	if (!s || !labels) {
		free(s);
		if (labels)
			r->labels = labels;
		return NULL;
	}
	r->labels = labels;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	r->labels[r->n_labels++] = s;
	return s;
}

bool ws_report_audit_adopt(struct ws_report_audit *r, void *s)
{
	char **labels = realloc(r->labels, (r->n_labels + 1) * sizeof *labels);
	if (!labels) {
		free(s);
		return false;
	}
	r->labels = labels;
	r->labels[r->n_labels++] = s;
	return true;
}

static bool to_wgs84(struct ws_shapes *s, const struct ws_study *st, struct ws_error *err)
{
	size_t bad = 0;
	return ws_transform_points(st->to_wgs84, s->xy, s->n_points, 1, &bad, err);
}

bool ws_report_roads(struct ws_shapes *out, const struct ws_study *st, double tol_m,
		     struct ws_error *err)
{
	const struct ws_segments *sg = &st->segs;
	double *run = NULL;
	bool *keep = NULL;
	bool ok = ws_shapes_init(out, WS_GEOM_LINE, err) && ws_shapes_begin_feature(out, err);
	size_t cap = 0;
	for (uint32_t i = 0; ok && i < sg->n_segments;) {
		/* a run: segments of one feature where each starts at the previous one's end */
		uint32_t j = i + 1;
		while (j < sg->n_segments && sg->seg_feature[j] == sg->seg_feature[i] &&
		       sg->seg_node[2 * j] == sg->seg_node[2 * (j - 1) + 1])
			j++;
		size_t n = (size_t)(j - i) + 1;
		if (n > cap) {
			cap = 2 * n;
			double *r2 = realloc(run, cap * 2 * sizeof *run);
			bool *k2 = realloc(keep, cap * sizeof *keep);
			if (r2)
				run = r2;
			if (k2)
				keep = k2;
			if (!r2 || !k2) {
				ok = ws_error_nomem(err);
				break;
			}
		}
		for (uint32_t k = i; k < j; k++)
			memcpy(run + 2 * (k - i), sg->node_xy + 2 * sg->seg_node[2 * k], 2 * sizeof *run);
		memcpy(run + 2 * (n - 1), sg->node_xy + 2 * sg->seg_node[2 * (j - 1) + 1], 2 * sizeof *run);
		ok = ws_simplify_line(run, n, tol_m, keep, err) > 0 && ws_shapes_begin_part(out, err);
		for (size_t k = 0; ok && k < n; k++)
			if (keep[k])
				ok = ws_shapes_add_point(out, run[2 * k], run[2 * k + 1], err);
		i = j;
	}
	free(run);
	free(keep);
	ok = ok && to_wgs84(out, st, err);
	if (!ok)
		ws_shapes_finish(out);
	return ok;
}

static bool center_points(struct ws_shapes *out, const struct ws_study *st, struct ws_error *err)
{
	const struct ws_points *p = &st->centers_pts;
	bool ok = ws_shapes_init(out, WS_GEOM_POINT, err);
	for (size_t i = 0; ok && i < p->n; i++) {
		ok = ws_shapes_begin_feature(out, err);
		if (ok && isfinite(p->xy[2 * i]) && isfinite(p->xy[2 * i + 1]))
			ok = ws_shapes_begin_part(out, err) &&
			     ws_shapes_add_point(out, p->xy[2 * i], p->xy[2 * i + 1], err);
	}
	return ok && to_wgs84(out, st, err);
}

static const char *center_label(struct ws_report_audit *r, const struct ws_study *st, size_t s)
{
	const char *name = field_text(&st->centers, s, "name");
	return *name ? ws_report_audit_printf(r, "%s (%s)", name, st->center_id[s])
		     : ws_report_audit_printf(r, "id %s", st->center_id[s]);
}

/* The compound entrances as the footer states them (owned by r; NULL on OOM). */
static const char *access_text(struct ws_report_audit *r, const struct ws_study *st)
{
	switch (st->access_mode) {
	case WS_ACCESS_GATES:
		return ws_report_audit_printf(r, "the compounds' gates (inside or within %g m of a compound); "
					      "%zu compounds without a gate use a point on their surface",
					      st->gate_distance_m, st->n_access_fallback);
	case WS_ACCESS_BOUNDARY:
		return ws_report_audit_printf(r, "every network node inside or within %g m of a compound; "
					      "%zu compounds without one use a point on their surface",
					      st->gate_distance_m, st->n_access_fallback);
	default:
		return "one point on each compound's surface";
	}
}

bool ws_report_audit_add_param(struct ws_report_audit *r, const char *name, const char *value,
			       struct ws_error *err)
{
	if (!value)
		return ws_error_nomem(err);
	if (r->in.n_params >= WS_REPORT_PARAMS_MAX)
		return ws_error_set(err, WS_ERR_INTERNAL, "report: more than %d footer rows",
				    WS_REPORT_PARAMS_MAX);
	r->params[r->in.n_params++] = (struct ws_report_param){name, value};
	return true;
}

bool ws_report_audit_build(struct ws_report_audit *r, const struct ws_audit *a,
			   const char *dataset_label, const char *tiles_url, struct ws_error *err)
{
	const struct ws_study *st = a->st;
	size_t nk = a->cov.n_compounds, nc = a->cov.n_centers;
	if (nc > st->centers_pts.n)   /* a scenario's added sites: the caller labels them */
		nc = st->centers_pts.n;
	memset(r, 0, sizeof *r);
	r->compounds = calloc(nk + 1, sizeof *r->compounds);
	r->centers = calloc(nc + 1, sizeof *r->centers);
	r->worst = calloc(WS_REPORT_WORST_MAX, sizeof *r->worst);
	r->inputs = calloc(st->n_inputs + 1, sizeof *r->inputs);
	if (!r->compounds || !r->centers || !r->worst || !r->inputs)
		goto nomem;

	for (size_t s = 0; s < nc; s++) {
		struct ws_report_center *c = &r->centers[s];
		c->id = st->center_id[s];
		c->name = field_text(&st->centers, s, "name");
		c->level = field_text(&st->centers, s, "level");
		if (st->centers_pts.node[s] == WS_NO_NODE)
			c->note = "unsnapped: farther than the max snap distance from the network";
		else if (!a->center_reached[s])
			c->note = "reaches no compound within the threshold";
		else if (!(c->note = ws_report_audit_printf(r, "%zu compounds within the threshold", a->center_reached[s])))
			goto nomem;
	}
	for (size_t k = 0; k < nk; k++) {
		const struct ws_compound_reach *cr = &a->cov.compound[k];
		struct ws_report_compound *c = &r->compounds[k];
		c->id = st->compound_id[k];
		c->name = field_text(&st->compounds, k, "name");
		c->snapped = a->status[k] != WS_STATUS_UNSNAPPED;
		c->covered = cr->covered;
		c->reach_min = a->status[k] == WS_STATUS_UNREACHABLE || !c->snapped ? INFINITY
										 : ws_audit_minutes(a, cr->reach_m);
		c->population = NAN;
		if (cr->nearest < nc && !(c->nearest = center_label(r, st, cr->nearest)))
			goto nomem;
	}

	if (!ws_shapes_copy(&r->compound_shapes, &st->compounds_work, err) ||
	    !to_wgs84(&r->compound_shapes, st, err) || !center_points(&r->center_shapes, st, err) ||
	    !ws_report_roads(&r->roads, st, WS_REPORT_ROAD_TOLERANCE_M, err))
		goto fail;

	r->headline = (struct ws_report_headline){"All centers", a->n_status[WS_STATUS_COVERED], nk, NAN, NAN};
	size_t n_worst = 0;
	for (size_t i = 0; i < nk && n_worst < WS_REPORT_WORST_MAX; i++)
		if (a->status[a->worst[i]] != WS_STATUS_COVERED)
			r->worst[n_worst++] = a->worst[i];

	for (size_t i = 0; i < st->n_inputs; i++)
		r->inputs[i] = (struct ws_report_file){st->inputs[i].path, st->inputs[i].sha256};

	size_t np = 0;
	r->params[np++] = (struct ws_report_param){"Threshold", ws_report_audit_printf(r, "%g min", a->p.minutes)};
	r->params[np++] = (struct ws_report_param){"Walking speed", ws_report_audit_printf(r, "%g km/h", a->p.speed_kmh)};
	r->params[np++] = (struct ws_report_param){"Walking distance", ws_report_audit_printf(r, "%.0f m", a->limit_m)};
	r->params[np++] = (struct ws_report_param){"Max snap", ws_report_audit_printf(r, "%g m", a->p.max_snap_m)};
	r->params[np++] = (struct ws_report_param){"Access", access_text(r, st)};
	r->params[np++] = (struct ws_report_param){"Feature ids", st->id_field_used};
	for (size_t i = 0; i < np; i++)
		if (!r->params[i].value)
			goto nomem;

	r->title = ws_report_audit_printf(r, "Walking coverage audit");
	r->dataset = ws_report_audit_printf(r, "%s", dataset_label ? dataset_label : "");
	r->crs_source = ws_report_audit_printf(r, "%s (%s)", ws_crs_code(st->src_crs), ws_crs_name(st->src_crs));
	r->crs_working = ws_report_audit_printf(r, "%s (%s)", ws_crs_code(st->work_crs), ws_crs_name(st->work_crs));
	const char *tiles = tiles_url ? ws_report_audit_printf(r, "%s", tiles_url) : NULL;
	if (!r->title || !r->dataset || !r->crs_source || !r->crs_working || (tiles_url && !tiles))
		goto nomem;

	r->in = (struct ws_report_input){
		.title = r->title, .dataset = r->dataset, .command = "audit", .version = WS_VERSION,
		.crs_source = r->crs_source, .crs_working = r->crs_working, .minutes = a->p.minutes,
		.tiles_url = tiles, .n_params = np, .params = r->params, .n_inputs = st->n_inputs,
		.inputs = r->inputs, .n_compounds = nk, .compounds = r->compounds,
		.compound_shapes = &r->compound_shapes, .n_centers = nc, .centers = r->centers,
		.center_shapes = &r->center_shapes, .roads = &r->roads, .n_headlines = 1,
		.headlines = &r->headline, .n_worst = n_worst, .worst = r->worst,
	};
	return true;
nomem:
	ws_error_nomem(err);
fail:
	ws_report_audit_finish(r);
	return false;
}

void ws_report_audit_finish(struct ws_report_audit *r)
{
	if (!r)
		return;
	free(r->compounds);
	free(r->centers);
	free(r->worst);
	free(r->inputs);
	ws_shapes_finish(&r->compound_shapes);
	ws_shapes_finish(&r->center_shapes);
	ws_shapes_finish(&r->roads);
	for (size_t i = 0; i < r->n_labels; i++)
		free(r->labels[i]);
	free(r->labels);
	memset(r, 0, sizeof *r);
}
