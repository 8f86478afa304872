/* Invariant: baseline and scenario use one graph and one list of centers (existing, then
 * added); they differ only in the use mask, so every change is due to the scenario. */
#include "scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/crs.h"
#include "io/layer.h"
#include "pipeline/select.h"

void ws_scenario_sites_finish(struct ws_scenario_sites *s)
{
	if (!s)
		return;
	char **arrays[] = {s->id, s->name, s->level, s->services};
	for (size_t a = 0; a < 4; a++) {
		for (size_t i = 0; arrays[a] && i < s->n; i++)
			free(arrays[a][i]);
		free(arrays[a]);
	}
	free(s->xy_src);
	const struct ws_scenario_spec *spec = s->spec;
	memset(s, 0, sizeof *s);
	s->spec = spec;
}

static bool grow(struct ws_scenario_sites *s, size_t n, struct ws_error *err)
{
	char ***arrays[] = {&s->id, &s->name, &s->level, &s->services};
	for (size_t a = 0; a < 4; a++) {
		char **p = realloc(*arrays[a], (n + 1) * sizeof *p);
		if (!p)
			return ws_error_nomem(err);
		for (size_t i = s->n; i <= n; i++)
			p[i] = NULL;
		*arrays[a] = p;
	}
	double *xy = realloc(s->xy_src, (n + 1) * 2 * sizeof *xy);
	if (!xy)
		return ws_error_nomem(err);
	s->xy_src = xy;
	return true;
}

static bool add_site(struct ws_scenario_sites *s, const char *name, const char *level,
		     const char *services, struct ws_error *err)
{
	if (!grow(s, s->n + 1, err))
		return false;
	size_t i = s->n;
	char buf[32];
	snprintf(buf, sizeof buf, "new%zu", i + 1);
	if (!(s->id[i] = strdup(buf)) || !(s->name[i] = strdup(name ? name : "")) ||
	    !(s->level[i] = strdup(level ? level : "")) || !(s->services[i] = strdup(services ? services : ""))) {
		s->n++;
		return ws_error_nomem(err);
	}
	s->n++;
	return true;
}

/* Transforms xy (n points) from CRS `def` (NULL: the study's source CRS) to the working CRS. */
static bool to_work(const struct ws_study *st, const char *def, const char *what, double *xy, size_t n,
		    struct ws_error *err)
{
	struct ws_crs *src = NULL;
	if (def && !(src = ws_crs_create(def, what, err)))
		return false;
	for (size_t i = 0; i < 2 * n; i++)
		if (!isfinite(xy[i])) {
			ws_crs_destroy(src);
			return ws_error_set(err, WS_ERR_FORMAT, "%s: a site without finite coordinates", what);
		}
	struct ws_transform *tr =
		ws_transform_create_within(src ? src : st->src_crs, st->work_crs, -1, ws_study_extent(st), err);
	ws_crs_destroy(src);
	if (!tr)
		return false;
	size_t bad;
	bool ok = ws_transform_points(tr, xy, n, 1, &bad, err);
	ws_transform_destroy(tr);
	if (!ok)
		ws_error_prefix(err, "%s: ", what);
	return ok;
}

