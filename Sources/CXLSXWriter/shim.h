#ifndef CXLSXWRITER_SHIM_H
#define CXLSXWRITER_SHIM_H
/* libxlsxwriter as Swift sees it. Only VSheet imports this module. */
#include <xlsxwriter.h>
#endif
