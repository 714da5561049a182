#ifndef VTOOLS_CZLIB_SHIM_H
#define VTOOLS_CZLIB_SHIM_H
#include <zlib.h>

/* inflateInit2 is a macro; raw deflate (no zlib header), as in zip entries. */
static inline int czlib_inflate_init_raw(z_stream *s) {
  return inflateInit2(s, -MAX_WBITS);
}
#endif
