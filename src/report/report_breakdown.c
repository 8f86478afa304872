/* Audit breakdown -> report sections. Shares are the breakdown's tallies unchanged; a
 * compound's missing services are listed as services.csv's out_of_reach column (required
 * services in the order given, "; " between them). */
#include "report/report_breakdown.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/crs.h"
#include "report/rings.h"
#include "report/simplify.h"
#include "report/strbuf.h"

static const char *field_text(const struct ws_layer *l, size_t f, const char *field)
{
	return ws_layer_value(l, f, ws_layer_field_index(l, field));
}

static int compare_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return a < b ? -1 : a > b;
}

double ws_report_median(double *v, size_t n)
{
	if (!n)
		return NAN;
	qsort(v, n, sizeof *v, compare_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static struct ws_report_headline headline(const char *label, const struct ws_tally *t, bool weighted)
{
	return (struct ws_report_headline){label, t->n, t->n_of, weighted ? t->w : NAN, weighted ? t->w_of : NAN};
}

static bool add_headlines(struct ws_report_breakdown *x, struct ws_report_audit *rep,
			  const struct ws_breakdown *bd, struct ws_error *err)
{
	const struct ws_breakdown_options *o = bd->o;
	size_t n = 1 + (bd->have_levels ? bd->n_levels : 0) + (bd->have_services ? bd->n_services + 1 : 0);
	x->headlines = calloc(n, sizeof *x->headlines);
	if (!x->headlines)
		return ws_error_nomem(err);
	bool w = bd->have_weights;
	x->headlines[x->n_headlines] = rep->headline;
	if (w) {
		x->headlines[x->n_headlines].pop_covered = bd->covered.w;
		x->headlines[x->n_headlines].pop_total = bd->covered.w_of;
	}
	x->n_headlines++;
	for (size_t l = 0; bd->have_levels && l < bd->n_levels; l++) {
		const struct ws_level_result *r = &bd->level[l];
		const char *label = r->minutes != bd->a->p.minutes
					    ? ws_report_audit_printf(rep, "Level: %s or above (%g min)", o->levels.name[l], r->minutes)
					    : ws_report_audit_printf(rep, "Level: %s or above", o->levels.name[l]);
		if (!label)
			return ws_error_nomem(err);
		x->headlines[x->n_headlines++] = headline(label, &r->covered, w);
	}
	for (size_t k = 0; bd->have_services && k < bd->n_services; k++) {
		const struct ws_service_result *r = &bd->service[k];
		const char *label = ws_report_audit_printf(rep, "Service: %s%s", r->name,
							   r->index < 0 ? " (offered by no center)" : "");
		if (!label)
			return ws_error_nomem(err);
		x->headlines[x->n_headlines++] = headline(label, &r->covered, w);
	}
	if (bd->have_services)
		x->headlines[x->n_headlines++] = headline("Every required service (fully served)", &bd->fully, w);
	rep->in.headlines = x->headlines;
	rep->in.n_headlines = x->n_headlines;
	return true;
}

/* Missing services of every compound in one buffer of NUL-terminated strings, pointed at
 * once the buffer no longer moves. */
static bool add_missing(struct ws_report_audit *rep, const struct ws_breakdown *bd, struct ws_error *err)
{
	size_t nk = rep->in.n_compounds, len = 0, cap = 4096;
	char *buf = malloc(cap);
	size_t *start = malloc((nk + 1) * sizeof *start);
	if (!buf || !start) {
		free(buf);
		free(start);
		return ws_error_nomem(err);
	}
	for (size_t c = 0; c < nk; c++) {
		start[c] = len;
		size_t written = 0;
		for (size_t k = 0; k <= bd->n_services; k++) {
			const char *piece = k == bd->n_services ? "" : bd->service[k].name;
			if (k < bd->n_services && bd->service[k].cov.compound[c].covered)
				continue;
			size_t need = len + strlen(piece) + 3;
			if (need > cap) {
				char *grown = realloc(buf, cap = 2 * need);
				if (!grown) {
					free(buf);
					free(start);
					return ws_error_nomem(err);
				}
				buf = grown;
			}
			if (k == bd->n_services) {
				buf[len++] = '\0';
				break;
			}
			if (written++) {
				memcpy(buf + len, "; ", 2);
				len += 2;
			}
			memcpy(buf + len, piece, strlen(piece));
			len += strlen(piece);
		}
	}
	if (!ws_report_audit_adopt(rep, buf)) {
		free(start);
		return ws_error_nomem(err);
	}
	for (size_t c = 0; c < nk; c++)
		rep->compounds[c].missing_services = buf + start[c];
	free(start);
	return true;
}

struct zone_reach {
	size_t zone;
	double reach_min;
};

static int compare_zone_reach(const void *pa, const void *pb)
{
	const struct zone_reach *a = pa, *b = pb;
	if (a->zone != b->zone)
		return a->zone < b->zone ? -1 : 1;
	return compare_double(&a->reach_min, &b->reach_min);
}

/* Rows as zones.csv: the zones in use in FID order, then "(outside every zone)" when it
 * holds compounds. Median reach over the zone's reached compounds (snapped, finite). */
static bool add_zones(struct ws_report_breakdown *x, struct ws_report_audit *rep,
		      const struct ws_breakdown *bd, struct ws_error *err)
{
	const struct ws_audit *a = bd->a;
	const struct ws_study *st = a->st;
	size_t nz = bd->zoning.n_zones, nk = a->cov.n_compounds;
	x->zones = calloc(nz + 1, sizeof *x->zones);
	struct zone_reach *zr = malloc((nk + 1) * sizeof *zr);
	double *vals = malloc((nk + 1) * sizeof *vals);
	if (!x->zones || !zr || !vals) {
		free(zr);
		free(vals);
		return ws_error_nomem(err);
	}
	size_t n_zr = 0;
	for (size_t c = 0; c < nk; c++) {
		uint32_t z = bd->zoning.zone_of[c];
		double reach = a->cov.compound[c].reach_m;
		if (a->status[c] != WS_STATUS_UNSNAPPED && isfinite(reach))
			zr[n_zr++] = (struct zone_reach){z == WS_NO_ZONE ? nz : z, ws_audit_minutes(a, reach)};
	}
	qsort(zr, n_zr, sizeof *zr, compare_zone_reach);
	bool ok = true;
	for (size_t k = 0, i = 0; ok && k <= nz; k++) {
		const struct ws_zone_result *z = &bd->zone[k];
		size_t n = 0;
		for (; i < n_zr && zr[i].zone == k; i++)
			vals[n++] = zr[i].reach_min;
		if ((k < nz && !bd->zone_used[k]) || (k == nz && z->n_compounds == 0))
			continue;
		const char *name = k == nz ? "(outside every zone)" : field_text(&st->zones, k, "name");
		if (!*name && !(name = ws_report_audit_printf(rep, "zone %zu (no name)", k)))
			ok = ws_error_nomem(err);
		x->zones[x->n_zones++] = (struct ws_report_zone){
			name, z->n_compounds, z->covered.n, bd->have_weights ? z->covered.w : NAN,
			bd->have_weights ? z->covered.w_of : NAN, ws_report_median(vals, n)};
	}
	free(zr);
	free(vals);
	rep->in.zones = x->zones;
	rep->in.n_zones = x->n_zones;
	return ok;
}

/* The service area of the threshold band in WGS 84, rings simplified (a ring that would
 * fall below a triangle is kept whole), holes under WS_REPORT_ISOCHRONE_MIN_HOLE_M2 left
 * out (ws_polygon_append writes holes counter-clockwise). */
static bool add_isochrone(struct ws_report_breakdown *x, struct ws_report_audit *rep,
			  const struct ws_isochrone_run *ir, struct ws_error *err)
{
	const struct ws_shapes *s = &ir->sa.served;
	size_t f = ir->threshold_band;
	if (f >= s->n_features)
		return true;
	bool *keep = NULL;
	size_t cap = 0;
	bool ok = ws_shapes_init(&x->isochrone, WS_GEOM_POLYGON, err) && ws_shapes_begin_feature(&x->isochrone, err);
	x->have_isochrone = ok;
	for (size_t p = s->feature_first_part[f]; ok && p < s->feature_first_part[f + 1]; p++) {
		size_t first = s->part_first_point[p], n = ws_shapes_part_points(s, p);
		double area = ws_rings_signed_area(s->xy + 2 * first, n);
		if (area > 0 && area < WS_REPORT_ISOCHRONE_MIN_HOLE_M2)
			continue;   /* a small hole (counter-clockwise) */
		if (n > cap) {
			bool *k2 = realloc(keep, (cap = n) * sizeof *keep);
			if (!k2) {
				ok = ws_error_nomem(err);
				break;
			}
			keep = k2;
		}
		size_t kept = ws_simplify_line(s->xy + 2 * first, n, WS_REPORT_ISOCHRONE_TOLERANCE_M, keep, err);
		ok = kept > 0 && ws_shapes_begin_part(&x->isochrone, err);
		for (size_t i = 0; ok && i < n; i++)
			if (keep[i] || kept < 4)
				ok = ws_shapes_add_point(&x->isochrone, s->xy[2 * (first + i)], s->xy[2 * (first + i) + 1], err);
	}
	free(keep);
	size_t bad = 0;
	ok = ok && ws_transform_points(ir->st->to_wgs84, x->isochrone.xy, x->isochrone.n_points, 1, &bad, err);
	if (ok)
		rep->in.isochrone = &x->isochrone;
	return ok;
}

/* The text built in b, handed to rep (b is finished); NULL on OOM. */
static const char *adopt_text(struct ws_report_audit *rep, struct ws_strbuf *b)
{
	char *s = ws_strbuf_ok(b) ? ws_strbuf_release(b) : NULL;
	ws_strbuf_finish(b);
	return s && ws_report_audit_adopt(rep, s) ? s : NULL;
}

/* A comma list of numbers ("5, 10, 15"); owned by rep, NULL on OOM. */
static const char *number_list(struct ws_report_audit *rep, const double *v, size_t n)
{
	struct ws_strbuf b;
	ws_strbuf_init(&b);
	for (size_t i = 0; i < n; i++)
		ws_strbuf_printf(&b, "%s%g", i ? ", " : "", v[i]);
	return adopt_text(rep, &b);
}

/* Footer rows for the options that shaped the breakdown and the isochrones, so the page
 * says how its figures were made (the audit's own rows come from report_audit.c). */
static bool add_params(struct ws_report_audit *rep, const struct ws_breakdown *bd,
		       const struct ws_isochrone_run *ir, struct ws_error *err)
{
	const struct ws_breakdown_options *o = bd->o;
	if (bd->have_levels) {
		struct ws_strbuf b;
		ws_strbuf_init(&b);
		ws_strbuf_printf(&b, "field %s: ", o->level_field);
		for (size_t l = 0; l < o->levels.n; l++) {
			ws_strbuf_printf(&b, "%s%s", l ? ", " : "", o->levels.name[l]);
			if (!isnan(o->levels.minutes[l]))
				ws_strbuf_printf(&b, " %g min", o->levels.minutes[l]);
		}
		if (!ws_report_audit_add_param(rep, "Levels", adopt_text(rep, &b), err))
			return false;
	}
	if (bd->have_services) {
		struct ws_strbuf b;
		ws_strbuf_init(&b);
		ws_strbuf_printf(&b, "%s %s; ", o->catalogue_path ? "catalogue" : "field",
				 o->catalogue_path ? o->catalogue_path : o->services_field);
		if (o->n_require) {
			ws_strbuf_puts(&b, "required: ");
			for (size_t k = 0; k < o->n_require; k++)
				ws_strbuf_printf(&b, "%s%s", k ? ", " : "", o->require[k]);
		} else {
			ws_strbuf_printf(&b, "all %zu services of the catalogue required", bd->cat.n_services);
		}
		if (!ws_report_audit_add_param(rep, "Services", adopt_text(rep, &b), err))
			return false;
	}
	if (bd->have_weights &&
	    !ws_report_audit_add_param(rep, "Population weight",
				       ws_report_audit_printf(rep, "field %s; %zu compounds without a usable value left out",
							      o->weight_field, bd->w.n_bad), err))
		return false;
	if (bd->have_zones &&
	    !ws_report_audit_add_param(rep, "Zones",
				       o->zone_level ? ws_report_audit_printf(rep, "zones with admin_lvl %s", o->zone_level)
						     : "every zone of the zones layer", err))
		return false;
	if (o->n_speeds > 1 || o->n_minutes > 1) {
		const char *speeds = number_list(rep, o->speeds, o->n_speeds);
		const char *minutes = number_list(rep, o->minutes, o->n_minutes);
		if (!ws_report_audit_add_param(rep, "Sensitivity",
					       speeds && minutes ? ws_report_audit_printf(rep, "speeds %s km/h; minutes %s",
											  speeds, minutes) : NULL, err))
			return false;
	}
	if (ir) {
		const char *bands = number_list(rep, ir->p.band_min, ir->p.n_bands);
		if (!ws_report_audit_add_param(rep, "Isochrones",
					       bands ? ws_report_audit_printf(rep, "bands %s min; walk-off %g m",
									      bands, ir->p.walk_off_m) : NULL, err))
			return false;
	}
	return true;
}

bool ws_report_breakdown_fill(struct ws_report_breakdown *x, struct ws_report_audit *rep,
			      const struct ws_breakdown *bd, const struct ws_isochrone_run *ir,
			      struct ws_error *err)
{
	memset(x, 0, sizeof *x);
	if (bd->have_weights)
		for (size_t c = 0; c < rep->in.n_compounds; c++)
			rep->compounds[c].population = bd->w.state[c] == WS_WEIGHT_OK ? bd->w.value[c] : NAN;
	bool ok = add_params(rep, bd, ir, err) && add_headlines(x, rep, bd, err) &&
		  (!bd->have_services || add_missing(rep, bd, err)) &&
		  (!bd->have_zones || add_zones(x, rep, bd, err)) && (!ir || add_isochrone(x, rep, ir, err));
	if (!ok)
		ws_report_breakdown_finish(x);
	return ok;
}

void ws_report_breakdown_finish(struct ws_report_breakdown *x)
{
	if (!x)
		return;
	free(x->headlines);
	free(x->zones);
	if (x->have_isochrone)
		ws_shapes_finish(&x->isochrone);
	memset(x, 0, sizeof *x);
}
