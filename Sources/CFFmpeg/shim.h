#ifndef CFFMPEG_SHIM_H
#define CFFMPEG_SHIM_H
/*
 * The FFmpeg API as Swift sees it. Only VMedia imports this module.
 * Function-like, cast and compound-literal macros are not imported by the
 * ClangImporter; each gets a static inline wrapper here, named cffmpeg_*.
 */
#include <errno.h>
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
#include <libswresample/swresample.h>
#include <libavutil/avutil.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libavutil/time.h>

/// AVERROR(e) is a function-like macro.
static inline int cffmpeg_averror(int e) { return AVERROR(e); }
/// AVERROR_EOF expands to FFERRTAG, a function-like macro.
static inline int cffmpeg_averror_eof(void) { return AVERROR_EOF; }
/// AVERROR_INVALIDDATA expands to FFERRTAG.
static inline int cffmpeg_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
/// AVERROR_EXIT (returned when the interrupt callback fires).
static inline int cffmpeg_averror_exit(void) { return AVERROR_EXIT; }
/// AV_NOPTS_VALUE is a cast of UINT64_C(...).
static inline int64_t cffmpeg_nopts_value(void) { return AV_NOPTS_VALUE; }
/// av_err2str uses a compound literal; the caller provides the buffer.
static inline const char *cffmpeg_err2str(int err, char *buf, size_t size) {
  return av_make_error_string(buf, size, err);
}
/// av_log is variadic; the message is passed as an argument, never as the format.
static inline void cffmpeg_log(void *ctx, int level, const char *msg) { av_log(ctx, level, "%s", msg); }

/// The interrupt callback: `opaque` points at an int64 deadline in microseconds
/// of av_gettime_relative(), or 0 for none, followed by an int32 cancel flag.
typedef struct { volatile int64_t deadline_us; volatile int32_t cancelled; } cffmpeg_deadline;
static inline int cffmpeg_interrupt_cb(void *opaque) {
  const cffmpeg_deadline *d = (const cffmpeg_deadline *)opaque;
  if (!d) return 0;
  if (d->cancelled) return 1;
  return d->deadline_us > 0 && av_gettime_relative() > d->deadline_us;
}
static inline void cffmpeg_set_interrupt(AVFormatContext *fmt, cffmpeg_deadline *d) {
  fmt->interrupt_callback.callback = cffmpeg_interrupt_cb;
  fmt->interrupt_callback.opaque = d;
}
#endif
