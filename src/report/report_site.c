/* Siting -> report. Shares as site_report.c computes them: compounds over every compound
 * of the study, population over the valid weights (total_weight). */
#include "report/report_site.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/crs.h"

static const char *cand_field(const struct ws_site_run *r, size_t j, const char *field)
{
	if (r->generated)
		return "";
	return ws_layer_value(&r->st->candidates, j, ws_layer_field_index(&r->st->candidates, field));
}

/* covered weight after the first i sites of the answer */
static double weight_after(const struct ws_site_run *r, size_t i)
{
	double w = r->covered_weight_base;
	for (size_t t = 0; t < r->answer.new_first[i]; t++)
		w += r->weight[r->answer.new_compound[t]];
	return w;
}

static double covered_pct(const struct ws_site_run *r, size_t i, size_t nk)
{
	if (r->weighted)
		return r->total_weight > 0 ? 100 * weight_after(r, i) / r->total_weight : NAN;
	return nk ? 100.0 * (double)(r->n_covered_base + r->answer.new_first[i]) / (double)nk : NAN;
}

static const char *site_label(struct ws_report_audit *rep, const struct ws_site_run *r, size_t j)
{
	const char *name = cand_field(r, j, "name");
	return *name ? ws_report_audit_printf(rep, "%s (%s)", name, r->cand_id[j])
		     : ws_report_audit_printf(rep, "%s", r->cand_id[j]);
}

static bool add_sites(struct ws_report_site *x, const struct ws_site_run *r, struct ws_error *err)
{
	struct ws_report_audit *rep = &x->rep;
	size_t n = r->answer.n_chosen, nk = rep->in.n_compounds;
	x->sites = calloc(n + 1, sizeof *x->sites);
	x->points = calloc(n + 2, sizeof *x->points);
	if (!x->sites || !x->points || !ws_shapes_init(&x->site_shapes, WS_GEOM_POINT, err))
		return x->sites && x->points ? false : ws_error_nomem(err);
	x->points[0] = (struct ws_report_curve_point){0, covered_pct(r, 0, nk), NULL};
	for (size_t i = 0; i < n; i++) {
		uint32_t j = r->answer.chosen[i];
		const char *note = ws_report_audit_printf(rep, "site %zu: newly covers %zu compounds", i + 1,
							  r->answer.new_first[i + 1] - r->answer.new_first[i]);
		const char *label = site_label(rep, r, j);
		if (!note || !label)
			return ws_error_nomem(err);
		x->sites[i] = (struct ws_report_center){r->cand_id[j], cand_field(r, j, "name"), cand_field(r, j, "level"),
							true, note, false};
		x->points[i + 1] = (struct ws_report_curve_point){i + 1, covered_pct(r, i + 1, nk), label};
		if (!ws_shapes_begin_feature(&x->site_shapes, err) || !ws_shapes_begin_part(&x->site_shapes, err) ||
		    !ws_shapes_add_point(&x->site_shapes, r->cand->xy[2 * j], r->cand->xy[2 * j + 1], err))
			return false;
		for (size_t t = r->answer.new_first[i]; t < r->answer.new_first[i + 1]; t++) {
			struct ws_report_compound *c = &rep->compounds[r->answer.new_compound[t]];
			c->changed = true;
			if (!(c->change_note = ws_report_audit_printf(rep, "newly covered by site %zu (%.2f min)", i + 1,
								      r->new_reach_m[t] / r->m_per_min)))
				return ws_error_nomem(err);
		}
	}
	size_t bad = 0;
	if (!ws_transform_points(r->st->to_wgs84, x->site_shapes.xy, x->site_shapes.n_points, 1, &bad, err))
		return false;
	x->curve = (struct ws_report_curve){r->weighted ? "population covered (%)" : "compounds covered (%)", n + 1,
					    x->points};
	rep->in.curve = &x->curve;
	rep->in.sites = x->sites;
	rep->in.n_sites = n;
	rep->in.site_shapes = &x->site_shapes;
	rep->in.sites_title = "Chosen sites";
	rep->in.site_legend = "chosen site";
	rep->in.changed_legend = "newly covered by the chosen sites";

	const char *base = r->p.level ? ws_report_audit_printf(rep, "Existing centers of level %s", r->p.level)
			   : r->p.service ? ws_report_audit_printf(rep, "Existing centers offering %s", r->p.service)
					  : "Existing centers";
	const char *after = ws_report_audit_printf(rep, "With the %zu chosen site%s", n, n == 1 ? "" : "s");
	if (!base || !after)
		return ws_error_nomem(err);
	double pop_total = r->weighted ? r->total_weight : NAN;
	x->headlines[0] = (struct ws_report_headline){base, r->n_covered_base, nk,
						      r->weighted ? r->covered_weight_base : NAN, pop_total};
	x->headlines[1] = (struct ws_report_headline){after, r->n_covered_base + r->answer.new_first[n], nk,
						      r->weighted ? weight_after(r, n) : NAN, pop_total};
	rep->in.headlines = x->headlines;
	rep->in.n_headlines = 2;
	return true;
}

bool ws_report_site_build(struct ws_report_site *x, const struct ws_site_run *r, const char *dataset_label,
			  double max_snap_m, const char *tiles_url, struct ws_error *err)
{
	memset(x, 0, sizeof *x);
	struct ws_audit_params ap = {r->p.minutes, r->p.speed_kmh, max_snap_m, r->p.threads};
	bool ok = ws_audit_view(&x->view, r->st, &ap, &r->base, err) &&
		  ws_report_audit_build(&x->rep, &x->view, dataset_label, tiles_url, err);
	if (ok) {
		struct ws_report_audit *rep = &x->rep;
		rep->in.command = "site";
		rep->in.title = "Siting: new centers for the compounds not covered";
		for (size_t c = 0; r->weighted && c < rep->in.n_compounds; c++)
			rep->compounds[c].population = r->weight[c];
		for (size_t i = 0; r->weighted && i < r->n_weight_missing; i++)
			rep->compounds[r->weight_missing[i]].population = NAN;
		ok = add_sites(x, r, err);
	}
	if (!ok)
		ws_report_site_finish(x);
	return ok;
}

void ws_report_site_finish(struct ws_report_site *x)
{
	if (!x)
		return;
	ws_report_audit_finish(&x->rep);
	ws_audit_finish(&x->view);
	free(x->points);
	free(x->sites);
	ws_shapes_finish(&x->site_shapes);
	memset(x, 0, sizeof *x);
}
