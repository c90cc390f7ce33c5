/* Gzip in memory (see gzip.h). */
#include "core/gzip.h"

#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

#include "core/alloc.h"
#include "core/banned.h"

bool gzip_bytes(const void *in, size_t len, int level, unsigned char **out, size_t *out_len)
{
    z_stream z = {0};
    if (len > (size_t)UINT32_MAX ||
        deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return false;
    size_t cap = deflateBound(&z, (uLong)len);
    unsigned char *buf = xmalloc(cap);
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)len;
    z.next_out = buf;
    z.avail_out = (uInt)cap;
    bool ok = deflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out < len;
    deflateEnd(&z);
    if (!ok) {
        free(buf);
        return false;
    }
    *out = buf;
    *out_len = z.total_out;
    return true;
}
