#!/bin/sh
# A QEMU that refuses to start: for the scenario that proves vmm says why.
exec qemu-system-x86_64 -no-such-option "$@"
