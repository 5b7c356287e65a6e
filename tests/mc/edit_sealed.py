#!/usr/bin/python3
"""Edits a sealed one-line JSON record (a streamalloc-mc checkpoint) and seals it again, as a
careful attacker or a buggy tool would: the checksum then matches, so only the reader's own
consistency checks can refuse the edit.

usage: edit_sealed.py FILE DOMAIN_HEX KEY.PATH=JSON_VALUE ...

The seal (streamalloc/claims/sealed_line.hpp): CRC-32C (Castagnoli, reflected 0x82F63B78) of the
8-byte little-endian domain, the 8-byte little-endian line number (1) and the object without its
"crc32c" field, appended as that last field. Written here from that description.
"""
import json
import struct
import sys

TABLE = []
for i in range(256):
    c = i
    for _ in range(8):
        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    TABLE.append(c)


def crc32c(data, crc=0):
    crc ^= 0xFFFFFFFF
    for b in data:
        crc = TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def dumps(value):
    return json.dumps(value)  # Python's separators: what the C++ writer uses


def main():
    path, domain = sys.argv[1], int(sys.argv[2], 16)
    doc = json.loads(open(path).read())
    doc.pop("crc32c", None)
    for edit in sys.argv[3:]:
        keys, value = edit.split("=", 1)
        *parents, last = keys.split(".")
        target = doc
        for k in parents:
            target = target[k]
        target[last] = json.loads(value)
    text = dumps(doc)
    crc = crc32c(struct.pack("<QQ", domain, 1) + text.encode())
    open(path, "w").write(text[:-1] + ', "crc32c": "%08x"}\n' % crc)


if __name__ == "__main__":
    main()
