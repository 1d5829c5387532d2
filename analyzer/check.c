/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The `check` run: every input in turn, then the totals and the exit code. */
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "input_live.h"
#include "input_walk.h"
#include "stop.h"
#include "diag.h"
#include "reader.h"

/* Output to a file or a pipe is written in large blocks. */
static char out_buffer[64 * 1024];

int check_run(const check_options *opt, char **files, int n_files)
{
    if (!isatty(STDOUT_FILENO))
        setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
    stop_install();
    report rp;
    scan_stats st = {0};
    bool trouble = false, usage = false;
    report_init(&rp, opt->format, color_enabled(opt->color, STDOUT_FILENO), stdout);
    GPtrArray *inputs = input_expand(files, n_files, &trouble);
    for (guint i = 0; i < inputs->len; i++)
        if (strcmp(g_ptr_array_index(inputs, i), "-") == 0)
            rp.flush_each = true;
    if (opt->interface) {
        rp.flush_each = true;
        if (!input_live_run(opt, &rp, &st, &usage))
            trouble = true;
    }
    for (guint i = 0; i < inputs->len && !usage && !stop_requested(); i++) {
        if (!reader_run(g_ptr_array_index(inputs, i), opt, &rp, &st, &usage))
            trouble = true;
    }
    /* Interrupted by a signal, the totals of what was read are still
     * printed; a closed output gets nothing more. */
    if (!usage && !stop_output_is_closed())
        report_summary(&rp, &st);
    if (st.dropped)
        diag(NULL, DIAG_WARNING, "%" G_GUINT64_FORMAT " connections were dropped untracked "
                                 "because more than %u were in their handshake at once; raise "
                                 "--max-connections to keep them",
             st.dropped, opt->max_connections);
    eno_severity worst = rp.worst;
    report_free(&rp);
    g_ptr_array_unref(inputs);
    if (trouble)
        return EXIT_TROUBLE;
    if (opt->fail_on != ENO_SEV_NONE && worst >= opt->fail_on)
        return EXIT_FINDINGS;
    return EXIT_CLEAN;
}
