/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The JSON writer: escaping of every byte a string can hold, numbers at
 * their extremes, structure, and one write per record. */
#include <string.h>

#include <glib.h>

#include "jsonw.h"

/* The record that writing s as a string gives, without its newline. */
static char *string_record(const char *s)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    jsonw w;
    jw_init(&w, f);
    jw_string(&w, s);
    jw_end_line(&w);
    fclose(f);
    g_assert_true(size > 0 && text[size - 1] == '\n');
    text[size - 1] = '\0';
    return text;
}

static void expect_string(const char *s, const char *want)
{
    char *got = string_record(s);
    g_assert_cmpstr(got, ==, want);
    g_free(got);
}

static void test_control_characters(void)
{
    /* Every control character, alone and between plain bytes; the
     * three with short forms use them.  NUL ends a C string: what
     * follows it is not written. */
    for (int c = 1; c < 0x20; c++) {
        char in[8], want[32];
        g_snprintf(in, sizeof in, "a%cb", c);
        const char *esc = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
        if (esc)
            g_snprintf(want, sizeof want, "\"a%sb\"", esc);
        else
            g_snprintf(want, sizeof want, "\"a\\u00%02xb\"", c);
        expect_string(in, want);
    }
    expect_string("ab\0cd", "\"ab\"");
    expect_string("", "\"\"");
    /* DEL is not a control character for JSON. */
    expect_string("\x7f", "\"\x7f\"");
    expect_string("\"\\/", "\"\\\"\\\\/\"");
}

static void test_every_position(void)
{
    /* The plain run is scanned a word at a time: a byte that needs an
     * escape is found at every offset of a word and in the tail. */
    static const char *const specials[] = {"\"", "\\", "\x01", "\x1f", "\xc3\xa9", "\xff"};
    static const char *const escaped[] = {"\\\"", "\\\\", "\\u0001", "\\u001f", "\xc3\xa9",
                                          "\\ufffd"};
    const char *plain = "abcdefghijklmnopqrstuvwxyz0123";
    size_t n = strlen(plain);
    for (size_t k = 0; k < G_N_ELEMENTS(specials); k++) {
        for (size_t at = 0; at <= n; at++) {
            char *in = g_strdup_printf("%.*s%s%s", (int)at, plain, specials[k], plain + at);
            char *want = g_strdup_printf("\"%.*s%s%s\"", (int)at, plain, escaped[k], plain + at);
            expect_string(in, want);
            g_free(in);
            g_free(want);
        }
    }
}

static void test_utf8(void)
{
    /* Valid sequences of two, three and four bytes are kept as they are. */
    expect_string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e \xef\xbf\xbf",
                  "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e \xef\xbf\xbf\"");
    /* Anything else: each byte that starts no valid character is one
     * U+FFFD. */
    expect_string("\x80", "\"\\ufffd\"");
    expect_string("a\xff\xfe" "b", "\"a\\ufffd\\ufffdb\"");
    expect_string("\xc3", "\"\\ufffd\"");                      /* cut at the end */
    expect_string("\xe2\x82" "x", "\"\\ufffd\\ufffdx\"");       /* cut in the middle */
    expect_string("\xc0\xaf", "\"\\ufffd\\ufffd\"");            /* overlong '/' */
    expect_string("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\""); /* overlong, 3 bytes */
    expect_string("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""); /* a surrogate */
    expect_string("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* > U+10FFFF */
    expect_string("\xc3\xa9\x80\xc3\xa9", "\"\xc3\xa9\\ufffd\xc3\xa9\"");
}

static void test_long_string(void)
{
    /* Longer than the writer's own buffer, escaped all along: the record
     * moves to the heap, and the next one starts afresh. */
    GString *in = g_string_new(NULL), *want = g_string_new("\"");
    for (int i = 0; i < 5000; i++) {
        g_string_append(in, "x\x01\xff");
        g_string_append(want, "x\\u0001\\ufffd");
    }
    g_string_append_c(want, '"');
    expect_string(in->str, want->str);
    expect_string("short", "\"short\"");
    g_string_free(in, TRUE);
    g_string_free(want, TRUE);
}

static void test_structure_and_numbers(void)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    jsonw w;
    jw_init(&w, f);
    jw_begin_object(&w);
    jw_key_lit(&w, "zero");
    jw_uint(&w, 0);
    jw_member_uint(&w, "max", UINT64_MAX);
    jw_lit_uint(&w, "u32", UINT32_MAX);
    jw_lit_uint(&w, "ten", 10);
    jw_member_frame(&w, "none", 0);
    jw_lit_frame(&w, "frame", 4294967295u);
    jw_key(&w, "k\"\x01");
    jw_begin_array(&w);
    jw_bool(&w, true);
    jw_bool(&w, false);
    jw_null(&w);
    jw_string(&w, NULL);
    jw_begin_object(&w);
    jw_end_object(&w);
    jw_begin_array(&w);
    jw_end_array(&w);
    jw_end_array(&w);
    jw_lit_string(&w, "s", "v");
    jw_end_object(&w);
    /* Nothing reaches the stream before the record ends. */
    fflush(f);
    g_assert_cmpuint(size, ==, 0);
    jw_end_line(&w);
    jw_begin_object(&w);
    jw_end_object(&w);
    jw_end_line(&w);
    fclose(f);
    g_assert_cmpstr(text, ==,
                    "{\"zero\":0,\"max\":18446744073709551615,\"u32\":4294967295,\"ten\":10,"
                    "\"none\":null,\"frame\":4294967295,\"k\\\"\\u0001\":"
                    "[true,false,null,null,{},[]],\"s\":\"v\"}\n{}\n");
    free(text);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/jsonw/control_characters", test_control_characters);
    g_test_add_func("/jsonw/every_position", test_every_position);
    g_test_add_func("/jsonw/utf8", test_utf8);
    g_test_add_func("/jsonw/long_string", test_long_string);
    g_test_add_func("/jsonw/structure_and_numbers", test_structure_and_numbers);
    return g_test_run();
}
