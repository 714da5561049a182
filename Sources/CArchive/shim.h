#ifndef CARCHIVE_SHIM_H
#define CARCHIVE_SHIM_H
/* libarchive as Swift sees it. Only VData imports this module. */
#include <archive.h>
#include <archive_entry.h>
#endif
