/* Shapefile layer reader. Invariant: shapelib is only ever asked for bytes that this file
 * has already checked to exist and to be consistent - header magic, .shx entries against
 * the .shp size, each record's type, part and point counts against its length, the DBF
 * header against the .dbf size - because shapelib 1.5.0 trusts those numbers (huge
 * allocations, reads past the end, silent short DBFs). A layer that comes back is
 * complete: every coordinate finite, n_features == SHP records == DBF rows, all text UTF-8.
 * Files are only opened for reading; a missing .shx is an error, never rebuilt. For
 * speed the .shp and the DBF rows are read whole and their records decoded here, after
 * the same checks; shapelib still opens both and must agree on the headers. */
#include "layer.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <shapefil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/encoding.h"

#define SHP_HEADER 100
#define SHP_MAGIC 9994
#define SHP_VERSION 1000
#define DBF_HEADER 32
#define DBF_FIELD 32
#define MAX_COORD 1e15          /* beyond any CRS on Earth; catches 1e300 and friends */
#define MAX_SMALL_FILE (1 << 20) /* .prj and .cpg are a few hundred bytes at most */

/* shapelib 1.5 reports errors through SAHooks.Error, which has no user pointer: the
 * message is caught here, per thread, and read right after the call that failed. */
static _Thread_local char shapelib_msg[256];

static void catch_shapelib_error(const char *message)
{
	snprintf(shapelib_msg, sizeof shapelib_msg, "%s", message);
}

static const char *get_shapelib_reason(void)
{
	return shapelib_msg[0] ? shapelib_msg : "no reason given";
}

/* Everything alive while reading; released by release_reader whatever happens. */
struct reader {
	struct ws_layer *layer;
	enum ws_geom_kind expect;
	struct ws_error *err;
	char *base;                   /* path without its .shp extension */
	char *shx_path, *dbf_path;
	const char *shp_name, *shx_name, *dbf_name; /* basenames, for messages */
	int shp_fd;
	uint64_t shp_size;
	int shp_type;
	unsigned char *shx;           /* the whole .shx */
	size_t n_records;
	unsigned char *dbf_header;    /* the whole DBF header */
	uint32_t dbf_rows, dbf_header_len, dbf_record_len;
	size_t *field_offset, *field_width;
	char *field_code;             /* DBF type letter per field */
	SHPHandle shp;
	DBFHandle dbf;
	struct ws_decoder *dec;
	bool no_cpg;                  /* text decoded as UTF-8 because nothing named a code page */
	bool decode_failed;           /* a field name or value is invalid in the code page */
	int32_t *part_start;          /* one record's part starts, as read by us */
	size_t part_cap;
	unsigned char *shp_data;      /* the whole .shp: records are decoded from memory */
	unsigned char *dbf_data;      /* every DBF row, read at once */
	double *vx, *vy;              /* one record's vertices */
	size_t vertex_cap;
	size_t text_len, text_cap;
};

static uint32_t read_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t read_le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t read_le16(const unsigned char *p)
{
	return (uint32_t)p[1] << 8 | p[0];
}

static const char *describe_kind(enum ws_geom_kind kind)
{
	switch (kind) {
	case WS_GEOM_POINT: return "Point";
	case WS_GEOM_LINE: return "PolyLine";
	case WS_GEOM_POLYGON: return "Polygon";
	}
	return "?";
}

static const char *describe_type(int type)
{
	switch (type) {
	case SHPT_NULL: return "Null";
	case SHPT_POINT: return "Point";
	case SHPT_ARC: return "PolyLine";
	case SHPT_POLYGON: return "Polygon";
	case SHPT_MULTIPOINT: return "MultiPoint";
	case SHPT_POINTZ: return "PointZ";
	case SHPT_ARCZ: return "PolyLineZ";
	case SHPT_POLYGONZ: return "PolygonZ";
	case SHPT_MULTIPOINTZ: return "MultiPointZ";
	case SHPT_POINTM: return "PointM";
	case SHPT_ARCM: return "PolyLineM";
	case SHPT_POLYGONM: return "PolygonM";
	case SHPT_MULTIPOINTM: return "MultiPointM";
	case SHPT_MULTIPATCH: return "MultiPatch";
	}
	return "an unknown shape type";
}

/* Z and M variants belong to their 2D kind; Z and M values are ignored. */
static bool is_type_of_kind(int type, enum ws_geom_kind kind)
{
	switch (kind) {
	case WS_GEOM_POINT:
		return type == SHPT_POINT || type == SHPT_POINTZ || type == SHPT_POINTM;
	case WS_GEOM_LINE:
		return type == SHPT_ARC || type == SHPT_ARCZ || type == SHPT_ARCM;
	case WS_GEOM_POLYGON:
		return type == SHPT_POLYGON || type == SHPT_POLYGONZ || type == SHPT_POLYGONM;
	}
	return false;
}

static bool has_z(int type)
{
	return type == SHPT_POINTZ || type == SHPT_ARCZ || type == SHPT_POLYGONZ;
}

static const char *skip_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static char *join(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *s = malloc(na + nb + 1);
	if (s) {
		memcpy(s, a, na);
		memcpy(s + na, b, nb + 1);
	}
	return s;
}

/* The sibling with extension `ext` (".shx"), trying lower then upper case as shapelib
 * does. Sets *exists; the path returned names the lower-case file when neither exists. */
