#ifndef TALLY_CLIBPQ_SHIM_H
#define TALLY_CLIBPQ_SHIM_H
// libpq's C API, entered only through TallyStore (`internal import CLibPQ`).
#include <libpq-fe.h>
#endif
