// Assertions for programmer errors only. Input errors are Status values, never DCHECKs.
#pragma once

#include <cstdio>
#include <cstdlib>

#ifdef NDEBUG
#define SILT_DCHECK(cond) \
  do {                    \
  } while (false && (cond))
#else
#define SILT_DCHECK(cond)                                                                \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: SILT_DCHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (false)
#endif
