#include <tunables/global>

@{APP} = /srv/{app,api}
@{APP} += /opt/app

profile app-nginx /usr/sbin/nginx flags=(attach_disconnected, mediate_deleted) {
  #include <abstractions/base>
  include if exists <local/app-nginx>

  capability net_bind_service setuid setgid,
  network inet tcp,
  audit deny network raw,

  owner @{APP}/** rw,
  /usr/sbin/nginx ix,
  r /etc/nginx/**,
  /usr/bin/helper Px -> helper,
  deny @{PROC}/sys/** w,
  deny /sys/firmware/** rwklx,

  mount fstype=tmpfs -> /run/,
  umount /run/,
  pivot_root oldroot=/mnt/old /mnt/new,
  ptrace (read) peer=app-nginx,
  signal (send, receive) peer=app-nginx,
  change_profile -> app-nginx//worker,
  dbus send
       bus=system,

  profile worker {
    /srv/app/worker ix,
  }
  ^hat {
    /tmp/** rw,
  }
}
