# SPDX-License-Identifier: Apache-2.0
unit-vdev := core/vdev/vdev.c
