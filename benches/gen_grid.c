/* gen_grid: writes a synthetic grid city (roads, compounds, centers shapefiles) for the
 * walkshed benchmarks. Invariant: the output depends only on the flags (a fixed-seed
 * PRNG, coordinates computed the same way on every machine), so two runs with the same
 * flags write byte-identical .shp/.shx files and .dbf files that differ at most in the
 * DBF header's date.
 *
 * The city: n x n jittered street intersections 50 m apart in WGS 84 / UTM zone 50N
 * (EPSG:32650, the .prj is ESRI WKT, so a walkshed working CRS chosen automatically is
 * the same CRS and reprojection is an identity). Streets run along every row and column;
 * each road feature covers LINE_BLOCKS block edges, with `subdiv` straight segments per
 * edge (default 1: one 50 m segment between neighbouring intersections, a vertex at
 * every crossing), so rows and columns share their intersection vertices bit for bit
 * and nothing else. Compounds are 10-24 m squares inside distinct blocks; centers are
 * points inside blocks, at most ~33 m from a street (they all snap). Not a test: it
 * never runs under `meson test`. */
#include <errno.h>
#include <math.h>
#include <shapefil.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SPACING_M 50.0
#define LINE_BLOCKS 10
#define MAX_SUBDIV 100
#define JITTER_M 8.0
#define ORIGIN_E 480000.0
#define ORIGIN_N 3500000.0

static const char utm50n_esri_wkt[] =
	"PROJCS[\"WGS_1984_UTM_Zone_50N\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\","
	"SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],"
	"UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],"
	"PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0],"
	"PARAMETER[\"Central_Meridian\",117.0],PARAMETER[\"Scale_Factor\",0.9996],"
	"PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";

struct options {
	const char *out_dir;
	long segments, centers, compounds, subdiv;
	uint64_t seed;
};

/* splitmix64: tiny, fast and the same everywhere */
static uint64_t next_u64(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* uniform in [0, 1) with 53 random bits */
static double next_unit(uint64_t *state)
{
	return (double)(next_u64(state) >> 11) * 0x1.0p-53;
}

static double next_range(uint64_t *state, double lo, double hi)
{
	return lo + (hi - lo) * next_unit(state);
}

static void usage(FILE *f)
{
	fputs("Usage: gen_grid OUT_DIR [--segments N] [--centers N] [--compounds N]\n"
	      "                [--subdiv K] [--seed S]\n"
	      "Writes roads.shp, compounds.shp, centers.shp (+ .shx .dbf .prj .cpg) of a\n"
	      "synthetic grid city (streets every 50 m, K segments per block edge) into\n"
	      "OUT_DIR (created if missing). Defaults: at least 1000000 walkable segments,\n"
	      "1000 centers, 10000 compounds, K = 1, seed 20240601.\n",
	      f);
}

static bool parse_long(const char *flag, const char *arg, long min, long *out)
{
	char *end = NULL;
	errno = 0;
	long v = arg ? strtol(arg, &end, 10) : 0;
	if (!arg || !*arg || *end || errno || v < min) {
		fprintf(stderr, "gen_grid: %s: expected an integer >= %ld, got \"%s\"\n", flag, min,
			arg ? arg : "");
		return false;
	}
	*out = v;
	return true;
}

static bool parse_options(int argc, char **argv, struct options *o)
{
	*o = (struct options){NULL, 1000000, 1000, 10000, 1, 20240601};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		long seed = 0;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(a, "--segments")) {
			if (!parse_long(a, v, 10, &o->segments))
				return false;
			i++;
		} else if (!strcmp(a, "--subdiv")) {
			if (!parse_long(a, v, 1, &o->subdiv) || o->subdiv > MAX_SUBDIV) {
				fprintf(stderr, "gen_grid: --subdiv: at most %d\n", MAX_SUBDIV);
				return false;
			}
			i++;
		} else if (!strcmp(a, "--centers")) {
			if (!parse_long(a, v, 1, &o->centers))
				return false;
			i++;
		} else if (!strcmp(a, "--compounds")) {
			if (!parse_long(a, v, 1, &o->compounds))
				return false;
			i++;
		} else if (!strcmp(a, "--seed")) {
			if (!parse_long(a, v, 0, &seed))
				return false;
			o->seed = (uint64_t)seed;
			i++;
		} else if (a[0] == '-' || o->out_dir) {
			fprintf(stderr, "gen_grid: unexpected argument \"%s\"\n", a);
			return false;
		} else {
			o->out_dir = a;
		}
	}
	if (!o->out_dir) {
		usage(stderr);
		return false;
	}
	return true;
}

