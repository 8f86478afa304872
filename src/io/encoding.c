/* DBF text decoding: a decoder turns bytes in one code page into valid UTF-8 or fails;
 * it never substitutes or drops bytes, so a wrong .cpg shows up as an error, not as
 * mojibake in a report. */
#include "encoding.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct ws_decoder {
	iconv_t cd;
	char name[32];
	bool utf8;       /* decodes from UTF-8: valid input is its own output */
};

/* .cpg spellings seen in the wild (ArcGIS, QGIS, GDAL, hand-written), compared after
 * normalize(): upper case with blanks, '-', '_' and '.' removed.
 *
 * The whole GBK family maps to GB18030. GB18030 is a superset of GB2312 and GBK: every
 * two-byte GBK sequence decodes to the same character, and the four-byte sequences that
 * only GB18030 has (rare characters that do occur in Chinese place names) decode too
 * instead of failing the whole layer. Chinese GIS software often writes such files and
 * still labels them "GBK" or "936". The only CP936 byte GB18030 rejects is the single
 * byte 0x80 (euro sign), which does not occur in names of places. */
static const struct { const char *cpg, *iconv; } code_pages[] = {
	{ "UTF8", "UTF-8" }, { "65001", "UTF-8" },
	{ "GB18030", "GB18030" }, { "54936", "GB18030" },
	{ "GBK", "GB18030" }, { "CP936", "GB18030" }, { "936", "GB18030" },
	{ "GB2312", "GB18030" }, { "EUCCN", "GB18030" }, { "ANSI936", "GB18030" },
	{ "ISO88591", "ISO-8859-1" }, { "88591", "ISO-8859-1" }, { "LATIN1", "ISO-8859-1" },
	{ "ISO88592", "ISO-8859-2" }, { "88592", "ISO-8859-2" },
	{ "ISO88595", "ISO-8859-5" }, { "88595", "ISO-8859-5" },
	{ "ISO88597", "ISO-8859-7" }, { "88597", "ISO-8859-7" },
	{ "ISO88599", "ISO-8859-9" }, { "88599", "ISO-8859-9" },
	{ "ISO885915", "ISO-8859-15" }, { "885915", "ISO-8859-15" },
	{ "1250", "CP1250" }, { "CP1250", "CP1250" }, { "ANSI1250", "CP1250" },
	{ "WINDOWS1250", "CP1250" },
	{ "1251", "CP1251" }, { "CP1251", "CP1251" }, { "ANSI1251", "CP1251" },
	{ "WINDOWS1251", "CP1251" },
	{ "1252", "CP1252" }, { "CP1252", "CP1252" }, { "ANSI1252", "CP1252" },
	{ "WINDOWS1252", "CP1252" },
	{ "1253", "CP1253" }, { "CP1253", "CP1253" }, { "ANSI1253", "CP1253" },
	{ "1254", "CP1254" }, { "CP1254", "CP1254" }, { "ANSI1254", "CP1254" },
	/* CP950 / CP932 / CP949 are the Windows supersets of Big5 / Shift_JIS / EUC-KR; files
	 * labelled with the standard name are usually written by Windows software. */
	{ "BIG5", "CP950" }, { "950", "CP950" }, { "CP950", "CP950" }, { "ANSI950", "CP950" },
	{ "SHIFTJIS", "CP932" }, { "SJIS", "CP932" }, { "932", "CP932" }, { "CP932", "CP932" },
	{ "ANSI932", "CP932" },
	{ "EUCKR", "CP949" }, { "949", "CP949" }, { "CP949", "CP949" }, { "UHC", "CP949" },
	{ "ANSI949", "CP949" },
	{ "437", "CP437" }, { "CP437", "CP437" }, { "850", "CP850" }, { "CP850", "CP850" },
	{ "866", "CP866" }, { "CP866", "CP866" }, { "KOI8R", "KOI8-R" },
	/* shapelib's DBFGetCodePage spelling of the DBF language driver byte */
	{ "LDID/1", "CP437" }, { "LDID/2", "CP850" }, { "LDID/3", "CP1252" },
	{ "LDID/19", "CP932" }, { "LDID/77", "GB18030" }, { "LDID/78", "CP949" },
	{ "LDID/79", "CP950" }, { "LDID/87", "ISO-8859-1" }, { "LDID/200", "CP1250" },
	{ "LDID/201", "CP1251" },
};

/* Writes at most `cap` bytes (with NUL); false when the value does not fit (no known
 * spelling is that long). */
static bool normalize(const char *in, char *out, size_t cap)
{
	size_t n = 0;
	for (; *in; in++) {
		unsigned char c = (unsigned char)*in;
		if (c == ' ' || c == '-' || c == '_' || c == '.' || c == '\t' || c == '\r' ||
		    c == '\n')
			continue;
		if (n + 1 >= cap)
			return false;
		out[n++] = (char)toupper(c);
	}
	out[n] = '\0';
	return true;
}

const char *ws_encoding_iconv_name(const char *cpg)
{
	char key[32];
	if (!cpg || !normalize(cpg, key, sizeof key) || !key[0])
		return NULL;
	for (size_t i = 0; i < sizeof code_pages / sizeof code_pages[0]; i++)
		if (strcmp(key, code_pages[i].cpg) == 0)
			return code_pages[i].iconv;
	return NULL;
}