bool ws_scenario_hook(void *ctx, const struct ws_study *st, double **xy, size_t *n, struct ws_error *err)
{
	struct ws_scenario_sites *s = ctx;
	const struct ws_scenario_spec *spec = s->spec;
	ws_scenario_sites_finish(s);
	*xy = NULL;
	*n = 0;
	for (size_t i = 0; i < spec->n_sites; i++) {
		const struct ws_scenario_site *x = &spec->sites[i];
		if (!add_site(s, x->name ? x->name : x->label, x->level, x->services, err))
			return false;
		s->xy_src[2 * i] = x->x;
		s->xy_src[2 * i + 1] = x->y;
	}
	for (size_t l = 0; l < spec->n_layers; l++) {
		struct ws_layer layer;
		if (!ws_layer_read(&layer, spec->layers[l], WS_GEOM_POINT, spec->encoding, err))
			return false;
		int fn = ws_layer_field_index(&layer, "name"), fl = ws_layer_field_index(&layer, "level");
		int fs = ws_layer_field_index(&layer, "services");
		size_t start = s->n;
		bool ok = true;
		for (size_t f = 0; ok && f < layer.geom.n_features; f++) {
			if (ws_shapes_feature_parts(&layer.geom, f) == 0) {
				ok = ws_error_set(err, WS_ERR_FORMAT, "%s: record %zu has no point", spec->layers[l], f);
				break;
			}
			ok = add_site(s, ws_layer_value(&layer, f, fn), ws_layer_value(&layer, f, fl),
				      ws_layer_value(&layer, f, fs), err);
			size_t p = layer.geom.part_first_point[layer.geom.feature_first_part[f]];
			if (ok) {
				s->xy_src[2 * (s->n - 1)] = layer.geom.xy[2 * p];
				s->xy_src[2 * (s->n - 1) + 1] = layer.geom.xy[2 * p + 1];
			}
		}
		const char *def = layer.prj_wkt ? layer.prj_wkt : spec->src_crs ? spec->src_crs : spec->sites_crs;
		if (ok && !def)
			ok = ws_error_set(err, WS_ERR_FORMAT, "%s: no .prj; give the sites' CRS ([sites] crs)", spec->layers[l]);
		double *tmp = ok ? malloc((s->n - start + 1) * 2 * sizeof *tmp) : NULL;
		if (ok && !tmp)
			ok = ws_error_nomem(err);
		if (ok) {
			memcpy(tmp, s->xy_src + 2 * start, (s->n - start) * 2 * sizeof *tmp);
			ok = to_work(st, def, spec->layers[l], tmp, s->n - start, err);
		}
		/* keep the working coordinates of layer sites in the output array below */
		if (ok) {
			double *out = realloc(*xy, (s->n + 1) * 2 * sizeof *out);
			if (!out)
				ok = ws_error_nomem(err);
			else {
				*xy = out;
				memcpy(out + 2 * start, tmp, (s->n - start) * 2 * sizeof *tmp);
			}
		}
		free(tmp);
		ws_layer_finish(&layer);
		if (!ok) {
			free(*xy);
			*xy = NULL;
			return false;
		}
	}
	double *out = realloc(*xy, (s->n + 1) * 2 * sizeof *out);
	if (!out) {
		free(*xy);
		*xy = NULL;
		return ws_error_nomem(err);
	}
	*xy = out;
	for (size_t i = 0; i < spec->n_sites; i++) {
		const struct ws_scenario_site *x = &spec->sites[i];
		const char *def = x->crs ? x->crs : spec->sites_crs;
		char what[300];
		if (x->line)
			snprintf(what, sizeof what, "%s:%d: [site %s]", spec->path ? spec->path : "scenario", x->line, x->label);
		else
			snprintf(what, sizeof what, "%s %g,%g", x->label, x->x, x->y);
		out[2 * i] = x->x;
		out[2 * i + 1] = x->y;
		if (!to_work(st, def, what, out + 2 * i, 1, err)) {
			free(*xy);
			*xy = NULL;
			return false;
		}
	}
	*n = s->n;
	return true;
}

void ws_scenario_finish(struct ws_scenario_run *r)
{
	if (!r)
		return;
	free(r->closed);
	free(r->first);
	free(r->seeds);
	free(r->use_before);
	free(r->use_after);
	ws_coverage_finish(&r->before);
	ws_coverage_finish(&r->after);
	free(r->change);
	free(r->weight);
	free(r->weight_missing);
	for (size_t g = 0; g < r->n_groups; g++) {
		free(r->groups[g].kind);
		free(r->groups[g].value);
	}
	free(r->groups);
	memset(r, 0, sizeof *r);
}

const char *ws_scenario_center_id(const struct ws_scenario_run *r, size_t i)
{
	return i < r->n_old ? r->st->center_id[i] : r->sites->id[i - r->n_old];
}

const char *ws_scenario_center_name(const struct ws_scenario_run *r, size_t i)
{
	if (i < r->n_old)
		return ws_layer_value(&r->st->centers, i, ws_layer_field_index(&r->st->centers, "name"));
	return r->sites->name[i - r->n_old];
}

static const char *center_attr(const struct ws_scenario_run *r, size_t i, const char *field)
{
	if (i >= r->n_old)
		return !strcmp(field, "level") ? r->sites->level[i - r->n_old] : r->sites->services[i - r->n_old];
	return ws_layer_value(&r->st->centers, i, ws_layer_field_index(&r->st->centers, field));
}

static bool center_matches(const struct ws_scenario_run *r, size_t i, const char *level, const char *service)
{
	if (level && strcasecmp(center_attr(r, i, "level"), level))
		return false;
	if (service && !ws_select_list_has(center_attr(r, i, "services"), service))
		return false;
	return true;
}