static bool write_text(const char *dir, const char *name, const char *text)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
		fprintf(stderr, "gen_grid: %s: %s\n", path, strerror(errno));
		return false;
	}
	return true;
}

/* A layer being written: .shp/.shx/.dbf through shapelib, .prj/.cpg as text. */
struct layer {
	SHPHandle shp;
	DBFHandle dbf;
	char path[4096];
};

static bool layer_open(struct layer *l, const char *dir, const char *stem, int shp_type)
{
	snprintf(l->path, sizeof l->path, "%s/%s", dir, stem);
	l->shp = SHPCreate(l->path, shp_type);
	l->dbf = DBFCreate(l->path);
	if (!l->shp || !l->dbf) {
		fprintf(stderr, "gen_grid: %s: cannot create\n", l->path);
		return false;
	}
	char name[256];
	snprintf(name, sizeof name, "%s.prj", stem);
	if (!write_text(dir, name, utm50n_esri_wkt))
		return false;
	snprintf(name, sizeof name, "%s.cpg", stem);
	return write_text(dir, name, "UTF-8\n");
}

static bool layer_write(struct layer *l, SHPObject *obj)
{
	bool ok = obj && SHPWriteObject(l->shp, -1, obj) >= 0;
	SHPDestroyObject(obj);
	if (!ok)
		fprintf(stderr, "gen_grid: %s.shp: write failed\n", l->path);
	return ok;
}

static void layer_close(struct layer *l)
{
	if (l->shp)
		SHPClose(l->shp);
	if (l->dbf)
		DBFClose(l->dbf);
}

/* Intersections per side for at least `segments`: 2 n (n - 1) block edges of subdiv. */
static long grid_side(long segments, long subdiv)
{
	long n = 2;
	while (2 * n * (n - 1) * subdiv < segments)
		n++;
	return n;
}

