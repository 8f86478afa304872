/* Attribute-driven selections shared by siting and scenarios (docs/siting.md): which
 * centers count (a level, a service), which compounds weigh how much. A level is the
 * `level` field, compared case-insensitively (ASCII); services are the `services` field,
 * a list separated by ',', ';' or '|' (blanks around items ignored, items compared
 * exactly, so Chinese names work). Weights are a numeric compounds field. */
#ifndef WS_SELECT_H
#define WS_SELECT_H

#include <stdbool.h>
#include <stddef.h>

#include "io/layer.h"
#include "util/error.h"

/* Whether the delimited `list` holds `item`. */
bool ws_select_list_has(const char *list, const char *item);

/* mask[f] for every feature of `layer`: level (NULL: any) and service (NULL: any) match.
 * With empty_matches, a feature with an empty field matches too (candidates without a
 * level may host any level). A missing field is a usage error naming the layer. */
bool ws_select_features(bool *mask, const struct ws_layer *layer, const char *level,
			const char *service, bool empty_matches, struct ws_error *err);

/* w[f] = the value of `field` for every compound; an empty, non-numeric, negative or
 * non-finite value gets 0 and is listed in *missing (malloc'd, caller frees; *n_missing).
 * A missing field is a usage error. */
bool ws_select_weights(double *w, const struct ws_layer *layer, const char *field,
		       size_t **missing, size_t *n_missing, struct ws_error *err);

#endif