static bool resolve_closes(struct ws_scenario_run *r, const struct ws_scenario_spec *spec, struct ws_error *err)
{
	int name_field = ws_layer_field_index(&r->st->centers, "name");
	for (size_t k = 0; k < spec->n_close; k++) {
		const struct ws_scenario_close *c = &spec->close[k];
		char where[300];
		if (c->line)
			snprintf(where, sizeof where, "%s:%d", spec->path ? spec->path : "scenario", c->line);
		else
			snprintf(where, sizeof where, "%s", c->by_name ? "--close-name" : "--close");
		size_t found = 0, first = 0;
		for (size_t i = 0; i < r->n_old; i++) {
			const char *v = c->by_name ? ws_layer_value(&r->st->centers, i, name_field) : r->st->center_id[i];
			if (!strcmp(v, c->key)) {
				if (!found)
					first = i;
				found++;
			}
		}
		if (!found)
			return ws_error_set(err, WS_ERR_USAGE, "%s: no center with %s \"%s\" in %s.dbf", where,
					    c->by_name ? "name" : "id", c->key, r->st->centers.name);
		if (found > 1)
			return ws_error_set(err, WS_ERR_USAGE, "%s: %zu centers have %s \"%s\"; close by id instead", where,
					    found, c->by_name ? "name" : "id", c->key);
		if (!r->closed[first])
			r->n_closed++;
		r->closed[first] = true;
	}
	return true;
}

/* Coverage with the centers matching (level, service), before and after. */
static bool add_group(struct ws_scenario_run *r, const char *kind, const char *value, const char *level,
		      const char *service, bool *mb, bool *ma, struct ws_error *err)
{
	struct ws_scenario_group *g = realloc(r->groups, (r->n_groups + 1) * sizeof *g);
	if (!g)
		return ws_error_nomem(err);
	r->groups = g;
	g = &r->groups[r->n_groups];
	memset(g, 0, sizeof *g);
	if (!(g->kind = strdup(kind)) || !(g->value = strdup(value))) {
		free(g->kind);
		free(g->value);
		return ws_error_nomem(err);
	}
	r->n_groups++;
	size_t n = r->n_old + r->n_new;
	for (size_t i = 0; i < n; i++) {
		bool m = center_matches(r, i, level, service);
		mb[i] = r->use_before[i] && m;
		ma[i] = r->use_after[i] && m;
		g->centers_before += mb[i];
		g->centers_after += ma[i];
	}
	struct ws_coverage b, a;
	if (!ws_coverage_compute(&b, &r->st->graph, &r->src, &r->st->compound_src, mb, r->limit_m, r->p.threads, err))
		return false;
	if (!ws_coverage_compute(&a, &r->st->graph, &r->src, &r->st->compound_src, ma, r->limit_m, r->p.threads, err)) {
		ws_coverage_finish(&b);
		return false;
	}
	for (size_t c = 0; c < b.n_compounds; c++) {
		bool cb = b.compound[c].covered, ca = a.compound[c].covered;
		g->covered_before += cb;
		g->covered_after += ca;
		g->gained += !cb && ca;
		g->lost += cb && !ca;
		g->weight_before += cb ? r->weight[c] : 0;
		g->weight_after += ca ? r->weight[c] : 0;
	}
	ws_coverage_finish(&b);
	ws_coverage_finish(&a);
	return true;
}

/* Distinct non-empty values of a field over all centers (existing and added), first-seen order;
 * services are split into items. */
static bool groups_for(struct ws_scenario_run *r, const char *kind, struct ws_error *err)
{
	bool is_level = !strcmp(kind, "level");
	size_t n = r->n_old + r->n_new;
	if (ws_layer_field_index(&r->st->centers, kind) < 0) {
		bool any = false;
		for (size_t i = r->n_old; i < n; i++)
			any = any || *center_attr(r, i, kind);
		if (!any)
			return true;
	}
	bool *mb = malloc((n + 1) * sizeof *mb), *ma = malloc((n + 1) * sizeof *ma);
	char **seen = calloc(65, sizeof *seen);
	size_t n_seen = 0;
	bool ok = mb && ma && seen;
	if (!ok)
		ws_error_nomem(err);
	for (size_t i = 0; ok && i < n && n_seen < 64; i++) {
		const char *v = center_attr(r, i, kind);
		while (ok && *v && n_seen < 64) {
			size_t len = is_level ? strlen(v) : strcspn(v, ",;|");
			const char *p = v;
			size_t l = len;
			while (l && (*p == ' ' || *p == '\t'))
				p++, l--;
			while (l && (p[l - 1] == ' ' || p[l - 1] == '\t'))
				l--;
			if (l) {
				char *item = strndup(p, l);
				bool dup = false;
				for (size_t s = 0; item && s < n_seen && !dup; s++)
					dup = is_level ? !strcasecmp(seen[s], item) : !strcmp(seen[s], item);
				if (!item)
					ok = ws_error_nomem(err);
				else if (dup)
					free(item);
				else
					seen[n_seen++] = item;
			}
			v += len;
			if (*v)
				v++;
		}
	}
	for (size_t s = 0; ok && s < n_seen; s++)
		ok = add_group(r, kind, seen[s], is_level ? seen[s] : NULL, is_level ? NULL : seen[s], mb, ma, err);
	for (size_t s = 0; seen && s < n_seen; s++)
		free(seen[s]);
	free(seen);
	free(mb);
	free(ma);
	return ok;
}

