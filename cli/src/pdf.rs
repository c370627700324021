//! `report --pdf`: the page printed by Chromium, the way a reader would
//! print it, with the same styles (the page's print rules drop the
//! navigation).

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::failure::{Failure, Result};

/// Names Chromium goes by on `PATH`, tried in this order after the
/// `CHROMIUM` environment variable.
const CHROMIUM_NAMES: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// Prints the page at `html` to `pdf`, replacing it only when whole.
pub fn print(html: &Path, pdf: &Path) -> Result<()> {
    let chromium = chromium()?;
    let html = fs::canonicalize(html).map_err(|e| Failure::io(html, &e))?;
    // Beside the target, with its permissions, renamed over it when whole.
    let printed = crate::output::temporary_beside(pdf)?;
    let profile = tempfile::tempdir()
        .map_err(|e| Failure::new(format!("a profile folder for Chromium: {e}")))?;
    let mut print_to = OsString::from("--print-to-pdf=");
    print_to.push(printed.path());
    let mut profile_dir = OsString::from("--user-data-dir=");
    profile_dir.push(profile.path());
    // As root (containers, CI) Chromium refuses to start sandboxed; the page
    // is our own and fetches nothing. The network flags keep Chromium from
    // calling home on a machine that has no network.
    let out = Command::new(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .args([
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .args(["--no-pdf-header-footer", "--print-to-pdf-no-header"])
        .arg(profile_dir)
        .arg(print_to)
        .arg(file_url(&html))
        .output()
        .map_err(|e| Failure::new(format!("{}: {e}", chromium.display())))?;
    let head = fs::read(printed.path()).unwrap_or_default();
    if !out.status.success() || !head.starts_with(b"%PDF") {
        let said = String::from_utf8_lossy(&out.stderr);
        let last = said
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(Failure::new(format!(
            "--pdf {}: {} printed no PDF ({}){}",
            pdf.display(),
            chromium.display(),
            out.status,
            if last.is_empty() {
                String::new()
            } else {
                format!(": {last}")
            }
        )));
    }
    printed
        .persist(pdf)
        .map_err(|e| Failure::io(pdf, &e.error))?;
    Ok(())
}

/// The `file://` URL of the absolute path `path`: every byte but
/// letters, digits, `-._~/` percent-encoded, so that a folder named
/// `报告 #2` is still the file meant.
fn file_url(path: &Path) -> String {
    use std::fmt::Write as _;
    let mut url = String::from("file://");
    for &b in path.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            url.push(b as char);
        } else {
            let _ = write!(url, "%{b:02X}");
        }
    }
    url
}

/// Chromium: `CHROMIUM` if set, else the first of [`CHROMIUM_NAMES`] on
/// `PATH`.
fn chromium() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Ok(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in CHROMIUM_NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    Err(Failure::new(
        "--pdf prints the page with Chromium, and none was found (chromium, chromium-browser, \
         google-chrome on PATH; or set CHROMIUM to its path; Debian: apt-get install chromium)",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_escape_what_a_url_would_misread() {
        assert_eq!(
            file_url(Path::new("/tmp/报告 #2/a?.html")),
            "file:///tmp/%E6%8A%A5%E5%91%8A%20%232/a%3F.html"
        );
    }
}