static char *find_sibling(const char *base, const char *ext, bool *exists, struct ws_error *err)
{
	char upper[8];
	size_t n = strlen(ext);
	for (size_t i = 0; i <= n; i++)
		upper[i] = (char)(ext[i] >= 'a' && ext[i] <= 'z' ? ext[i] - 'a' + 'A' : ext[i]);
	const char *exts[2] = { ext, upper };
	struct stat st;
	for (int i = 0; i < 2; i++) {
		char *p = join(base, exts[i]);
		if (!p) {
			ws_error_nomem(err);
			return NULL;
		}
		if (stat(p, &st) == 0) {
			*exists = true;
			return p;
		}
		free(p);
	}
	*exists = false;
	char *p = join(base, ext);
	if (!p)
		ws_error_nomem(err);
	return p;
}

static bool require_sibling(struct reader *r, const char *ext, char **path, const char **name)
{
	bool exists;
	*path = find_sibling(r->base, ext, &exists, r->err);
	if (!*path)
		return false;
	*name = skip_dir(*path);
	if (!exists)
		return ws_error_set(r->err, WS_ERR_NOINPUT, "%s: no such file (a shapefile needs "
				    "its .shp, .shx and .dbf)", *path);
	struct stat st;
	if (stat(*path, &st) != 0 || !S_ISREG(st.st_mode))
		return ws_error_set(r->err, WS_ERR_NOINPUT, "%s: not a regular file", *path);
	return true;
}

static bool open_sized(const char *path, int *fd, uint64_t *size, struct ws_error *err)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return ws_error_set(err, errno == ENOENT ? WS_ERR_NOINPUT : WS_ERR_IO, "%s: %s",
				    path, strerror(errno));
	struct stat st;
	if (fstat(*fd, &st) != 0)
		return ws_error_set(err, WS_ERR_IO, "%s: %s", path, strerror(errno));
	*size = (uint64_t)st.st_size;
	return true;
}

/* Reads exactly n bytes at offset; the caller has checked they lie inside the file, so a
 * short read means the file changed under us or the disk failed. */
static bool read_at(int fd, void *buf, size_t n, uint64_t offset, const char *name,
		    struct ws_error *err)
{
	unsigned char *p = buf;
	while (n > 0) {
		ssize_t got = pread(fd, p, n, (off_t)offset);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return ws_error_set(err, WS_ERR_IO, "%s: %s", name, strerror(errno));
		if (got == 0)
			return ws_error_set(err, WS_ERR_FORMAT, "%s: file ends unexpectedly at "
					    "byte %llu", name, (unsigned long long)offset);
		p += got;
		n -= (size_t)got;
		offset += (uint64_t)got;
	}
	return true;
}

/* The whole file into a NUL-terminated buffer; files above `max` are refused. */
static bool slurp(const char *path, uint64_t max, unsigned char **data, size_t *size,
		  struct ws_error *err)
{
	int fd;
	uint64_t n;
	*data = NULL;
	*size = 0;
	if (!open_sized(path, &fd, &n, err)) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	if (n > max) {
		close(fd);
		return ws_error_set(err, WS_ERR_FORMAT, "%s: %llu bytes is too large for this "
				    "kind of file", skip_dir(path), (unsigned long long)n);
	}
	unsigned char *buf = malloc((size_t)n + 1);
	if (!buf) {
		close(fd);
		return ws_error_nomem(err);
	}
	bool good = read_at(fd, buf, (size_t)n, 0, skip_dir(path), err);
	close(fd);
	if (!good) {
		free(buf);
		return false;
	}
	buf[n] = '\0';
	*data = buf;
	*size = (size_t)n;
	return true;
}

static bool setup_paths(struct reader *r, const char *path)
{
	struct ws_layer *layer = r->layer;
	size_t n = strlen(path);
	bool has_ext = n > 4 && strcasecmp(path + n - 4, ".shp") == 0;
	layer->shp_path = strdup(path);
	r->base = strndup(path, has_ext ? n - 4 : n);
	if (!layer->shp_path || !r->base)
		return ws_error_nomem(r->err);
	layer->name = strdup(skip_dir(r->base));
	if (!layer->name)
		return ws_error_nomem(r->err);
	r->shp_name = skip_dir(layer->shp_path);
	if (!has_ext) {
		/* given as a stem: the .shp beside it, as shapelib would find it */
		bool exists;
		char *shp = find_sibling(r->base, ".shp", &exists, r->err);
		if (!shp)
			return false;
		free(layer->shp_path);
		layer->shp_path = shp;
		r->shp_name = skip_dir(shp);
	}
	struct stat st;
	if (stat(layer->shp_path, &st) != 0)
		return ws_error_set(r->err, errno == ENOENT ? WS_ERR_NOINPUT : WS_ERR_IO,
				    "%s: %s", layer->shp_path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return ws_error_set(r->err, WS_ERR_NOINPUT, "%s: not a regular file",
				    layer->shp_path);
	return require_sibling(r, ".shx", &r->shx_path, &r->shx_name) &&
	       require_sibling(r, ".dbf", &r->dbf_path, &r->dbf_name);
}

/* Magic, version and shape type of the .shp; the length field is checked once the
 * records are (so that a truncated file names its first broken record). */
static bool check_shp_header(struct reader *r)
{
	if (!open_sized(r->layer->shp_path, &r->shp_fd, &r->shp_size, r->err))
		return false;
	if (r->shp_size < SHP_HEADER)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: %llu bytes, too short for a "
				    "shapefile header", r->shp_name,
				    (unsigned long long)r->shp_size);
	/* shapelib keeps offsets and the file size in 32-bit unsigned ints */
	if (r->shp_size > UINT32_MAX)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: larger than 4 GiB, which "
				    "shapelib cannot address", r->shp_name);
	unsigned char h[SHP_HEADER];
	if (!read_at(r->shp_fd, h, sizeof h, 0, r->shp_name, r->err))
		return false;
	if (read_be32(h) != SHP_MAGIC || read_le32(h + 28) != SHP_VERSION)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: not a shapefile (bad header "
				    "magic or version)", r->shp_name);
	r->shp_type = (int32_t)read_le32(h + 32);
	if (!is_type_of_kind(r->shp_type, r->expect))
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: expected %s, found %s (shape "
				    "type %d)", r->shp_name, describe_kind(r->expect),
				    describe_type(r->shp_type), r->shp_type);
	return true;
}

