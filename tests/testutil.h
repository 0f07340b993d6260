/* testutil.h -- shared by the cmocka test programs. */
#ifndef KH_TESTUTIL_H
#define KH_TESTUTIL_H
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "khaldun.h"
#endif
