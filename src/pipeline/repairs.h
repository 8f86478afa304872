/* Every repair a study made to its inputs, record by record: what the layer reader fixed
 * (NULL shapes skipped, rings closed, degenerate rings and parts dropped) and what
 * building the compound and zone polygons fixed (MakeValid, holes outside their shell,
 * non-polygon parts dropped, no area left). Reports list these; --strict turns any of
 * them into an error. Derived from a loaded study; computes nothing new. */
#ifndef WS_REPAIRS_H
#define WS_REPAIRS_H

#include <stdbool.h>
#include <stddef.h>

#include "pipeline/study.h"
#include "util/error.h"

enum ws_repair_kind {
	WS_FIX_NULL_SHAPE,      /* reader: NULL shape skipped (feature kept with no geometry) */
	WS_FIX_CLOSED_RING,     /* reader: unclosed ring closed */
	WS_FIX_DROPPED_RING,    /* reader: ring with < 3 distinct vertices dropped */
	WS_FIX_DROPPED_PART,    /* reader: line part with < 2 vertices dropped */
	WS_FIX_EMPTIED,         /* reader: nothing left after the drops */
	WS_FIX_MADE_VALID,      /* polygon: invalid rings repaired with GEOSMakeValid */
	WS_FIX_HOLE_OUTSIDE,    /* polygon: hole outside every shell became a polygon */
	WS_FIX_NON_POLYGON,     /* polygon: lines/points produced by MakeValid dropped */
	WS_FIX_NO_AREA,         /* polygon: rings present but no area left (no access point) */
	WS_FIX_COUNT
};

struct ws_repair {
	const char *layer;      /* layer name ("compounds"), borrowed from the study */
	size_t fid;
	unsigned kinds;         /* bit (1u << enum ws_repair_kind) per repair made */
	bool has_area;          /* compounds: the areas below are known */
	double area_before_m2;  /* rings as given (shells minus holes), working CRS */
	double area_after_m2;   /* of the repaired polygon */
};

struct ws_repair_list {
	size_t n;               /* repaired records, in layer order then FID order */
	struct ws_repair *items;
	size_t count[WS_FIX_COUNT]; /* records per kind */
};

/* Collects the repairs of every layer the study read. Caller finishes. */
bool ws_repairs_collect(struct ws_repair_list *list, const struct ws_study *st, struct ws_error *err);
void ws_repairs_finish(struct ws_repair_list *list);

/* Short English name of one kind ("ring closed"), static. */
const char *ws_repair_kind_name(enum ws_repair_kind kind);
/* Key for JSON ("closed_ring"), static. */
const char *ws_repair_kind_key(enum ws_repair_kind kind);
/* "ring closed, made valid (area 100.0 -> 50.0 m2)" into buf. */
void ws_repair_describe(const struct ws_repair *r, char *buf, size_t size);

/* --strict: WS_ERR_FORMAT naming the count and the first repaired records when the list
 * is not empty; true when it is. */
bool ws_repairs_refuse(const struct ws_repair_list *list, struct ws_error *err);

#endif