static bool write_roads(const char *dir, long n, long subdiv, const double *ix, const double *iy)
{
	struct layer l = {0};
	bool ok = layer_open(&l, dir, "roads", SHPT_ARC) &&
		  DBFAddField(l.dbf, "osm_id", FTInteger, 10, 0) == 0 &&
		  DBFAddField(l.dbf, "highway", FTString, 16, 0) == 1 &&
		  DBFAddField(l.dbf, "name", FTString, 32, 0) == 2;
	size_t cap = (size_t)(LINE_BLOCKS * subdiv + 1);
	double *x = malloc(cap * sizeof *x), *y = malloc(cap * sizeof *y);
	ok = ok && x && y;
	long id = 0, segments = 0;
	/* d 0: rows, intersection (i, j) -> (i, j + 1); d 1: columns, (j, i) -> (j + 1, i) */
	for (int d = 0; ok && d < 2; d++)
		for (long i = 0; ok && i < n; i++)
			for (long j0 = 0; ok && j0 < n - 1; j0 += LINE_BLOCKS) {
				long j1 = j0 + LINE_BLOCKS < n - 1 ? j0 + LINE_BLOCKS : n - 1;
				int nv = 0;
				for (long j = j0; j < j1; j++) {
					long a = d ? j * n + i : i * n + j;
					long b = d ? (j + 1) * n + i : i * n + j + 1;
					/* the intersections themselves bit for bit, points between them */
					for (long k = 0; k < subdiv; k++, nv++) {
						x[nv] = k == 0 ? ix[a] : ix[a] + (ix[b] - ix[a]) * (double)k / (double)subdiv;
						y[nv] = k == 0 ? iy[a] : iy[a] + (iy[b] - iy[a]) * (double)k / (double)subdiv;
					}
					if (j + 1 == j1) {
						x[nv] = ix[b];
						y[nv++] = iy[b];
					}
				}
				char name[32];
				snprintf(name, sizeof name, "%s %ld", d ? "Column" : "Row", i);
				const char *highway = i % 10 == 0 ? "secondary" : i % 2 ? "residential" : "footway";
				ok = layer_write(&l, SHPCreateSimpleObject(SHPT_ARC, nv, x, y, NULL)) &&
				     DBFWriteIntegerAttribute(l.dbf, (int)id, 0, (int)(id + 1)) &&
				     DBFWriteStringAttribute(l.dbf, (int)id, 1, highway) &&
				     DBFWriteStringAttribute(l.dbf, (int)id, 2, name);
				segments += nv - 1;
				id++;
			}
	free(x);
	free(y);
	layer_close(&l);
	if (ok)
		printf("roads.shp: %ld lines, %ld walkable segments (%ld x %ld intersections)\n", id,
		       segments, n, n);
	return ok;
}

static bool write_compounds(const char *dir, long n, long count, uint64_t *rng)
{
	long blocks = (n - 1) * (n - 1);
	if (count > blocks) {
		fprintf(stderr, "gen_grid: %ld compounds do not fit in %ld blocks\n", count, blocks);
		return false;
	}
	long *order = malloc((size_t)blocks * sizeof *order);
	if (!order)
		return false;
	for (long b = 0; b < blocks; b++)
		order[b] = b;
	/* the first `count` of a Fisher-Yates shuffle: distinct blocks */
	for (long b = 0; b < count; b++) {
		long k = b + (long)(next_u64(rng) % (uint64_t)(blocks - b));
		long t = order[b];
		order[b] = order[k];
		order[k] = t;
	}
	struct layer l = {0};
	static const char *const kinds[] = {"landuse_residential", "building_apartments",
					    "building_residential"};
	bool ok = layer_open(&l, dir, "compounds", SHPT_POLYGON) &&
		  DBFAddField(l.dbf, "osm_id", FTInteger, 10, 0) == 0 &&
		  DBFAddField(l.dbf, "osm_type", FTString, 8, 0) == 1 &&
		  DBFAddField(l.dbf, "name", FTString, 32, 0) == 2 &&
		  DBFAddField(l.dbf, "kind", FTString, 24, 0) == 3;
	for (long c = 0; ok && c < count; c++) {
		long bi = order[c] / (n - 1), bj = order[c] % (n - 1);
		/* the block's nominal centre; streets move at most JITTER_M, so a square of
		 * half-side <= 12 m stays 5 m clear of them */
		double cx = ORIGIN_E + (bj + 0.5) * SPACING_M, cy = ORIGIN_N + (bi + 0.5) * SPACING_M;
		double hw = next_range(rng, 5, 12), hh = next_range(rng, 5, 12);
		/* outer ring clockwise, closed */
		double x[5] = {cx - hw, cx - hw, cx + hw, cx + hw, cx - hw};
		double y[5] = {cy - hh, cy + hh, cy + hh, cy - hh, cy - hh};
		char name[32];
		snprintf(name, sizeof name, "Compound %ld", c + 1);
		ok = layer_write(&l, SHPCreateSimpleObject(SHPT_POLYGON, 5, x, y, NULL)) &&
		     DBFWriteIntegerAttribute(l.dbf, (int)c, 0, (int)(c + 1)) &&
		     DBFWriteStringAttribute(l.dbf, (int)c, 1, "way") &&
		     DBFWriteStringAttribute(l.dbf, (int)c, 2, name) &&
		     DBFWriteStringAttribute(l.dbf, (int)c, 3, kinds[c % 3]);
	}
	layer_close(&l);
	free(order);
	if (ok)
		printf("compounds.shp: %ld polygons\n", count);
	return ok;
}

