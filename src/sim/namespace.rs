//! Linux namespaces, mounts and chroot for the simulator, as raw syscalls.
//!
//! The functions marked "fork-safe" run inside `Command::pre_exec`, between
//! `fork` and `exec`: they only make syscalls on memory prepared before the fork
//! (no allocation, no locks), which is what POSIX allows there.

use std::ffi::{CString, OsStr};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::error::{Result, SimError};

/// Converts a path to a C string (paths with NUL bytes cannot be mounted).
pub fn cpath(p: &Path) -> Result<CString> {
    CString::new(p.as_os_str().as_bytes()).map_err(|_| SimError::BadRootfs {
        path: p.to_path_buf(),
        problem: "path contains a NUL byte".into(),
    })
}

fn check(rc: libc::c_int) -> io::Result<()> {
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Whether the process runs as root.
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Fork-safe: moves the calling process into a new mount namespace (and a new
/// network namespace with only loopback, up, when `net`), with every mount
/// private so nothing made later leaks to the host.
pub fn isolate(net: bool) -> io::Result<()> {
    let mut flags = libc::CLONE_NEWNS;
    if net {
        flags |= libc::CLONE_NEWNET;
    }
    // SAFETY: plain syscalls with valid constant arguments.
    unsafe {
        check(libc::unshare(flags))?;
        check(libc::mount(
            c"none".as_ptr(),
            c"/".as_ptr(),
            std::ptr::null(),
            libc::MS_REC | libc::MS_PRIVATE,
            std::ptr::null(),
        ))?;
    }
    if net {
        loopback_up()?;
    }
    Ok(())
}

/// Fork-safe: brings `lo` up in the current network namespace (a fresh one has it down).
fn loopback_up() -> io::Result<()> {
    // SAFETY: the ifreq is zeroed and its name is a NUL-terminated "lo"; the
    // socket is closed on every path.
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        let mut req: libc::ifreq = std::mem::zeroed();
        req.ifr_name[0] = b'l' as libc::c_char;
        req.ifr_name[1] = b'o' as libc::c_char;
        let mut rc = libc::ioctl(fd, libc::SIOCGIFFLAGS, &mut req);
        if rc == 0 {
            req.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short;
            rc = libc::ioctl(fd, libc::SIOCSIFFLAGS, &req);
        }
        let err = io::Error::last_os_error();
        libc::close(fd);
        if rc == 0 { Ok(()) } else { Err(err) }
    }
}

/// Paths prepared before a fork for [`enter_root`].
pub struct ChrootTarget {
    root: CString,
    workdir: CString,
}

impl ChrootTarget {
    /// Prepares a chroot into `root` whose working directory is `workdir` (a path inside it).
    pub fn new(root: &Path, workdir: &Path) -> Result<Self> {
        Ok(ChrootTarget {
            root: cpath(root)?,
            workdir: cpath(workdir)?,
        })
    }

    /// Fork-safe: chroot, then change to the working directory.
    pub fn enter(&self) -> io::Result<()> {
        // SAFETY: both pointers are valid NUL-terminated strings owned by self.
        unsafe {
            check(libc::chroot(self.root.as_ptr()))?;
            check(libc::chdir(self.workdir.as_ptr()))
        }
    }
}

/// The kernel file systems a chroot needs, prepared before a fork for [`SystemMounts::mount_fork_safe`].
pub struct SystemMounts {
    proc_: CString,
    sys: CString,
    dev: CString,
}

impl SystemMounts {
    /// Prepares the mount points `root/proc`, `root/sys` and `root/dev`.
    pub fn new(root: &Path) -> Result<Self> {
        Ok(SystemMounts {
            proc_: cpath(&root.join("proc"))?,
            sys: cpath(&root.join("sys"))?,
            dev: cpath(&root.join("dev"))?,
        })
    }

    /// Fork-safe: mounts proc, sysfs and a recursive bind of the host's /dev.
    pub fn mount_fork_safe(&self) -> io::Result<()> {
        // SAFETY: all pointers are valid NUL-terminated strings owned by self or literals.
        unsafe {
            check(libc::mount(
                c"proc".as_ptr(),
                self.proc_.as_ptr(),
                c"proc".as_ptr(),
                0,
                std::ptr::null(),
            ))?;
            check(libc::mount(
                c"sysfs".as_ptr(),
                self.sys.as_ptr(),
                c"sysfs".as_ptr(),
                0,
                std::ptr::null(),
            ))?;
            check(libc::mount(
                c"/dev".as_ptr(),
                self.dev.as_ptr(),
                std::ptr::null(),
                libc::MS_BIND | libc::MS_REC,
                std::ptr::null(),
            ))
        }
    }
}

/// Recursively bind-mounts `src` onto `dst` (both absolute host paths).
pub fn bind(src: &Path, dst: &Path) -> Result<()> {
    let (s, d) = (cpath(src)?, cpath(dst)?);
    // SAFETY: valid NUL-terminated strings.
    let rc = unsafe {
        libc::mount(
            s.as_ptr(),
            d.as_ptr(),
            std::ptr::null(),
            libc::MS_BIND | libc::MS_REC,
            std::ptr::null(),
        )
    };
    check(rc).map_err(|e| {
        SimError::io(
            format!("bind-mount {} on {}", src.display(), dst.display()),
            e,
        )
    })
}

/// Detaches the mount at `path` and everything below it.
pub fn unmount(path: &Path) -> Result<()> {
    let p = cpath(path)?;
    // SAFETY: valid NUL-terminated string.
    check(unsafe { libc::umount2(p.as_ptr(), libc::MNT_DETACH) })
        .map_err(|e| SimError::io(format!("unmount {}", path.display()), e))
}

/// Mount points at or below `root` in this process's mount namespace, deepest first.
pub fn mounts_below(root: &Path) -> Result<Vec<std::path::PathBuf>> {
    let text = std::fs::read("/proc/self/mountinfo")
        .map_err(|e| SimError::io("read /proc/self/mountinfo", e))?;
    let mut found = Vec::new();
    for line in text.split(|b| *b == b'\n') {
        // Field 5 is the mount point, with spaces etc. octal-escaped (\040).
        let Some(field) = line.split(|b| *b == b' ').nth(4) else {
            continue;
        };
        let p = std::path::PathBuf::from(OsStr::from_bytes(&unescape_octal(field)));
        if p.starts_with(root) {
            found.push(p);
        }
    }
    found.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    Ok(found)
}

fn unescape_octal(field: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        let oct = field.get(i + 1..i + 4);
        if field[i] == b'\\'
            && let Some(d) = oct.filter(|d| d.iter().all(|c| (b'0'..=b'7').contains(c)))
        {
            out.push((d[0] - b'0') * 64 + (d[1] - b'0') * 8 + (d[2] - b'0'));
            i += 4;
            continue;
        }
        out.push(field[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mountinfo_escapes_are_decoded() {
        assert_eq!(unescape_octal(br"/a\040b"), b"/a b");
        assert_eq!(unescape_octal(br"/plain"), b"/plain");
        assert_eq!(unescape_octal(br"/x\04"), br"/x\04");
    }

    #[test]
    fn root_mount_is_listed() {
        let all = mounts_below(Path::new("/")).expect("mountinfo readable");
        assert!(all.iter().any(|p| p == Path::new("/")));
    }
}