bool ws_scenario_run(struct ws_scenario_run *r, const struct ws_study *st,
		     const struct ws_scenario_sites *sites, const struct ws_scenario_params *p,
		     struct ws_error *err)
{
	memset(r, 0, sizeof *r);
	r->st = st;
	r->sites = sites;
	r->p = *p;
	r->limit_m = p->minutes * p->speed_kmh * 1000.0 / 60.0;
	r->m_per_min = p->speed_kmh * 1000.0 / 60.0;
	r->n_old = st->center_src.n;
	r->n_new = sites->n;
	size_t n = r->n_old + r->n_new, nk = st->compound_src.n;
	/* the added sites are the last n_new extra points of the study */
	if (st->extra_pts.n < r->n_new)
		return ws_error_set(err, WS_ERR_INTERNAL, "scenario: the study lacks the added sites");
	size_t extra0 = st->extra_pts.n - r->n_new;
	r->closed = calloc(r->n_old + 1, sizeof *r->closed);
	r->first = calloc(n + 1, sizeof *r->first);
	r->seeds = malloc((st->center_src.first[r->n_old] + r->n_new + 1) * sizeof *r->seeds);
	r->use_before = malloc((n + 1) * sizeof *r->use_before);
	r->use_after = malloc((n + 1) * sizeof *r->use_after);
	r->change = calloc(nk + 1, sizeof *r->change);
	r->weight = malloc((nk + 1) * sizeof *r->weight);
	if (!r->closed || !r->first || !r->seeds || !r->use_before || !r->use_after || !r->change || !r->weight) {
		ws_error_nomem(err);
		goto fail;
	}
	if (!resolve_closes(r, sites->spec, err))
		goto fail;
	size_t k = 0;
	for (size_t i = 0; i < r->n_old; i++) {
		for (size_t s = st->center_src.first[i]; s < st->center_src.first[i + 1]; s++)
			r->seeds[k++] = st->center_src.seeds[s];
		r->first[i + 1] = k;
	}
	for (size_t j = 0; j < r->n_new; j++) {
		uint32_t node = st->extra_pts.node[extra0 + j];
		if (node != WS_NO_NODE)
			r->seeds[k++] = (struct ws_route_seed){node, st->extra_pts.snap[extra0 + j].dist_m};
		else
			r->n_sites_unsnapped++;
		r->first[r->n_old + j + 1] = k;
	}
	r->src = (struct ws_route_sources){n, r->first, r->seeds};
	for (size_t i = 0; i < n; i++) {
		bool m = center_matches(r, i, p->level, p->service);
		r->use_before[i] = i < r->n_old && m;
		r->use_after[i] = (i >= r->n_old || !r->closed[i]) && m;
	}
	if (p->level && ws_layer_field_index(&st->centers, "level") < 0) {
		ws_error_set(err, WS_ERR_USAGE, "%s.dbf: no \"level\" field (level %s)", st->centers.name, p->level);
		goto fail;
	}
	if (p->service && ws_layer_field_index(&st->centers, "services") < 0) {
		ws_error_set(err, WS_ERR_USAGE, "%s.dbf: no \"services\" field (service %s)", st->centers.name,
			     p->service);
		goto fail;
	}
	if (p->weight_field) {
		r->weighted = true;
		if (!ws_select_weights(r->weight, &st->compounds, p->weight_field, &r->weight_missing,
				       &r->n_weight_missing, err))
			goto fail;
	} else {
		for (size_t c = 0; c < nk; c++)
			r->weight[c] = 1;
	}
	if (!ws_coverage_compute(&r->before, &st->graph, &r->src, &st->compound_src, r->use_before, r->limit_m,
				 p->threads, err) ||
	    !ws_coverage_compute(&r->after, &st->graph, &r->src, &st->compound_src, r->use_after, r->limit_m,
				 p->threads, err))
		goto fail;
	for (size_t c = 0; c < nk; c++) {
		bool b = r->before.compound[c].covered, a = r->after.compound[c].covered;
		enum ws_change ch = b && a ? WS_CHANGE_KEPT : b ? WS_CHANGE_LOST : a ? WS_CHANGE_GAINED : WS_CHANGE_NONE;
		r->change[c] = ch;
		r->n_change[ch]++;
		r->weight_change[ch] += r->weight[c];
		r->total_weight += r->weight[c];
	}
	if (!p->level && !p->service && (!groups_for(r, "level", err) || !groups_for(r, "services", err)))
		goto fail;
	return true;
fail:
	ws_scenario_finish(r);
	return false;
}