/* The whole .shp in memory (one read instead of several calls per record). */
static bool load_shp(struct reader *r)
{
	r->shp_data = malloc(r->shp_size);
	if (!r->shp_data)
		return ws_error_nomem(r->err);
	return read_at(r->shp_fd, r->shp_data, r->shp_size, 0, r->shp_name, r->err);
}

/* n bytes of the .shp at offset, from memory, failing as read_at would. */
static bool read_shp(struct reader *r, void *buf, size_t n, uint64_t offset)
{
	if (offset > r->shp_size || n > r->shp_size - offset)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: file ends unexpectedly at byte "
				    "%llu", r->shp_name, (unsigned long long)
				    (offset < r->shp_size ? r->shp_size : offset));
	memcpy(buf, r->shp_data + offset, n);
	return true;
}

static bool check_shp_length(struct reader *r)
{
	unsigned char h[4];
	if (!read_at(r->shp_fd, h, 4, 24, r->shp_name, r->err))
		return false;
	uint64_t claimed = 2 * (uint64_t)read_be32(h);
	if (claimed != r->shp_size)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: header says %llu bytes, the "
				    "file has %llu (truncated or corrupt)", r->shp_name,
				    (unsigned long long)claimed, (unsigned long long)r->shp_size);
	return true;
}

/* The .shx is read whole: shapelib derives the record count from its header and
 * allocates by it, so header, size and every entry must agree first. */
static bool read_shx(struct reader *r)
{
	size_t size;
	if (!slurp(r->shx_path, UINT32_MAX, &r->shx, &size, r->err))
		return false;
	if (size < SHP_HEADER || read_be32(r->shx) != SHP_MAGIC)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: not a shapefile index (bad "
				    "header)", r->shx_name);
	uint64_t claimed = 2 * (uint64_t)read_be32(r->shx + 24);
	if (claimed != size || (size - SHP_HEADER) % 8 != 0)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: header says %llu bytes, the "
				    "file has %zu", r->shx_name, (unsigned long long)claimed,
				    size);
	r->n_records = (size - SHP_HEADER) / 8;
	if (r->n_records == 0)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: layer has no features",
				    r->shp_name);
	/* shapelib 1.5 refuses more (as "unreasonable") */
	if (r->n_records > 256000000)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: %zu records is more than "
				    "shapelib reads", r->shx_name, r->n_records);
	return true;
}

static void get_shx_entry(const struct reader *r, size_t i, uint64_t *offset, uint64_t *length)
{
	*offset = 2 * (uint64_t)read_be32(r->shx + SHP_HEADER + 8 * i);
	*length = 2 * (uint64_t)read_be32(r->shx + SHP_HEADER + 8 * i + 4);
}

/* Every record, header included, must lie inside the .shp after its header. */
static bool check_shx_entries(struct reader *r)
{
	for (size_t i = 0; i < r->n_records; i++) {
		uint64_t offset, length;
		get_shx_entry(r, i, &offset, &length);
		if (offset < SHP_HEADER)
			return ws_error_set(r->err, WS_ERR_FORMAT, "%s: record %zu: .shx offset "
					    "%llu lies inside the file header", r->shx_name, i,
					    (unsigned long long)offset);
		if (offset + 8 + length > r->shp_size)
			return ws_error_set(r->err, WS_ERR_FORMAT, "%s: record %zu: %llu bytes at "
					    "offset %llu run past the end of the file (%llu "
					    "bytes): truncated .shp or corrupt .shx", r->shp_name,
					    i, (unsigned long long)(8 + length),
					    (unsigned long long)offset,
					    (unsigned long long)r->shp_size);
		if (length < 4)
			return ws_error_set(r->err, WS_ERR_FORMAT, "%s: record %zu: length %llu "
					    "cannot hold a shape type", r->shp_name, i,
					    (unsigned long long)length);
	}
	return true;
}

/* Reads the 32-byte header and the field descriptors as shapelib will, and checks what
 * it does not: that the rows fit in the file, and why DBFOpen would return NULL. */
