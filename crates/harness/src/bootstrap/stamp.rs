//! Build stamps: a build step is redone only when what it was made from has changed.
//!
//! A stamp is a text file beside the output holding a description of the inputs (command line,
//! source sizes and modification times, requirement file contents). Equal text means fresh.

use std::path::Path;

/// Whether `stamp` records exactly `inputs`.
#[must_use]
pub fn is_fresh(stamp: &Path, inputs: &str) -> bool {
    std::fs::read_to_string(stamp).is_ok_and(|recorded| recorded == inputs)
}

/// Records `inputs` once the step succeeded.
///
/// # Errors
/// The write error.
pub fn record(stamp: &Path, inputs: &str) -> std::io::Result<()> {
    std::fs::write(stamp, inputs)
}

/// One line per file: path, size, modification time; sorted, so the order of discovery does
/// not matter.
#[must_use]
pub fn describe_files(files: &[std::path::PathBuf]) -> String {
    let mut lines: Vec<String> = files
        .iter()
        .map(|file| {
            let meta = std::fs::metadata(file).ok();
            let size = meta.as_ref().map_or(0, std::fs::Metadata::len);
            let modified = meta
                .and_then(|m| m.modified().ok())
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{} {size} {modified}", file.display())
        })
        .collect();
    lines.sort();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_stamp_is_fresh_only_for_the_same_inputs() {
        let dir = tempfile::tempdir().unwrap();
        let stamp = dir.path().join("stamp");
        assert!(!super::is_fresh(&stamp, "a"));
        super::record(&stamp, "a").unwrap();
        assert!(super::is_fresh(&stamp, "a"));
        assert!(!super::is_fresh(&stamp, "b"));
    }

    #[test]
    fn touching_a_file_changes_its_description() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.c");
        std::fs::write(&file, "int x;").unwrap();
        let before = super::describe_files(std::slice::from_ref(&file));
        std::fs::write(&file, "int xy;").unwrap();
        assert_ne!(before, super::describe_files(&[file]));
    }
}
