/* The planner's breakdown of an audit: coverage per center level (that level, and that
 * level or above), per required service, weighted by population, per zone, and under
 * every speed x minutes combination (sensitivity). Every per-level and per-service figure
 * is a ws_coverage_compute restricted to the centers of that level or service (reach
 * beyond the threshold included); the sensitivity figures are derived from one coverage
 * at the largest limit (analysis/sensitivity.h). Reads the catalogue CSV and
 * requirements file it is given; prints nothing. */
#ifndef WS_BREAKDOWN_H
#define WS_BREAKDOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/coverage.h"
#include "analysis/levels.h"
#include "analysis/services.h"
#include "analysis/weights.h"
#include "analysis/zones.h"
#include "pipeline/audit.h"
#include "util/error.h"

#define WS_SENS_MAX 16   /* values per --speed / --minutes list */

struct ws_breakdown_options {
	struct ws_levels levels;       /* names and per-level minutes (owned by the caller) */
	bool levels_asked;             /* --levels/--level-minutes/--tiers given: the field must exist */
	const char *level_field;       /* default "level" */
	const char *services_field;    /* DBF field of delimited service lists, or NULL */
	const char *catalogue_path;    /* catalogue CSV, or NULL */
	char **require;                /* required services in the order given; NULL: all */
	size_t n_require;
	const char *weight_field;      /* compounds field, or NULL */
	bool zones;                    /* per-zone table (needs the zones layer loaded) */
	const char *zone_level;        /* keep zones whose admin_lvl equals this; NULL: all */
	double speeds[WS_SENS_MAX], minutes[WS_SENS_MAX];
	size_t n_speeds, n_minutes;    /* lists; the first values are the audit's */
};

struct ws_level_result {
	size_t n_centers;              /* of exactly this level */
	double minutes, limit_m;
	struct ws_coverage exact, up;  /* nearest of this level / of this level or above */
	struct ws_tally covered;       /* by "this level or above" within this level's limit */
};

struct ws_service_result {
	const char *name;              /* borrowed from the options */
	int index;                     /* in the catalogue, -1: no center offers it */
	/* with index -1: a catalogue service that differs only in ASCII letter case (a hint:
	 * names compare byte for byte), NULL when none */
	const char *other_case;
	size_t n_centers;
	struct ws_coverage cov;
	struct ws_tally covered;
};

struct ws_zone_result {
	size_t n_compounds;
	struct ws_tally covered, fully;
	struct ws_tally *level, *service;   /* n_levels / n_services */
	size_t worst;                       /* compound index, SIZE_MAX when none */
};

struct ws_sens_combo {
	double speed_kmh, minutes, limit_m;
	size_t n_status[4];                 /* as ws_audit's n_status */
	struct ws_tally covered, fully;
	struct ws_tally *level, *service;
	bool *covered_c;                    /* per compound */
};

struct ws_breakdown {
	const struct ws_audit *a;           /* borrowed */
	const struct ws_breakdown_options *o;
	struct ws_tally covered;            /* the audit's covered share, weighted */

	bool have_levels;
	int *center_level;                  /* per center, WS_NO_LEVEL when blank */
	size_t n_centers_no_level;
	size_t n_levels;
	struct ws_level_result *level;

	bool have_services;
	struct ws_catalogue cat;
	size_t n_services;
	struct ws_service_result *service;
	uint32_t *n_missing;                /* per compound: required services out of reach */
	struct ws_tally fully;

	bool have_weights;
	struct ws_weights w;

	bool have_zones;
	struct ws_zoning zoning;
	bool *zone_used;
	size_t n_zones_used;
	struct ws_zone_result *zone;        /* n_zones + 1: the last is "outside every zone" */

	bool have_sensitivity;
	struct ws_coverage cov_max;
	size_t n_combos;
	struct ws_sens_combo *combo;
	size_t n_flipped;
	size_t *flipped;
};

bool ws_breakdown_run(struct ws_breakdown *b, const struct ws_audit *a,
		      const struct ws_breakdown_options *o, struct ws_error *err);
void ws_breakdown_finish(struct ws_breakdown *b);

/* Whether center s offers service result k. */
bool ws_breakdown_offers(const struct ws_breakdown *b, size_t s, size_t k);

#endif
