/* The coverage audit (SPEC 6) on a loaded study: coverage figures plus the derived
 * categories and rankings every report shows. No files, no printing. */
#ifndef WS_AUDIT_H
#define WS_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/coverage.h"
#include "pipeline/study.h"
#include "util/error.h"

enum ws_compound_status {
	WS_STATUS_COVERED,
	WS_STATUS_UNCOVERED,     /* reachable, but beyond the threshold */
	WS_STATUS_UNREACHABLE,   /* snapped, but no center reaches it (network island) */
	WS_STATUS_UNSNAPPED,     /* no access point within max snap (or no area) */
};

struct ws_audit_params {
	double minutes;          /* threshold, SPEC default 15 */
	double speed_kmh;        /* SPEC default 4.0 */
	double max_snap_m;
	int threads;
};

struct ws_audit {
	const struct ws_study *st;     /* borrowed */
	struct ws_audit_params p;
	double limit_m;                /* minutes * speed_kmh * 1000 / 60 */
	double m_per_min;              /* speed_kmh * 1000 / 60 */
	struct ws_coverage cov;
	enum ws_compound_status *status;    /* per compound */
	size_t n_status[4];
	size_t *worst;                 /* compound indices, worst first: unsnapped, unreachable,
					  then by reach descending; ties by FID */
	size_t *center_reached;        /* per center: compounds within the threshold */
	size_t n_centers_unsnapped, n_centers_idle;   /* idle: snapped, reach no compound */
	uint32_t *compound_component_size;  /* nodes in the network island of the compound's
					       best access point (0 unsnapped) */	bool cov_borrowed;             /* ws_audit_view: cov belongs to the caller */
};

bool ws_audit_run(struct ws_audit *a, const struct ws_study *st, const struct ws_audit_params *p,
		  struct ws_error *err);
/* The same categories and rankings over a coverage computed elsewhere (site's baseline,
 * a scenario's after): cov is borrowed (shallow copy; it must outlive a) and may count
 * more centers than the study (added sites come last). */
bool ws_audit_view(struct ws_audit *a, const struct ws_study *st, const struct ws_audit_params *p,
		   const struct ws_coverage *cov, struct ws_error *err);
void ws_audit_finish(struct ws_audit *a);

static inline double ws_audit_minutes(const struct ws_audit *a, double metres)
{
	return metres / a->m_per_min;
}

#endif
