/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Umbrella header of the enoscope engine library. */
#ifndef ENO_ENO_H
#define ENO_ENO_H
#include "eno/codec.h"
#include "eno/engine.h"
#include "eno/flow.h"
#include "eno/option.h"
#include "eno/rules.h"
#include "eno/tep.h"
#endif
