#!/usr/bin/env python3
"""Reads one file out of an image in an OCI image layout, as the image would show it: the topmost
layer holding the path wins. Prints JSON: {"content": ..., "uid": N, "gid": N, "mode": N} or
{"missing": true}.

usage: layer_file.py LAYOUT PLATFORM PATH    (PLATFORM like linux/amd64; PATH without leading /)
"""
import json
import os
import sys
import tarfile

layout, platform, wanted = sys.argv[1], sys.argv[2], sys.argv[3].lstrip("/")


def blob(digest):
    return os.path.join(layout, "blobs", *digest.split(":", 1))


def load(digest):
    with open(blob(digest)) as f:
        return json.load(f)


def image_manifest(descriptor):
    doc = load(descriptor["digest"])
    if "manifests" not in doc:
        return doc
    for m in doc["manifests"]:
        p = m.get("platform", {})
        name = "%s/%s" % (p.get("os"), p.get("architecture"))
        if name == platform and not m.get("annotations", {}).get("vnd.docker.reference.type"):
            return image_manifest(m)
    sys.exit("no image for %s in %s" % (platform, layout))


with open(os.path.join(layout, "index.json")) as f:
    top = json.load(f)["manifests"][0]
manifest = image_manifest(top)
found = {"missing": True}
for layer in manifest["layers"]:
    with tarfile.open(blob(layer["digest"]), "r:*") as tar:
        for member in tar.getmembers():
            name = member.name[2:] if member.name.startswith("./") else member.name
            if name.lstrip("/") != wanted:
                continue
            content = ""
            if member.isfile():
                content = tar.extractfile(member).read().decode("utf-8", "replace")
            found = {"content": content, "uid": member.uid, "gid": member.gid, "mode": member.mode}
print(json.dumps(found))
