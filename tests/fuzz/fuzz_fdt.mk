# SPDX-License-Identifier: Apache-2.0
fuzz-fdt := lib/fdt.c
# The seed DTBs are at most about 6 KiB. A run's cost per input grows with its size (every
# check reads the whole tree), and with 64 KiB allowed a long run's corpus drifted to large
# blobs; 16 KiB leaves room for a few hundred more nodes than any seed has.
fuzz-fdt-max-len := 16384
