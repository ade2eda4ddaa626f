#!/usr/bin/env python3
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
# A small authoritative DNS server over UDP for the tools tests: the
# world's protocol (RFC 1035), a fixed zone, every question logged.
#
#	dnsd.py ADDR PORT LOGFILE NAME=TYPE:VALUE...
#
# Names are absolute without the final dot; TYPE is A, AAAA, TXT, PTR
# or CNAME.  Other names get NXDOMAIN with an SOA, other types NOERROR
# with no answer.  Answers use name compression, as real servers do.

import ipaddress
import socket
import struct
import sys

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "MX": 15,
         "TXT": 16, "AAAA": 28, "SRV": 33, "OPT": 41}


def read_name(msg, off):
    labels = []
    while True:
        n = msg[off]
        if n == 0:
            return ".".join(labels), off + 1
        if n & 0xC0:
            raise ValueError("pointer in a question")
        labels.append(msg[off + 1:off + 1 + n].decode("ascii", "replace"))
        off += 1 + n


def enc_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def rdata(rtype, value):
    if rtype == "A":
        return ipaddress.IPv4Address(value).packed
    if rtype == "AAAA":
        return ipaddress.IPv6Address(value).packed
    if rtype == "TXT":
        b = value.encode()
        return bytes([len(b)]) + b
    if rtype in ("CNAME", "PTR"):
        return enc_name(value)
    raise ValueError(rtype)


def main():
    addr, port, logfile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    zone = {}
    for spec in sys.argv[4:]:
        name, rest = spec.split("=", 1)
        rtype, value = rest.split(":", 1)
        zone.setdefault(name.lower(), []).append((rtype, value))
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((addr, port))
    log = open(logfile, "a", buffering=1)
    log.write("ready\n")
    while True:
        msg, peer = s.recvfrom(4096)
        try:
            qid, flags, qd = struct.unpack("!HHH", msg[:6])
            qname, off = read_name(msg, 12)
            qtype, qclass = struct.unpack("!HH", msg[off:off + 4])
        except (ValueError, struct.error, IndexError):
            continue
        log.write("query %s %d\n" % (qname, qtype))
        question = msg[12:off + 4]
        answers = []
        rcode = 0
        recs = zone.get(qname.lower().rstrip("."))
        if recs is None:
            rcode = 3
        else:
            for rtype, value in recs:
                if TYPES[rtype] == qtype or rtype == "CNAME":
                    answers.append((rtype, value))
        out = struct.pack("!HHHHHH", qid, 0x8400 | 0x0100 | rcode, 1,
                          len(answers), 1 if rcode == 3 else 0, 0)
        out += question
        for rtype, value in answers:
            rd = rdata(rtype, value)
            # a pointer to the question's name, offset 12
            out += struct.pack("!HHHIH", 0xC00C, TYPES[rtype], 1, 300,
                               len(rd)) + rd
        if rcode == 3:
            soa = enc_name("ns.test") + enc_name("hostmaster.test") + \
                struct.pack("!IIIII", 1, 3600, 600, 86400, 60)
            out += enc_name("test") + struct.pack("!HHIH", 6, 1, 60,
                                                  len(soa)) + soa
        s.sendto(out, peer)


main()
