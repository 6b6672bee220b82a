#!/bin/sh
# Greets whoever is named on the command line (or the world), as the image's build asked.
echo "$(cat /etc/greeting), ${1:-world}! (running as $(id -un) on $(uname -m))"
