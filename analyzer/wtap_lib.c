/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "wtap_lib.h"

static wtap_lib lib;
static const wtap_lib *loaded;
static char reason[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    /* The library the build linked against (its soname), as the dynamic
     * linker would have found it. */
    void *h = dlopen(ENO_WIRETAP_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(reason, sizeof reason, "cannot load %s: %s", ENO_WIRETAP_SONAME, dlerror());
        return;
    }
#define WTAP_LIB_FIND(f)                                                                    \
    if (!(*(void **)&lib.f = dlsym(h, #f))) {                                               \
        snprintf(reason, sizeof reason, "%s lacks %s", ENO_WIRETAP_SONAME, #f);             \
        return;                                                                             \
    }
    WTAP_LIB_FUNCTIONS(WTAP_LIB_FIND)
#undef WTAP_LIB_FIND
    loaded = &lib;
}

const wtap_lib *wtap_lib_get(const char **why)
{
    pthread_once(&once, load);
    if (!loaded)
        *why = reason;
    return loaded;
}
