#!/usr/bin/env bash
# A stand-in for qemu-system-x86_64 that speaks just enough QMP for the
# unit tests of the TCG accelerator's event mapping (tests/unit/test_tcg.c).
# It runs no guest: FAKE_QEMU says what the guest appears to do.
#   doorbell   ring the doorbell once with 0x07
#   shutdown   a triple fault: QMP's SHUTDOWN event, then registers on request
#   halt       nothing on the doorbell; the registers say HLT=1
#   exit       print a line on stderr and exit with status 3
for a in "$@"; do
	case $a in
	socket,id=qmp,fd=*) qmp=${a##*=} ;;
	socket,id=doorbell,fd=*) db=${a##*=} ;;
	esac
done
reply() { printf '%s\r\n' "$1" >&"$qmp"; }
registers() {
	while read -r -u "$qmp" _; do
		reply "{\"return\": \"RIP=ffffffff80100000 RFL=00000002 CPL=0 HLT=$1\\r\\nCR0=80010033 CR2=0000000000000000 CR3=0000000000001000 CR4=00000020\\r\\n\"}"
	done
}

reply '{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": ""}, "capabilities": []}}'
read -r -u "$qmp" _
reply '{"return": {}}'
case ${FAKE_QEMU:-} in
doorbell) printf '\007' >&"$db"; registers 0 ;;
shutdown)
	reply '{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "SHUTDOWN", "data": {"guest": true, "reason": "guest-reset"}}'
	registers 0 ;;
halt) registers 1 ;;
exit) echo "fake qemu: giving up" >&2; exit 3 ;;
esac
