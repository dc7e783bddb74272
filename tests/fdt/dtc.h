/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host tests: compile device-tree source with dtc at test time (dtc is installed by
 * tools/setup), into a malloc'd buffer of exactly the blob's size so that AddressSanitizer
 * catches any read past its end.
 */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Compile the DTS file dts (dtc flags extra); the blob and *size, or NULL on failure. */
static inline uint8_t *dtc_compile_file(const char *dts, const char *extra, size_t *size)
{
    char out[] = "/tmp/bh-dtc-XXXXXX";
    char cmd[1024];
    int fd = mkstemp(out);
    uint8_t *blob = NULL;
    FILE *fp;
    long n;

    if (fd < 0) {
        return NULL;
    }
    close(fd);
    snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb %s -o %s %s", extra, out, dts);
    if (system(cmd) == 0 && (fp = fopen(out, "rb")) != NULL) {
        fseek(fp, 0, SEEK_END);
        n = ftell(fp);
        rewind(fp);
        blob = n > 0 ? malloc((size_t)n) : NULL;
        if (blob != NULL && fread(blob, 1, (size_t)n, fp) != (size_t)n) {
            free(blob);
            blob = NULL;
        }
        *size = (size_t)n;
        fclose(fp);
    }
    unlink(out);
    return blob;
}

/* Compile DTS text; as dtc_compile_file(). */
static inline uint8_t *dtc_compile_text(const char *text, size_t *size)
{
    char in[] = "/tmp/bh-dts-XXXXXX";
    int fd = mkstemp(in);
    uint8_t *blob = NULL;
    size_t len = strlen(text);

    if (fd < 0) {
        return NULL;
    }
    if (write(fd, text, len) == (ssize_t)len) {
        blob = dtc_compile_file(in, "", size);
    }
    close(fd);
    unlink(in);
    return blob;
}
