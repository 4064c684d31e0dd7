#!/usr/bin/env bash
# Regenerates rpm-sqlite/rpmdb.sqlite with rpm itself (Debian's rpm 4.18
# package): two packages without files, built from fixture.spec, recorded
# with rpm -i --justdb. Prints what rpm -qa reports for the result.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

build() {
	rpmbuild -bb --quiet --define "_topdir $work/top" --define "pkgname $1" --define "pkgversion $2" \
		--define "pkgrelease $3" --define "pkgepoch $4" --define "pkglicense $5" "$here/fixture.spec"
}
build hello 1.2.3 4.el9 0 "MIT"
build tilde '2.0~rc1' 1.el9 3 "GPL-2.0-or-later AND MIT"

db=$work/db
mkdir "$db"
rpm --dbpath "$db" --define "_db_backend sqlite" --initdb
rpm -i --justdb --nodeps --noscripts --dbpath "$db" --define "_db_backend sqlite" "$work"/top/RPMS/noarch/*.rpm
mkdir -p "$here/rpm-sqlite"
cp "$db/rpmdb.sqlite" "$here/rpm-sqlite/rpmdb.sqlite"
rpm --dbpath "$db" --define "_db_backend sqlite" -qa \
	--qf '%{NAME} %{EPOCH}:%{VERSION}-%{RELEASE} %{ARCH} %{SOURCERPM} %{LICENSE}\n'