static bool check_dbf(struct reader *r)
{
	int fd;
	uint64_t size;
	bool good = open_sized(r->dbf_path, &fd, &size, r->err);
	unsigned char h[DBF_HEADER];
	if (good && size < DBF_HEADER)
		good = ws_error_set(r->err, WS_ERR_FORMAT, "%s: %llu bytes, too short for a "
				    "DBF header", r->dbf_name, (unsigned long long)size);
	if (good)
		good = read_at(fd, h, sizeof h, 0, r->dbf_name, r->err);
	if (good) {
		r->dbf_rows = read_le32(h + 4);
		r->dbf_header_len = read_le16(h + 8);
		r->dbf_record_len = read_le16(h + 10);
		if (r->dbf_header_len < DBF_HEADER || r->dbf_record_len < 1)
			good = ws_error_set(r->err, WS_ERR_FORMAT, "%s: not a DBF file (header "
					    "length %u, record length %u)", r->dbf_name,
					    r->dbf_header_len, r->dbf_record_len);
	}
	uint64_t need = (uint64_t)r->dbf_header_len +
			(uint64_t)r->dbf_rows * r->dbf_record_len;
	if (good && need > size)
		good = ws_error_set(r->err, WS_ERR_FORMAT, "%s: header claims %u rows of %u "
				    "bytes (%llu bytes in all), the file has %llu bytes",
				    r->dbf_name, r->dbf_rows, r->dbf_record_len,
				    (unsigned long long)need, (unsigned long long)size);
	if (good) {
		r->dbf_header = malloc(r->dbf_header_len);
		if (!r->dbf_header)
			good = ws_error_nomem(r->err);
	}
	if (good)
		good = read_at(fd, r->dbf_header, r->dbf_header_len, 0, r->dbf_name, r->err);
	if (fd >= 0)
		close(fd);
	if (!good)
		return false;

	size_t max_fields = (r->dbf_header_len - DBF_HEADER) / DBF_FIELD, n = 0;
	while (n < max_fields && r->dbf_header[DBF_HEADER + n * DBF_FIELD] != 0x0D)
		n++;
	r->field_offset = malloc((n ? n : 1) * sizeof *r->field_offset);
	r->field_width = malloc((n ? n : 1) * sizeof *r->field_width);
	r->field_code = malloc(n ? n : 1);
	if (!r->field_offset || !r->field_width || !r->field_code)
		return ws_error_nomem(r->err);
	size_t end = 1; /* byte 0 of a row is the deletion flag */
	for (size_t j = 0; j < n; j++) {
		const unsigned char *d = r->dbf_header + DBF_HEADER + j * DBF_FIELD;
		r->field_code[j] = (char)d[11];
		r->field_offset[j] = end;
		r->field_width[j] = d[16];
		/* a zero-width field holds nothing and would let rows x fields outgrow the file */
		if (d[16] == 0)
			return ws_error_set(r->err, WS_ERR_FORMAT, "%s: field %zu has width 0",
					    r->dbf_name, j);
		end += d[16];
	}
	if (end > r->dbf_record_len)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: record length %u is below the "
				    "%zu bytes its %zu fields need (deletion flag included)",
				    r->dbf_name, r->dbf_record_len, end, n);
	r->layer->n_fields = n;
	if (r->dbf_rows != r->n_records)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s has %u rows but %s has %zu "
				    "records", r->dbf_name, r->dbf_rows, r->shp_name,
				    r->n_records);
	return true;
}

static bool open_shapelib(struct reader *r)
{
	SAHooks hooks;
	SASetupDefaultHooks(&hooks);
	hooks.Error = catch_shapelib_error;
	shapelib_msg[0] = '\0';
	r->shp = SHPOpenLL(r->layer->shp_path, "rb", &hooks);
	if (!r->shp)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: shapelib cannot open it: %s",
				    r->shp_name, get_shapelib_reason());
	int n, type;
	SHPGetInfo(r->shp, &n, &type, NULL, NULL);
	if (n < 0 || (size_t)n != r->n_records)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: shapelib sees %d records, the "
				    ".shx holds %zu", r->shp_name, n, r->n_records);
	shapelib_msg[0] = '\0';
	r->dbf = DBFOpenLL(r->dbf_path, "rb", &hooks);
	if (!r->dbf)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: shapelib cannot open it: %s",
				    r->dbf_name, get_shapelib_reason());
	if (DBFGetRecordCount(r->dbf) != (int)r->dbf_rows ||
	    DBFGetFieldCount(r->dbf) != (int)r->layer->n_fields)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: shapelib reads the header "
				    "differently (%d rows, %d fields)", r->dbf_name,
				    DBFGetRecordCount(r->dbf), DBFGetFieldCount(r->dbf));
	return true;
}

static bool is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static size_t trim(const unsigned char *s, size_t n, size_t *start)
{
	size_t a = 0;
	/* DBF values are padded with spaces, an empty one is all spaces: skip 8 at a time */
	while (n - a >= 8 && memcmp(s + a, "        ", 8) == 0)
		a += 8;
	while (a < n && is_blank(s[a]))
		a++;
	while (n - a >= 8 && memcmp(s + n - 8, "        ", 8) == 0)
		n -= 8;
	while (n > a && is_blank(s[n - 1]))
		n--;
	*start = a;
	return n - a;
}

/* Optional small text file beside the .shp; *text is NULL when absent or blank. */
static bool read_optional(struct reader *r, const char *ext, char **text)
{
	bool exists;
	*text = NULL;
	char *path = find_sibling(r->base, ext, &exists, r->err);
	if (!path)
		return false;
	unsigned char *data = NULL;
	size_t size = 0;
	bool good = !exists || slurp(path, MAX_SMALL_FILE, &data, &size, r->err);
	free(path);
	if (!good || !data)
		return good;
	size_t start, n = trim(data, strnlen((char *)data, size), &start);
	if (n > 0) {
		*text = strndup((char *)data + start, n);
		if (!*text)
			good = ws_error_nomem(r->err);
	}
	free(data);
	return good;
}

/* `encoding` is --encoding, or the DBF language driver's code page on the second read
 * (ws_layer_read), or NULL: then the .cpg names it, else UTF-8. */
