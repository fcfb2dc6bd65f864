#!/bin/sh
# A QEMU that dies under the running guest: for the scenario that proves vmm
# diagnoses it as a crash.
exec timeout --signal=KILL 1 qemu-system-x86_64 "$@"
