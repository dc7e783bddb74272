#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# x86 partitions under SVM + NPT (the `make run` layout): "control" and "worker" run the
# shared-memory ping-pong (guests/x86/pingpong.c) through a read-only and a read-write
# borrowed window; both check that their PVH boot information holds guest addresses only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/layouts/x86_part.sh"

x86_part_test x86_part_pingpong x86_pingpong 120 \
    '^control: boot: guest addresses only' '^worker: boot: guest addresses only' \
    '^control: pingpong: producer: 64 messages acknowledged, digest 0x[0-9a-f]+ matches' \
    '^worker: pingpong: consumer: 64 messages verified' \
    '^worker: pingpong: consumer: answer received through mbox' \
    '^control: guest: PASS' '^worker: guest: PASS'
