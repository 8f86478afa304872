/* Writes the seed corpus for fuzz_layer.c: small valid layers made with shapelib, each
 * packed as three little-endian uint32 lengths then the .shp, .shx and .dbf bytes.
 *   cc -Isrc tests/fuzz/make_seeds.c -lshp -o /tmp/make_seeds && /tmp/make_seeds tests/fuzz/corpus
 */
#include <shapefil.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/ws_make_seeds_XXXXXX";

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *buf = malloc(size > 0 ? (size_t)size : 1);
	*n = fread(buf, 1, (size_t)size, f);
	fclose(f);
	return buf;
}

static void put_le32(FILE *f, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8),
			       (unsigned char)(v >> 16), (unsigned char)(v >> 24) };
	fwrite(b, 1, 4, f);
}

/* Packs <dir>/s.{shp,shx,dbf} into <out>/<name> and removes them. */
static void pack(const char *out, const char *name)
{
	static const char *const ext[3] = { "shp", "shx", "dbf" };
	unsigned char *data[3];
	size_t n[3];
	char path[512];
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/s.%s", dir, ext[i]);
		data[i] = slurp(path, &n[i]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/%s", out, name);
	FILE *f = fopen(path, "wb");
	for (int i = 0; i < 3; i++)
		put_le32(f, (uint32_t)n[i]);
	for (int i = 0; i < 3; i++) {
		fwrite(data[i], 1, n[i], f);
		free(data[i]);
	}
	fclose(f);
}

static void write_dbf(int rows, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/s.dbf", dir);
	DBFHandle d = DBFCreate(path);
	DBFAddField(d, "id", FTInteger, 5, 0);
	DBFAddField(d, "name", FTString, 12, 0);
	DBFAddField(d, "v", FTDouble, 8, 2);
	for (int i = 0; i < rows; i++) {
		DBFWriteIntegerAttribute(d, i, 0, i);
		DBFWriteStringAttribute(d, i, 1, text);
		DBFWriteDoubleAttribute(d, i, 2, i / 4.0);
	}
	DBFClose(d);
}

static SHPHandle create(int type)
{
	char path[512];
	snprintf(path, sizeof path, "%s/s", dir);
	return SHPCreate(path, type);
}

static void write_obj(SHPHandle h, int type, int parts, const int *starts, int n,
		      const double *x, const double *y)
{
	SHPObject *o = SHPCreateObject(type, -1, parts, starts, NULL, n, x, y, NULL, NULL);
	SHPWriteObject(h, -1, o);
	SHPDestroyObject(o);
}

int main(int argc, char **argv)
{
	if (argc != 2 || !mkdtemp(dir)) {
		fprintf(stderr, "usage: make_seeds OUT_DIR\n");
		return 64;
	}
	const char *out = argv[1];
	static const double x[] = { 0, 0, 4, 4, 0, 1, 2, 2, 1, 1 };
	static const double y[] = { 0, 4, 4, 0, 0, 1, 1, 2, 2, 1 };
	static const int two[2] = { 0, 5 }, one[1] = { 0 };

	SHPHandle h = create(SHPT_POINT);
	write_obj(h, SHPT_POINT, 0, NULL, 1, x + 2, y + 2);
	write_obj(h, SHPT_NULL, 0, NULL, 0, NULL, NULL);
	write_obj(h, SHPT_POINT, 0, NULL, 1, x + 6, y + 6);
	SHPClose(h);
	write_dbf(3, "caf\xc3\xa9");
	pack(out, "points");

	h = create(SHPT_ARC);
	write_obj(h, SHPT_ARC, 2, two, 10, x, y);
	write_obj(h, SHPT_ARC, 1, one, 3, x, y);
	SHPClose(h);
	write_dbf(2, "road");
	pack(out, "lines");

	h = create(SHPT_POLYGON);
	write_obj(h, SHPT_POLYGON, 2, two, 10, x, y);
	write_obj(h, SHPT_NULL, 0, NULL, 0, NULL, NULL);
	write_obj(h, SHPT_POLYGON, 1, one, 4, x, y);
	SHPClose(h);
	write_dbf(3, "\xe5\xb0\x8f\xe5\x8c\xba");
	pack(out, "polygons");

	h = create(SHPT_MULTIPOINT);
	write_obj(h, SHPT_MULTIPOINT, 0, NULL, 3, x, y);
	SHPClose(h);
	write_dbf(1, "mp");
	pack(out, "multipoint");

	rmdir(dir);
	return 0;
}