struct ws_decoder *ws_decoder_create(const char *iconv_name, struct ws_error *err)
{
	if (!iconv_name || strlen(iconv_name) >= sizeof ((struct ws_decoder *)0)->name) {
		ws_error_set(err, WS_ERR_FORMAT, "unsupported encoding \"%s\"",
			     iconv_name ? iconv_name : "(null)");
		return NULL;
	}
	struct ws_decoder *dec = calloc(1, sizeof *dec);
	if (!dec) {
		ws_error_nomem(err);
		return NULL;
	}
	dec->cd = iconv_open("UTF-8", iconv_name);
	if (dec->cd == (iconv_t)-1) {
		free(dec);
		ws_error_set(err, WS_ERR_FORMAT, "encoding \"%s\" is not supported by iconv",
			     iconv_name);
		return NULL;
	}
	strcpy(dec->name, iconv_name);
	dec->utf8 = !strcasecmp(iconv_name, "UTF-8") || !strcasecmp(iconv_name, "UTF8");
	return dec;
}

void ws_decoder_destroy(struct ws_decoder *dec)
{
	if (!dec)
		return;
	iconv_close(dec->cd);
	free(dec);
}

/* Every supported code page is ASCII-compatible, so pure ASCII needs no conversion. */
static bool is_ascii(const char *in, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)in[i] >= 0x80)
			return false;
	return true;
}

/* Well-formed UTF-8 as RFC 3629 defines it (no overlong forms, no surrogates, nothing
 * above U+10FFFF). glibc's iconv accepts all of it and returns it unchanged; what it
 * rejects or might treat otherwise is left to iconv, so errors read the same. */
static bool is_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n;
		unsigned char lo = 0x80, hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF)
			n = 1;
		else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else {
			return false;
		}
		if (len - i - 1 < n || s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (size_t k = 2; k <= n; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return false;
		i += n + 1;
	}
	return true;
}

bool ws_decoder_keeps(const struct ws_decoder *dec, const char *in, size_t len)
{
	if (memchr(in, '\0', len))
		return false;
	return is_ascii(in, len) || (dec->utf8 && is_utf8((const unsigned char *)in, len));
}

char *ws_decoder_decode(struct ws_decoder *dec, const char *in, size_t len, struct ws_error *err)
{
	if (memchr(in, '\0', len)) {
		ws_error_set(err, WS_ERR_FORMAT, "NUL byte inside text");
		return NULL;
	}
	if (is_ascii(in, len)) {
		char *out = malloc(len + 1);
		if (!out) {
			ws_error_nomem(err);
			return NULL;
		}
		memcpy(out, in, len);
		out[len] = '\0';
		return out;
	}
	/* One input byte never yields more than 3 UTF-8 bytes in these code pages (4 bytes
	 * of GB18030 or UTF-8 give at most 4); E2BIG grows the buffer anyway. */
	if (len > (SIZE_MAX - 8) / 4) {
		ws_error_nomem(err);
		return NULL;
	}
	size_t cap = 3 * len + 8;
	char *out = malloc(cap);
	if (!out) {
		ws_error_nomem(err);
		return NULL;
	}
	iconv(dec->cd, NULL, NULL, NULL, NULL);
	char *src = (char *)in;
	size_t src_left = len;
	size_t used = 0;
	for (;;) {
		char *dst = out + used;
		size_t dst_left = cap - used - 1;
		size_t r = iconv(dec->cd, &src, &src_left, &dst, &dst_left);
		used = (size_t)(dst - out);
		if (r != (size_t)-1) {
			/* flush any shift state (none of ours has one, but be exact) */
			dst_left = cap - used - 1;
			if (iconv(dec->cd, NULL, NULL, &dst, &dst_left) == (size_t)-1) {
				free(out);
				ws_error_set(err, WS_ERR_FORMAT, "invalid %s text", dec->name);
				return NULL;
			}
			used = (size_t)(dst - out);
			break;
		}
		if (errno == E2BIG) {
			if (cap > SIZE_MAX / 2) {
				free(out);
				ws_error_nomem(err);
				return NULL;
			}
			char *p = realloc(out, cap * 2);
			if (!p) {
				free(out);
				ws_error_nomem(err);
				return NULL;
			}
			out = p;
			cap *= 2;
			continue;
		}
		size_t at = len - src_left;
		free(out);
		if (errno == EINVAL)
			ws_error_set(err, WS_ERR_FORMAT, "incomplete %s byte sequence at byte %zu",
				     dec->name, at);
		else
			ws_error_set(err, WS_ERR_FORMAT, "invalid %s byte sequence at byte %zu",
				     dec->name, at);
		return NULL;
	}
	out[used] = '\0';
	/* A NUL produced from the input would silently cut the value short. */
	if (memchr(out, '\0', used)) {
		free(out);
		ws_error_set(err, WS_ERR_FORMAT, "NUL character in %s text", dec->name);
		return NULL;
	}
	return out;
}