static bool write_centers(const char *dir, long n, long count, uint64_t *rng)
{
	static const char *const levels[] = {"district", "community", "building"};
	static const char *const amenities[] = {"townhall", "community_centre", "clinic"};
	struct layer l = {0};
	bool ok = layer_open(&l, dir, "centers", SHPT_POINT) &&
		  DBFAddField(l.dbf, "osm_id", FTInteger, 10, 0) == 0 &&
		  DBFAddField(l.dbf, "osm_type", FTString, 8, 0) == 1 &&
		  DBFAddField(l.dbf, "name", FTString, 32, 0) == 2 &&
		  DBFAddField(l.dbf, "amenity", FTString, 20, 0) == 3 &&
		  DBFAddField(l.dbf, "level", FTString, 10, 0) == 4;
	double extent = (double)(n - 1) * SPACING_M;
	for (long c = 0; ok && c < count; c++) {
		double x = ORIGIN_E + next_range(rng, 0, extent);
		double y = ORIGIN_N + next_range(rng, 0, extent);
		char name[32];
		snprintf(name, sizeof name, "Center %ld", c + 1);
		int lv = c % 10 == 0 ? 0 : c % 3 == 0 ? 2 : 1;
		ok = layer_write(&l, SHPCreateSimpleObject(SHPT_POINT, 1, &x, &y, NULL)) &&
		     DBFWriteIntegerAttribute(l.dbf, (int)c, 0, (int)(c + 1)) &&
		     DBFWriteStringAttribute(l.dbf, (int)c, 1, "node") &&
		     DBFWriteStringAttribute(l.dbf, (int)c, 2, name) &&
		     DBFWriteStringAttribute(l.dbf, (int)c, 3, amenities[lv]) &&
		     DBFWriteStringAttribute(l.dbf, (int)c, 4, levels[lv]);
	}
	layer_close(&l);
	if (ok)
		printf("centers.shp: %ld points\n", count);
	return ok;
}

int main(int argc, char **argv)
{
	struct options o;
	if (!parse_options(argc, argv, &o))
		return 64;
	if (mkdir(o.out_dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "gen_grid: %s: %s\n", o.out_dir, strerror(errno));
		return 73;
	}
	long n = grid_side(o.segments, o.subdiv);
	double *ix = malloc((size_t)(n * n) * sizeof *ix), *iy = malloc((size_t)(n * n) * sizeof *iy);
	if (!ix || !iy) {
		fprintf(stderr, "gen_grid: out of memory\n");
		return 70;
	}
	/* each layer draws from its own stream, so --centers does not move the compounds */
	uint64_t rng_net = o.seed, rng_comp = o.seed ^ 0xC0FFEEull, rng_cent = o.seed ^ 0xCE47E5ull;
	for (long i = 0; i < n; i++)
		for (long j = 0; j < n; j++) {
			ix[i * n + j] = ORIGIN_E + j * SPACING_M + next_range(&rng_net, -JITTER_M, JITTER_M);
			iy[i * n + j] = ORIGIN_N + i * SPACING_M + next_range(&rng_net, -JITTER_M, JITTER_M);
		}
	bool ok = write_roads(o.out_dir, n, o.subdiv, ix, iy) &&
		  write_compounds(o.out_dir, n, o.compounds, &rng_comp) &&
		  write_centers(o.out_dir, n, o.centers, &rng_cent);
	free(ix);
	free(iy);
	return ok ? 0 : 74;
}
