"""Tiny shapefiles written byte by byte (ESRI shapefile and dBASE III layouts), so the
bad-input tests can make exactly the geometry they need (unclosed rings, bow-ties, NaN)
and patch good files. No GDAL needed.

write(stem, kind, features, fields=(), rows=(), prj=None)
  kind: 'point' | 'line' | 'polygon'; a feature is None (NULL shape), a point (x, y), or a
  list of parts, each a list of (x, y). fields: [(name, 'C'|'N', width)]; rows: tuples.
"""
import struct

TYPE = {'point': 1, 'line': 3, 'polygon': 5}

WGS84 = ('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,'
         '298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]')
NAD27 = ('GEOGCS["GCS_North_American_1927",DATUM["D_North_American_1927",SPHEROID['
         '"Clarke_1866",6378206.4,294.9786982]],PRIMEM["Greenwich",0.0],'
         'UNIT["Degree",0.0174532925199433]]')
ETRS89 = ('GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,'
          '298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]')


def utm(zone):
    """WGS 84 / UTM zone N (north) as ESRI WKT."""
    return ('PROJCS["WGS_1984_UTM_Zone_%dN",%s,PROJECTION["Transverse_Mercator"],'
            'PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],'
            'PARAMETER["Central_Meridian",%.1f],PARAMETER["Scale_Factor",0.9996],'
            'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
            % (zone, WGS84, zone * 6 - 183))


def _content(kind, feat):
    if feat is None:
        return struct.pack('<i', 0)
    if kind == 'point':
        return struct.pack('<idd', 1, feat[0], feat[1])
    pts = [p for part in feat for p in part]
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    box = (min(xs), min(ys), max(xs), max(ys))
    out = struct.pack('<i4dii', TYPE[kind], *box, len(feat), len(pts))
    start = 0
    for part in feat:
        out += struct.pack('<i', start)
        start += len(part)
    for x, y in pts:
        out += struct.pack('<dd', x, y)
    return out


def _header(kind, length_bytes, box):
    return (struct.pack('>i20xi', 9994, length_bytes // 2) +
            struct.pack('<ii4d32x', 1000, TYPE[kind], *box))


def write(stem, kind, features, fields=(), rows=(), prj=None):
    contents = [_content(kind, f) for f in features]
    pts = []
    for f in features:
        if f is None:
            continue
        pts += [f] if kind == 'point' else [p for part in f for p in part]
    finite = [p for p in pts if all(abs(v) < 1e308 for v in p)] or [(0, 0)]
    box = (min(p[0] for p in finite), min(p[1] for p in finite),
           max(p[0] for p in finite), max(p[1] for p in finite))
    shp = b''
    shx = b''
    offset = 100
    for i, c in enumerate(contents):
        shp += struct.pack('>ii', i + 1, len(c) // 2) + c
        shx += struct.pack('>ii', offset // 2, len(c) // 2)
        offset += 8 + len(c)
    with open(stem + '.shp', 'wb') as f:
        f.write(_header(kind, 100 + len(shp), box) + shp)
    with open(stem + '.shx', 'wb') as f:
        f.write(_header(kind, 100 + len(shx), box) + shx)
    fields = list(fields) or [('fid', 'N', 9)]
    rows = list(rows) or [(i,) for i in range(len(features))]
    rec_len = 1 + sum(w for _, _, w in fields)
    dbf = struct.pack('<B3BIHH20x', 3, 124, 1, 1, len(rows), 32 + 32 * len(fields) + 1, rec_len)
    for name, t, w in fields:
        dbf += struct.pack('<11sc4xBB14x', name.encode(), t.encode(), w, 0)
    dbf += b'\r'
    for row in rows:
        dbf += b' '
        for (name, t, w), v in zip(fields, row):
            s = str(v).encode('utf-8')[:w]
            dbf += s.rjust(w) if t == 'N' else s.ljust(w)
    dbf += b'\x1a'
    with open(stem + '.dbf', 'wb') as f:
        f.write(dbf)
    with open(stem + '.cpg', 'w') as f:
        f.write('UTF-8')
    if prj is not None:
        with open(stem + '.prj', 'w') as f:
            f.write(prj)


def square(cx, cy, half, clockwise=True):
    """A closed square ring centred on (cx, cy); clockwise = a shell in shapefiles."""
    r = [(cx - half, cy - half), (cx - half, cy + half), (cx + half, cy + half),
         (cx + half, cy - half), (cx - half, cy - half)]
    return r if clockwise else r[::-1]


def record_offset(stem, i):
    """Byte offset of record i (0-based) in stem.shp, from the .shx."""
    with open(stem + '.shx', 'rb') as f:
        f.seek(100 + 8 * i)
        return struct.unpack('>i', f.read(4))[0] * 2


def patch(path, offset, data):
    with open(path, 'r+b') as f:
        f.seek(offset)
        f.write(data)