static bool setup_decoder(struct reader *r, const char *encoding, const char *source)
{
	const char *name;
	if (encoding) {
		/* a name iconv knows is accepted as well as a .cpg spelling */
		name = ws_encoding_iconv_name(encoding);
		if (!name)
			name = encoding;
		r->layer->encoding_source = source;
	} else {
		char *cpg;
		if (!read_optional(r, ".cpg", &cpg))
			return false;
		if (!cpg) {
			name = "UTF-8";
			r->no_cpg = true;
			r->layer->encoding_source = "default";
		} else {
			name = ws_encoding_iconv_name(cpg);
			if (!name) {
				for (char *c = cpg; *c; c++)
					if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
						*c = '?';
				ws_error_set(r->err, WS_ERR_FORMAT, "%s.cpg: unknown code page "
					     "\"%.60s\"", r->layer->name, cpg);
				free(cpg);
				return false;
			}
			free(cpg);
			r->layer->encoding_source = "cpg";
		}
	}
	r->dec = ws_decoder_create(name, r->err);
	if (!r->dec)
		return encoding ? ws_error_prefix(r->err, "encoding override: ")
				: ws_error_prefix(r->err, "%s.cpg: ", r->layer->name);
	r->layer->encoding = strdup(name);
	if (!r->layer->encoding)
		return ws_error_nomem(r->err);
	return true;
}

/* The code page the DBF header's language driver byte names, when it is a deliberate
 * choice: NULL for none (0) and for 0x57 ("ANSI"), which most writers put in every file
 * whatever its text (shapelib, GDAL, QGIS), so it says nothing about the encoding. */
static const char *language_driver_code_page(const struct reader *r)
{
	unsigned ldid = r->dbf_header ? r->dbf_header[29] : 0;
	if (ldid == 0 || ldid == 0x57)
		return NULL;
	char key[16];
	snprintf(key, sizeof key, "LDID/%u", ldid);
	const char *name = ws_encoding_iconv_name(key);
	return name && strcmp(name, "UTF-8") != 0 ? name : NULL;
}

static enum ws_field_type map_field_type(char code, int decimals)
{
	switch (code) {
	case 'C': return WS_FIELD_STRING;
	case 'N':
	case 'F': return decimals > 0 ? WS_FIELD_DOUBLE : WS_FIELD_INTEGER;
	case 'L': return WS_FIELD_LOGICAL;
	case 'D': return WS_FIELD_DATE;
	}
	return WS_FIELD_OTHER;
}

static bool read_fields(struct reader *r)
{
	struct ws_layer *layer = r->layer;
	layer->fields = calloc(layer->n_fields ? layer->n_fields : 1, sizeof *layer->fields);
	if (!layer->fields)
		return ws_error_nomem(r->err);
	for (size_t j = 0; j < layer->n_fields; j++) {
		const unsigned char *d = r->dbf_header + DBF_HEADER + j * DBF_FIELD;
		size_t start, n = trim(d, strnlen((const char *)d, 11), &start);
		struct ws_field *f = &layer->fields[j];
		f->name = ws_decoder_decode(r->dec, (const char *)d + start, n, r->err);
		if (!f->name) {
			r->decode_failed = r->err->code == WS_ERR_FORMAT;
			return ws_error_prefix(r->err, "%s: field %zu: name: ", r->dbf_name, j);
		}
		f->width = (int)r->field_width[j];
		f->decimals = (r->field_code[j] == 'N' || r->field_code[j] == 'F') ? d[17] : 0;
		f->type = map_field_type(r->field_code[j], f->decimals);
	}
	return true;
}

/* The record's own header and counts, before shapelib allocates by them. Sets *type, and
 * for lines and polygons leaves the part starts in r->part_start. */
static bool check_record(struct reader *r, size_t i, int *type, int32_t *n_parts,
			 int32_t *n_points)
{
	uint64_t offset, length;
	get_shx_entry(r, i, &offset, &length);
	unsigned char h[8 + 44];
	size_t want = 8 + (length < 44 ? (size_t)length : 44);
	if (!read_shp(r, h, want, offset))
		return false;
	uint64_t own = 2 * (uint64_t)read_be32(h + 4);
	if (own != length)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: record %zu: length %llu in the "
				    ".shp, %llu in the .shx", r->shp_name, i,
				    (unsigned long long)own, (unsigned long long)length);
	*type = (int32_t)read_le32(h + 8);
	*n_parts = *n_points = 0;
	if (*type == SHPT_NULL)
		return true;
	if (!is_type_of_kind(*type, r->expect))
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: record %zu: expected %s, found "
				    "%s", r->shp_name, i, describe_kind(r->expect),
				    describe_type(*type));
	if (r->expect == WS_GEOM_POINT) {
		uint64_t need = 4 + 16 + (has_z(*type) ? 8 : 0);
		if (length < need)
			return ws_error_set(r->err, WS_ERR_FORMAT, "%s: record %zu: %llu bytes "
					    "cannot hold a %s", r->shp_name, i,
					    (unsigned long long)length, describe_type(*type));
		return true;
	}
	if (length < 44)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: record %zu: %llu bytes cannot "
				    "hold a %s header", r->shp_name, i,
				    (unsigned long long)length, describe_type(*type));
	*n_parts = (int32_t)read_le32(h + 8 + 36);
	*n_points = (int32_t)read_le32(h + 8 + 40);
	/* what shapelib will insist on too: Z values are mandatory in Z records, M optional */
	uint64_t need = 44 + 4 * (uint64_t)(uint32_t)*n_parts +
			16 * (uint64_t)(uint32_t)*n_points;
	if (has_z(*type))
		need += 16 + 8 * (uint64_t)(uint32_t)*n_points;
	if (*n_parts < 0 || *n_points < 0 || need > length)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: record %zu: %d parts and %d "
				    "vertices do not fit in its %llu bytes", r->shp_name, i,
				    *n_parts, *n_points, (unsigned long long)length);
	/* shapelib 1.5 limits */
	if (*n_points > 50000000 || *n_parts > 10000000)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: record %zu: %d parts, %d "
				    "vertices: more than shapelib reads", r->shp_name, i,
				    *n_parts, *n_points);
	if (*n_parts == 0 && *n_points > 0)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: record %zu: %d vertices but no "
				    "parts", r->shp_name, i, *n_points);
	if ((size_t)*n_parts > r->part_cap) {
		int32_t *p = realloc(r->part_start, (size_t)*n_parts * sizeof *p);
		if (!p)
			return ws_error_nomem(r->err);
		r->part_start = p;
		r->part_cap = (size_t)*n_parts;
	}
	unsigned char *raw = (unsigned char *)r->part_start;
	if (*n_parts > 0 && !read_shp(r, raw, 4 * (size_t)*n_parts, offset + 8 + 44))
		return false;
	for (int32_t p = 0; p < *n_parts; p++) {
		int32_t s = (int32_t)read_le32(raw + 4 * (size_t)p);
		r->part_start[p] = s;
		if (p == 0 && s != 0)
			return ws_error_set(r->err, WS_ERR_FORMAT, "%s: record %zu: part 0 starts "
					    "at vertex %d, not 0", r->shp_name, i, s);
		if (s < 0 || s >= *n_points)
			return ws_error_set(r->err, WS_ERR_FORMAT, "%s: record %zu: part %d starts "
					    "at vertex %d, beyond its %d vertices", r->shp_name, i,
					    p, s, *n_points);
		if (p > 0 && s <= r->part_start[p - 1])
			return ws_error_set(r->err, WS_ERR_FORMAT, "%s: record %zu: part %d starts "
					    "at vertex %d, not after part %d (vertex %d)",
					    r->shp_name, i, p, s, p - 1, r->part_start[p - 1]);
	}
	return true;
}

