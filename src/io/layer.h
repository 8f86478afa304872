/* A shapefile layer read whole into flat arrays: geometry as features -> parts -> points
 * (CSR offsets), attributes as UTF-8 strings. Everything shapelib hands out is copied and
 * released at once; a layer owns all its memory. Coordinates are in the source CRS and are
 * all finite (checked while reading). */
#ifndef WS_LAYER_H
#define WS_LAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"
#include "util/shapes.h"

enum ws_field_type { WS_FIELD_STRING, WS_FIELD_INTEGER, WS_FIELD_DOUBLE, WS_FIELD_LOGICAL,
		     WS_FIELD_DATE, WS_FIELD_OTHER };

struct ws_field {
	char *name;          /* as in the DBF header, UTF-8 */
	enum ws_field_type type;
	int width, decimals;
};

/* Repairs and oddities met while reading, counted (and listed by the summary). */
struct ws_layer_repairs {
	size_t null_shapes;     /* NULL shapes skipped: the feature keeps its FID, 0 parts */
	size_t unclosed_rings;  /* polygon rings closed by appending the first vertex */
	size_t dropped_rings;   /* rings with fewer than 3 distinct vertices, dropped */
	size_t empty_parts;     /* line parts with fewer than 2 vertices, dropped */
	size_t emptied_features; /* non-NULL records left with no part after the drops above:
				  * kept with 0 parts like a NULL shape (not in null_shapes) */
};

/* Bits of ws_layer.feature_repairs: what reading did to one record, so reports can list
 * the records and not only count them. */
enum ws_layer_repair_bit {
	WS_REPAIR_NULL_SHAPE = 1,    /* NULL shape skipped */
	WS_REPAIR_CLOSED_RING = 2,   /* a ring closed */
	WS_REPAIR_DROPPED_RING = 4,  /* a ring with < 3 distinct vertices dropped */
	WS_REPAIR_DROPPED_PART = 8,  /* a line part with < 2 vertices dropped */
	WS_REPAIR_EMPTIED = 16,      /* nothing left after the drops */
};

struct ws_layer {
	char *shp_path;      /* as given */
	char *name;          /* file stem, e.g. "roads", for messages */
	/* geometry in the source CRS; geom.n_features == DBF rows == SHP records (checked).
	 * Points: one part of one point per feature (or 0 parts for a NULL shape). */
	struct ws_shapes geom;

	size_t n_fields;
	struct ws_field *fields;
	/* value of (feature f, field j) = text + value_offset[f * n_fields + j],
	 * NUL-terminated UTF-8 with surrounding blanks trimmed; "" when NULL. */
	size_t *value_offset;
	char *text;

	char *prj_wkt;       /* contents of the .prj file, NULL when there is none */
	char *encoding;      /* iconv name of the code page used to decode text */
	/* where it came from: "override" (--encoding), "cpg", "dbf_language_driver" (no .cpg,
	 * the text is not UTF-8 and the DBF header's language driver byte names a code page),
	 * "default" (UTF-8: no .cpg) */
	const char *encoding_source;
	struct ws_layer_repairs repairs;
	unsigned char *feature_repairs; /* per feature: ws_layer_repair_bit flags, 0 untouched */
};

/* Reads <path> (the .shp; .shx and .dbf beside it are required, .prj and .cpg optional).
 * Validates everything shapelib 1.5 does not: record types, counts, offsets, sizes,
 * non-finite coordinates. Text is decoded with `encoding_override`, else the .cpg, else
 * UTF-8; without a .cpg, text that is not UTF-8 is read again in the code page of the DBF
 * language driver byte when it names one (not 0x57, "ANSI", written by most tools
 * whatever the text), never guessed otherwise.
 * On failure the layer is left finished (zeroed). Caller calls ws_layer_finish. */
bool ws_layer_read(struct ws_layer *layer, const char *path, enum ws_geom_kind expect,
		   const char *encoding_override, struct ws_error *err);
void ws_layer_finish(struct ws_layer *layer);
/* Whether the text was decoded in the code page named by the DBF language driver byte
 * (no .cpg, not UTF-8): reports say so, since a .cpg would make it certain. */
bool ws_layer_encoding_from_language_driver(const struct ws_layer *layer);

/* Case-insensitive field lookup; -1 when absent. */
int ws_layer_field_index(const struct ws_layer *layer, const char *name);
/* Borrowed string; "" for field < 0. */
const char *ws_layer_value(const struct ws_layer *layer, size_t feature, int field);

#endif
