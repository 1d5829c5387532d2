/* SPDX-License-Identifier: GPL-2.0-or-later */
/* TEP identifier registry (IANA registry, RFC 8548; docs/protocol.md). */
#include <string.h>

#include "eno/option.h"
#include "eno/tep.h"

static const uint8_t tcpcrypt_init1[] = {0x15, 0x10, 0x1a, 0x0e};
static const uint8_t tcpcrypt_init2[] = {0x09, 0x71, 0x05, 0xe0};
static const uint8_t tls_handshake[] = {0x16, 0x03};

#define TCPCRYPT(id_, name_)                                                     \
    {id_, name_, "RFC 8548", ENO_TEP_ASSIGNED, ENO_SYNDATA_NONE,                 \
     {tcpcrypt_init1, sizeof tcpcrypt_init1}, {tcpcrypt_init2, sizeof tcpcrypt_init2}, \
     "tcpcrypt INIT1", "tcpcrypt INIT2", true, 9}

static const eno_tep_info known[] = {
    {0x20, "experimental use", "RFC 8547", ENO_TEP_EXPERIMENTAL, ENO_SYNDATA_UNKNOWN,
     {0, 0}, {0, 0}, NULL, NULL, false, 0},
    TCPCRYPT(0x21, "TCPCRYPT_ECDHE_P256"),
    TCPCRYPT(0x22, "TCPCRYPT_ECDHE_P521"),
    TCPCRYPT(0x23, "TCPCRYPT_ECDHE_Curve25519"),
    TCPCRYPT(0x24, "TCPCRYPT_ECDHE_Curve448"),
    /* Both hosts open with a TLS handshake record (ClientHello, ServerHello). */
    {0x30, "TCP-Use-TLS", "", ENO_TEP_UNREGISTERED, ENO_SYNDATA_UNKNOWN,
     {tls_handshake, sizeof tls_handshake}, {tls_handshake, sizeof tls_handshake},
     "TLS handshake record", "TLS handshake record", false, 0},
};

static const eno_tep_info unassigned = {0, "unassigned", "", ENO_TEP_UNASSIGNED,
                                        ENO_SYNDATA_UNKNOWN, {0, 0}, {0, 0}, NULL, NULL, false, 0};
static const eno_tep_info reserved = {0, "reserved for extended values", "RFC 8547",
                                      ENO_TEP_RESERVED, ENO_SYNDATA_UNKNOWN,
                                      {0, 0}, {0, 0}, NULL, NULL, false, 0};
static const eno_tep_info not_a_tep = {0, "not a TEP identifier", "", ENO_TEP_UNASSIGNED,
                                       ENO_SYNDATA_UNKNOWN, {0, 0}, {0, 0}, NULL, NULL, false, 0};

const eno_tep_info *eno_tep_lookup(uint8_t glt)
{
    glt &= ENO_TEP_GLT;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i].id == glt)
            return &known[i];
    if (glt <= ENO_SUB_GLOBAL_MAX)
        return &not_a_tep;
    if (glt >= ENO_TEP_RESERVED_MIN)
        return &reserved;
    return &unassigned;
}

static bool starts_with(const uint8_t *p, size_t n, eno_magic m)
{
    return m.len > 0 && n >= m.len && memcmp(p, m.bytes, m.len) == 0;
}

const eno_tep_info *eno_tep_find_opening(const uint8_t *p, size_t n, bool *host_a)
{
    if (!p)
        return NULL;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (!known[i].open_distinctive)
            continue;
        if (starts_with(p, n, known[i].open_a) || starts_with(p, n, known[i].open_b)) {
            if (host_a)
                *host_a = starts_with(p, n, known[i].open_a);
            return &known[i];
        }
    }
    return NULL;
}
