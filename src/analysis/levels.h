/* Center levels (the 1+11+N+X hierarchy): an ordered list of level names, highest first
 * (default district > subdistrict > community > building), each with its own walking
 * threshold in minutes (NAN: the general --minutes). A center's level is the position of
 * its `level` value in the list; "level L or above" means positions 0..L. Parsing and
 * lookup only: no files, no printing. */
#ifndef WS_LEVELS_H
#define WS_LEVELS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

#define WS_NO_LEVEL (-1)
#define WS_LEVELS_MAX 16

struct ws_levels {
	size_t n;
	char *name[WS_LEVELS_MAX];     /* owned, highest first */
	double minutes[WS_LEVELS_MAX]; /* NAN: use the general threshold */
};

/* district, subdistrict, community, building; no per-level minutes. */
bool ws_levels_init_default(struct ws_levels *lv, struct ws_error *err);
void ws_levels_finish(struct ws_levels *lv);
/* Replaces the names with a comma list, highest first (--levels); resets the minutes. */
bool ws_levels_set_names(struct ws_levels *lv, const char *list, struct ws_error *err);
/* --tiers PRESET. "gb50180": GB 50180-2018 life circles by rank: the first two levels
 * 15 min, the third 10 min, the fourth and lower 5 min. Sets minutes only. */
bool ws_levels_apply_tiers(struct ws_levels *lv, const char *preset, struct ws_error *err);
/* --level-minutes "community=15,building=10": per-level minutes (override a preset). */
bool ws_levels_set_minutes(struct ws_levels *lv, const char *spec, struct ws_error *err);
/* Position of `value` (case-insensitive, blanks trimmed by the reader), WS_NO_LEVEL when
 * it names no level. */
int ws_levels_find(const struct ws_levels *lv, const char *value);
/* The threshold of level l: its own minutes, else `general_minutes`. */
double ws_levels_minutes(const struct ws_levels *lv, size_t l, double general_minutes);

/* Level of each of n centers from their level values ("" = none: WS_NO_LEVEL). A value
 * that names no level is an error naming `what` (e.g. "centers.dbf"), the record and the
 * configured names. */
bool ws_levels_assign(const struct ws_levels *lv, const char *const *values, size_t n,
		      const char *what, int *level_of, struct ws_error *err);

/* use[s] = center s is of level l (or_above: of level l or a higher one, i.e. a position
 * 0..l); centers without a level are never used. */
void ws_levels_mask(const int *level_of, size_t n, size_t l, bool or_above, bool *use);

#endif
