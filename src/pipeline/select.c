/* Invariant: selections read attributes only; nothing here depends on geometry. */
#include "select.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool ws_select_list_has(const char *list, const char *item)
{
	size_t n = strlen(item);
	const char *p = list;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		const char *end = p + strcspn(p, ",;|");
		const char *last = end;
		while (last > p && (last[-1] == ' ' || last[-1] == '\t'))
			last--;
		if ((size_t)(last - p) == n && !memcmp(p, item, n))
			return true;
		p = *end ? end + 1 : end;
	}
	return false;
}

bool ws_select_features(bool *mask, const struct ws_layer *layer, const char *level,
			const char *service, bool empty_matches, struct ws_error *err)
{
	int lf = -1, sf = -1;
	if (level && (lf = ws_layer_field_index(layer, "level")) < 0)
		return ws_error_set(err, WS_ERR_USAGE, "%s.dbf: no \"level\" field (--level %s)", layer->name, level);
	if (service && (sf = ws_layer_field_index(layer, "services")) < 0)
		return ws_error_set(err, WS_ERR_USAGE, "%s.dbf: no \"services\" field (--service %s)",
				    layer->name, service);
	for (size_t f = 0; f < layer->geom.n_features; f++) {
		bool m = true;
		if (level) {
			const char *v = ws_layer_value(layer, f, lf);
			m = (empty_matches && !*v) || !strcasecmp(v, level);
		}
		if (m && service) {
			const char *v = ws_layer_value(layer, f, sf);
			m = (empty_matches && !*v) || ws_select_list_has(v, service);
		}
		mask[f] = m;
	}
	return true;
}

bool ws_select_weights(double *w, const struct ws_layer *layer, const char *field,
		       size_t **missing, size_t *n_missing, struct ws_error *err)
{
	*missing = NULL;
	*n_missing = 0;
	int fi = ws_layer_field_index(layer, field);
	if (fi < 0)
		return ws_error_set(err, WS_ERR_USAGE, "%s.dbf: no field named \"%s\" (--weight)", layer->name, field);
	size_t n = layer->geom.n_features;
	if (!(*missing = malloc((n + 1) * sizeof **missing)))
		return ws_error_nomem(err);
	for (size_t f = 0; f < n; f++) {
		const char *v = ws_layer_value(layer, f, fi);
		char *end = NULL;
		errno = 0;
		double x = *v ? strtod(v, &end) : NAN;
		if (!*v || !end || *end || errno || !isfinite(x) || x < 0) {
			w[f] = 0;
			(*missing)[(*n_missing)++] = f;
		} else {
			w[f] = x;
		}
	}
	return true;
}