static double read_le_double(const unsigned char *p)
{
	/* spelled out so that compilers make it one load on little-endian machines */
	uint64_t bits = (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
			(uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
			(uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
	double d;
	memcpy(&d, &bits, sizeof d);
	return d;
}

/* Record i as a SHPObject view of reader-owned arrays, decoded from the .shp bytes that
 * check_record has vetted (its part starts are in r->part_start); never destroyed with
 * SHPDestroyObject. Z and M values are not read. */
static bool decode_record(struct reader *r, size_t i, int type, int32_t n_parts,
			  int32_t n_points, SHPObject *obj)
{
	uint64_t offset, length;
	get_shx_entry(r, i, &offset, &length);
	const unsigned char *rec = r->shp_data + offset + 8;
	bool point = r->expect == WS_GEOM_POINT;
	size_t n = point ? 1 : (size_t)n_points;
	const unsigned char *xy = point ? rec + 4 : rec + 44 + 4 * (size_t)n_parts;
	if (n > r->vertex_cap) {
		double *vx = realloc(r->vx, n * sizeof *vx);
		if (vx)
			r->vx = vx;
		double *vy = vx ? realloc(r->vy, n * sizeof *vy) : NULL;
		if (!vy)
			return ws_error_nomem(r->err);
		r->vy = vy;
		r->vertex_cap = n;
	}
	for (size_t v = 0; v < n; v++) {
		r->vx[v] = read_le_double(xy + 16 * v);
		r->vy[v] = read_le_double(xy + 16 * v + 8);
	}
	memset(obj, 0, sizeof *obj);
	obj->nSHPType = type;
	obj->nShapeId = (int)i;
	obj->nParts = point ? 0 : n_parts;
	obj->panPartStart = r->part_start;
	obj->nVertices = (int)n;
	obj->padfX = r->vx;
	obj->padfY = r->vy;
	return true;
}

static bool check_coords(struct reader *r, size_t i, const SHPObject *obj)
{
	for (int v = 0; v < obj->nVertices; v++) {
		double x = obj->padfX[v], y = obj->padfY[v];
		if (!isfinite(x) || !isfinite(y))
			return ws_error_set(r->err, WS_ERR_FORMAT, "%s: record %zu: vertex %d: "
					    "coordinate (%g, %g) is not finite", r->shp_name, i,
					    v, x, y);
		if (fabs(x) > MAX_COORD || fabs(y) > MAX_COORD)
			return ws_error_set(r->err, WS_ERR_FORMAT, "%s: record %zu: vertex %d: "
					    "coordinate (%g, %g) is out of range (|x|, |y| <= %g)",
					    r->shp_name, i, v, x, y, MAX_COORD);
	}
	return true;
}

static bool is_same_point(const SHPObject *o, int a, int b)
{
	return o->padfX[a] == o->padfX[b] && o->padfY[a] == o->padfY[b];
}

/* At least 3 distinct vertices among [s, e), in one pass. */
static bool has_three_distinct(const SHPObject *o, int s, int e)
{
	int second = -1;
	for (int v = s + 1; v < e; v++) {
		if (is_same_point(o, v, s))
			continue;
		if (second < 0)
			second = v;
		else if (!is_same_point(o, v, second))
			return true;
	}
	return false;
}

static bool append_range(struct ws_shapes *g, const SHPObject *o, int s, int e,
			 struct ws_error *err)
{
	if (!ws_shapes_begin_part(g, err))
		return false;
	for (int v = s; v < e; v++)
		if (!ws_shapes_add_point(g, o->padfX[v], o->padfY[v], err))
			return false;
	return true;
}

/* Copies one checked SHPObject into the layer, repairing what the header documents. */
static bool append_object(struct reader *r, const SHPObject *o)
{
	struct ws_shapes *g = &r->layer->geom;
	struct ws_layer_repairs *rep = &r->layer->repairs;
	unsigned char *flags = &r->layer->feature_repairs[g->n_features - 1];
	size_t parts_before = g->n_parts;
	if (r->expect == WS_GEOM_POINT) {
		if (!append_range(g, o, 0, 1, r->err))
			return false;
	} else {
		for (int p = 0; p < o->nParts; p++) {
			int s = o->panPartStart[p];
			int e = p + 1 < o->nParts ? o->panPartStart[p + 1] : o->nVertices;
			if (r->expect == WS_GEOM_LINE) {
				if (e - s < 2) {
					rep->empty_parts++;
					*flags |= WS_REPAIR_DROPPED_PART;
					continue;
				}
				if (!append_range(g, o, s, e, r->err))
					return false;
				continue;
			}
			if (!has_three_distinct(o, s, e)) {
				rep->dropped_rings++;
				*flags |= WS_REPAIR_DROPPED_RING;
				continue;
			}
			if (!append_range(g, o, s, e, r->err))
				return false;
			if (!is_same_point(o, s, e - 1)) {
				if (!ws_shapes_add_point(g, o->padfX[s], o->padfY[s], r->err))
					return false;
				rep->unclosed_rings++;
				*flags |= WS_REPAIR_CLOSED_RING;
			}
		}
	}
	if (g->n_parts == parts_before) {
		rep->emptied_features++;
		*flags |= WS_REPAIR_EMPTIED;
	}
	return true;
}

static bool read_geometry(struct reader *r)
{
	struct ws_layer *layer = r->layer;
	if (!ws_shapes_init(&layer->geom, r->expect, r->err))
		return false;
	layer->feature_repairs = calloc(r->n_records + 1, 1);
	if (!layer->feature_repairs)
		return ws_error_nomem(r->err);
	for (size_t i = 0; i < r->n_records; i++) {
		int type = SHPT_NULL;
		int32_t n_parts = 0, n_points = 0;
		if (!check_record(r, i, &type, &n_parts, &n_points))
			return false;
		if (!ws_shapes_begin_feature(&layer->geom, r->err))
			return false;
		if (type == SHPT_NULL || (r->expect != WS_GEOM_POINT && n_points == 0)) {
			layer->repairs.null_shapes++;
			layer->feature_repairs[i] = WS_REPAIR_NULL_SHAPE;
			continue;
		}
		SHPObject obj;
		if (!decode_record(r, i, type, n_parts, n_points, &obj) ||
		    !check_coords(r, i, &obj) || !append_object(r, &obj))
			return false;
	}
	if (layer->geom.n_parts == 0)
		return ws_error_set(r->err, WS_ERR_FORMAT, "%s: layer has no features (all %zu "
				    "records are NULL or empty)", r->shp_name, r->n_records);
	return true;
}

static bool append_bytes(struct reader *r, const char *s, size_t n, size_t *offset)
{
	if (n == 0) {
		*offset = 0; /* the shared "" at the start of the arena */
		return true;
	}
	if (r->text_len + n + 1 > r->text_cap) {
		size_t cap = r->text_cap;
		while (r->text_len + n + 1 > cap) {
			if (cap > SIZE_MAX / 2)
				return ws_error_nomem(r->err);
			cap *= 2;
		}
		char *t = realloc(r->layer->text, cap);
		if (!t)
			return ws_error_nomem(r->err);
		r->layer->text = t;
		r->text_cap = cap;
	}
	memcpy(r->layer->text + r->text_len, s, n);
	r->layer->text[r->text_len + n] = '\0';
	*offset = r->text_len;
	r->text_len += n + 1;
	return true;
}

static bool append_text(struct reader *r, const char *s, size_t *offset)
{
	return append_bytes(r, s, strlen(s), offset);
}

/* Every DBF row in memory (one read; check_dbf has checked that they fit the file). */
static bool load_dbf_rows(struct reader *r)
{
	size_t n = (size_t)r->dbf_rows * r->dbf_record_len;
	int fd;
	uint64_t size;
	r->dbf_data = malloc(n ? n : 1);
	if (!r->dbf_data)
		return ws_error_nomem(r->err);
	bool good = open_sized(r->dbf_path, &fd, &size, r->err) &&
		    read_at(fd, r->dbf_data, n, r->dbf_header_len, r->dbf_name, r->err);
	if (fd >= 0)
		close(fd);
	return good;
}

/* DBF NULL spellings (as shapelib's DBFIsAttributeNULL) become "". */
static bool is_null_value(char code, const unsigned char *s, size_t n)
{
	switch (code) {
	case 'N':
	case 'F':
		return n > 0 && s[0] == '*';
	case 'D':
		return n == 8 && memcmp(s, "00000000", 8) == 0;
	case 'L':
		return n == 1 && s[0] == '?';
	}
	return false;
}

static bool read_attributes(struct reader *r)
{
	struct ws_layer *layer = r->layer;
	size_t nf = layer->n_fields, rows = r->n_records;
	if (nf && rows > SIZE_MAX / sizeof(size_t) / nf)
		return ws_error_nomem(r->err);
	size_t cells = rows * nf;
	layer->value_offset = calloc(cells ? cells : 1, sizeof(size_t));
	r->text_cap = 4096;
	layer->text = malloc(r->text_cap);
	if (!layer->value_offset || !layer->text)
		return ws_error_nomem(r->err);
	layer->text[0] = '\0';
	r->text_len = 1;
	if (nf > 0 && !load_dbf_rows(r))
		return false;
	for (size_t f = 0; f < rows && nf > 0; f++) {
		const unsigned char *row = r->dbf_data + f * r->dbf_record_len;
		for (size_t j = 0; j < nf; j++) {
			const unsigned char *s = row + r->field_offset[j];
			size_t start, n = trim(s, strnlen((const char *)s, r->field_width[j]),
						  &start);
			size_t *slot = &layer->value_offset[f * nf + j];
			if (n == 0 || is_null_value(r->field_code[j], s + start, n)) {
				*slot = 0;
				continue;
			}
			if (ws_decoder_keeps(r->dec, (const char *)s + start, n)) {
				if (!append_bytes(r, (const char *)s + start, n, slot))
					return false;
				continue;
			}
			char *utf8 = ws_decoder_decode(r->dec, (const char *)s + start, n, r->err);
			if (!utf8) {
				r->decode_failed = r->err->code == WS_ERR_FORMAT;
				return ws_error_prefix(r->err, "%s: record %zu: field %s: ",
						       r->dbf_name, f, layer->fields[j].name);
			}
			bool good = append_text(r, utf8, slot);
			free(utf8);
			if (!good)
				return false;
		}
	}
	return true;
}

static void release_reader(struct reader *r)
{
	if (r->shp)
		SHPClose(r->shp);
	if (r->dbf)
		DBFClose(r->dbf);
	if (r->shp_fd >= 0)
		close(r->shp_fd);
	ws_decoder_destroy(r->dec);
	free(r->base);
	free(r->shx_path);
	free(r->dbf_path);
	free(r->shx);
	free(r->dbf_header);
	free(r->field_offset);
	free(r->field_width);
	free(r->field_code);
	free(r->part_start);
	free(r->shp_data);
	free(r->dbf_data);
	free(r->vx);
	free(r->vy);
}

/* One read with `encoding` (see setup_decoder). On a decoding failure of text read as
 * UTF-8 for want of a .cpg, *ldid_code_page is the code page the DBF header names, if
 * any, for a second read. */
static bool read_layer(struct ws_layer *layer, const char *path, enum ws_geom_kind expect,
		       const char *encoding, const char *source, const char **ldid_code_page,
		       struct ws_error *err)
{
	memset(layer, 0, sizeof *layer);
	struct reader r = { .layer = layer, .expect = expect, .err = err, .shp_fd = -1 };
	bool good = setup_paths(&r, path) && check_shp_header(&r) && read_shx(&r) &&
		    check_shx_entries(&r) && check_shp_length(&r) && load_shp(&r) && check_dbf(&r) &&
		    open_shapelib(&r) && read_optional(&r, ".prj", &layer->prj_wkt) &&
		    setup_decoder(&r, encoding, source) && read_fields(&r) &&
		    read_geometry(&r) && read_attributes(&r);
	/* text read as UTF-8 for want of a .cpg, and it is not UTF-8 */
	bool not_utf8 = !good && r.no_cpg && r.decode_failed;
	const char *ldid = not_utf8 ? language_driver_code_page(&r) : NULL;
	if (ldid_code_page)
		*ldid_code_page = ldid;
	if (not_utf8 && !(ldid_code_page && ldid))
		ws_error_append(err, " (no %s.cpg: the text is read as UTF-8; name its code page "
			       "with --encoding, e.g. GBK, or in a .cpg file)", layer->name);
	release_reader(&r);
	if (!good) {
		if (err && err->code == WS_OK)
			ws_error_set(err, WS_ERR_INTERNAL, "%s: reading failed without a reason",
				     path);
		ws_layer_finish(layer);
	}
	return good;
}

bool ws_layer_read(struct ws_layer *layer, const char *path, enum ws_geom_kind expect,
		   const char *encoding_override, struct ws_error *err)
{
	const char *ldid = NULL;
	if (encoding_override)
		return read_layer(layer, path, expect, encoding_override, "override", NULL, err);
	if (read_layer(layer, path, expect, NULL, NULL, &ldid, err))
		return true;
	if (!ldid)
		return false;
	/* Not UTF-8, no .cpg, and the DBF header names a code page: read it in that one. */
	struct ws_error first = *err;
	*err = (struct ws_error){0};
	if (read_layer(layer, path, expect, ldid, "dbf_language_driver", NULL, err))
		return true;
	*err = first;
	ws_error_append(err, " (no .cpg; the .dbf language driver's %s failed too: name the code "
			"page with --encoding)", ldid);
	return false;
}

bool ws_layer_encoding_from_language_driver(const struct ws_layer *layer)
{
	return layer->encoding_source && strcmp(layer->encoding_source, "dbf_language_driver") == 0;
}

void ws_layer_finish(struct ws_layer *layer)
{
	if (!layer)
		return;
	free(layer->shp_path);
	free(layer->name);
	ws_shapes_finish(&layer->geom);
	if (layer->fields)
		for (size_t j = 0; j < layer->n_fields; j++)
			free(layer->fields[j].name);
	free(layer->fields);
	free(layer->value_offset);
	free(layer->text);
	free(layer->prj_wkt);
	free(layer->encoding);
	free(layer->feature_repairs);
	memset(layer, 0, sizeof *layer);
}

int ws_layer_field_index(const struct ws_layer *layer, const char *name)
{
	for (size_t j = 0; j < layer->n_fields; j++)
		if (strcasecmp(layer->fields[j].name, name) == 0)
			return (int)j;
	return -1;
}

const char *ws_layer_value(const struct ws_layer *layer, size_t feature, int field)
{
	if (field < 0 || (size_t)field >= layer->n_fields || feature >= layer->geom.n_features)
		return "";
	return layer->text + layer->value_offset[feature * layer->n_fields + (size_t)field];
}
