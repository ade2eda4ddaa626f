#!/bin/sh
#
# Copyright (c) 2026 The moenet-agent authors
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
# ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
# OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
#
# The previous agent's full-mode file through a real start, in the
# engine lab (real BIRD, wireguard-go, the fake control plane): every
# key it knew, its units and habits (retryInitialDelay in milliseconds,
# 0 for the default, "" for not set, _comment), written with the
# shell's umask (0644).  The agent comes up, tightens the file to 0600
# with a warning, logs its unused keys as notices, and brings the
# session to Established with "modify 2".

LAB_NAME=config_start
. "$(dirname "$0")/../engine/lab.sh"

# Only the paths differ from what the previous agent's deployments
# have: this lab's own, plus the keys this agent adds for them.
cat >"$L/a/prev.json" <<EOC
{
    "_comment": "written for the previous agent",
    "server": { "listen": ":24368", "readTimeout": 0,
        "writeTimeout": 0, "idleTimeout": 120 },
    "node": { "name": "r1", "id": 1, "region": "", "location": "Lab",
        "provider": "", "publicIpv4": "", "publicIpv6": "" },
    "controlPlane": {
        "_comment": "retryInitialDelay is in milliseconds",
        "url": "https://127.0.0.1:$PORT", "token": "$TOKEN",
        "requestTimeout": 0, "heartbeatInterval": 5, "syncInterval": 5,
        "metricInterval": 0, "maxRetries": 0, "retryInitialDelay": 1000,
        "caFile": "$L/tls/ca.pem", "tokenFile": "" },
    "bird": { "controlSocket": "$L/a/bird.ctl", "poolSize": 5,
        "poolSizeMax": 64, "peerConfDir": "$L/a/peers",
        "ebgpConfTemplateFile": "./templates/ebgp.conf.tmpl",
        "ibgpConfDir": "$L/a/ibgp", "policyDir": "$L/a/policy",
        "maintenanceFile": "$L/a/maintenance.conf",
        "templateDir": "$TOP/templates" },
    "wireguard": { "privateKeyPath": "$L/a/key", "publicKeyPath": "",
        "configDir": "/etc/wireguard", "persistentKeepaliveInterval": 25,
        "dn42Ipv4": "172.20.1.1", "dn42Ipv6": "fd00:4242:7777:101:4::1",
        "dn42Ipv6LinkLocal": "", "backend": "userspace" },
    "metric": { "pingTimeout": 0, "pingCount": 0, "pingWorkers": 32 },
    "state": { "dir": "$L/a/state" },
    "control": { "socket": "$L/a/ctl.sock" },
    "autoUpdate": { "enabled": false }
}
EOC
chmod 644 "$L/a/prev.json"

"$AGENT" -n -f "$L/a/prev.json" >/dev/null 2>"$L/n.err"
check config_start_n_exit_0 [ $? -eq 0 ]
check config_start_n_no_error sh -c "! grep -q '^error:' '$L/n.err'"
check config_start_n_mode_kept [ "$(stat -c %a "$L/a/prev.json")" = 644 ]

start_agent "$L/a/prev.json"
# Started, or gone: no long waits on an agent that refused its file.
wait_for 30 sh -c "grep -q 'engine started' '$L/a/agent.log' ||
    ! kill -0 $agent_pid"
if ! kill -0 "$agent_pid" 2>/dev/null; then
	fail config_start_started "$(tail -5 "$L/a/agent.log")"
	finish
fi
check config_start_reported_active wait_for 60 modified s1 2
check config_start_established wait_for 60 established dn42_4242420002
check config_start_alive kill -0 "$agent_pid"
check config_start_tightened [ "$(stat -c %a "$L/a/prev.json")" = 600 ]
check config_start_tighten_warning grep -q "parent\[warn\]: $L/a/prev.json: \
mode 0644 let group or others read the token it holds; tightened to 0600" \
    "$L/a/agent.log"
for k in server.readTimeout node.location bird.poolSize \
    bird.ebgpConfTemplateFile wireguard.configDir metric.pingWorkers \
    controlPlane._comment autoUpdate; do
	check "config_start_notice_$k" grep -q \
	    "parent\[notice\]: $L/a/prev.json:[0-9]*: $k: " "$L/a/agent.log"
done
check config_start_no_config_error sh -c \
    "! grep 'prev.json' '$L/a/agent.log' | grep -q '\[error\]'"
stop_agent

# The token in a file of its own that group may read: tightened too.
printf '%s\n' "$TOKEN" >"$L/a/token"
chmod 640 "$L/a/token"
sed -e "s|\"token\": \"$TOKEN\"|\"token\": \"\"|" \
    -e "s|\"tokenFile\": \"\"|\"tokenFile\": \"$L/a/token\"|" \
    "$L/a/prev.json" >"$L/a/prev-tf.json"
chmod 600 "$L/a/prev-tf.json"
n=$(grep -c 'session sync' "$L/a/agent.log")
start_agent "$L/a/prev-tf.json"
check config_start_token_file_synced wait_for 30 sh -c \
    "[ \$(grep -c 'session sync' '$L/a/agent.log') -gt $n ]"
check config_start_token_file_tightened [ "$(stat -c %a "$L/a/token")" = 600 ]
check config_start_token_file_warning grep -q "parent\[warn\]: $L/a/token: \
mode 0640 let group or others read the token; tightened to 0600" \
    "$L/a/agent.log"
check config_start_token_file_still_established established dn42_4242420002
stop_agent
finish
