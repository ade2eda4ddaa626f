LAB_NAME=ctlshow_try
cd /work/wt/ctlshow
. regress/engine/lab.sh
CTL=$TOP/moenetctl
ctl() { "$CTL" -s "$L/a/ctl.sock" "$@"; }
python3 - "$L/a/agent.json" <<'EOP'
import json, sys
c = json.load(open(sys.argv[1]))
c["controlPlane"]["metricInterval"] = 5
json.dump(c, open(sys.argv[1], "w"), indent=1)
EOP
S2='{"uuid": "5ec0ndab-0000-4000-8000-000000000002", "asn": 4242420002,
  "status": 3, "type": "wireguard", "name": "东京节点 tyo",
  "interface": "dn42_42420002b", "credential": "'$BPUB'", "port": 20003}'
write_cp "$S1_UP, $S2"
start_agent
wait_for 60 established dn42_4242420002
shook() { [ "$(handshake)" -gt 0 ] 2>/dev/null; }
wait_for 30 shook
sleep 6
for c in "show status" "show sessions" "-w show sessions" "show sessions up" "show sessions 东京" "show session 'peer b'" "show session AS4242420002" "-j show session 5ec0" "-j show session nosuch"; do
  echo "=== # moenetctl $c"; eval "ctl $c"; echo "rc=$?"
done
kill $(cat $L/a/bird.pid)
sleep 3
for c in "show status" "show sessions"; do echo "=== BIRD DOWN # moenetctl $c"; ctl $c; echo "rc=$?"; done
finish
