//! Everything wrong with a settings file, each naming the key and the file.

use std::path::{Path, PathBuf};

/// A settings file that cannot be used. Every variant names the file it is about and,
/// where one fits, suggests the nearest valid name.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Json {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: unknown key `{key}` in {section}{}", help(suggestion.as_deref()))]
    UnknownKey {
        path: PathBuf,
        section: String,
        key: String,
        suggestion: Option<String>,
    },
    #[error("{path}: `{key}` {message}")]
    Invalid {
        path: PathBuf,
        key: String,
        message: String,
    },
    #[error("{path}: connection `{connection}` is not in conn_type_settings{}", help(suggestion.as_deref()))]
    UnknownConnection {
        path: PathBuf,
        connection: String,
        suggestion: Option<String>,
    },
    #[error("{path}: `connection` is required when conn_type_settings has {count} connections ({names})")]
    ConnectionRequired {
        path: PathBuf,
        count: usize,
        names: String,
    },
    #[error("{path}: `{key}` names {target}, which does not exist")]
    MissingPath {
        path: PathBuf,
        key: &'static str,
        target: PathBuf,
    },
    #[error("{path}: `{key}` = `{template}`: no template of that name in {}{}",
        templates.display(), help(suggestion.as_deref()))]
    UnknownTemplate {
        path: PathBuf,
        key: String,
        template: String,
        templates: Box<Path>,
        suggestion: Option<String>,
    },
    #[error("{path}: `{key}` = `{mechanism}`: no point process of that name in {}{}",
        mechanisms.display(), help(suggestion.as_deref()))]
    UnknownMechanism {
        path: PathBuf,
        key: String,
        mechanism: String,
        mechanisms: Box<Path>,
        suggestion: Option<String>,
    },
    #[error("{path}: `{key}`: mechanism {} ({}) has no variable `{name}`{}",
        mechanism.name, mechanism.file.display(), help(suggestion.as_deref()))]
    UnknownVariable {
        path: PathBuf,
        key: String,
        mechanism: Box<MechanismRef>,
        name: String,
        suggestion: Option<String>,
    },
}

/// A mechanism and the `.mod` file it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MechanismRef {
    pub name: String,
    pub file: PathBuf,
}

fn help(suggestion: Option<&str>) -> String {
    suggestion.map_or(String::new(), |s| format!(" (did you mean `{s}`?)"))
}

/// The candidate nearest to `word` (case-insensitive edit distance), if it is close
/// enough to be a plausible typo: at most a third of the word's length, and at least 2.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(diag + cost);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let keys = ["tstart", "tdur", "threshold", "rise_interval"];
        assert_eq!(nearest("tsart", keys), Some("tstart".into()));
        assert_eq!(
            nearest("rise_intervall", keys),
            Some("rise_interval".into())
        );
        assert_eq!(nearest("TDUR", keys), Some("tdur".into()));
        assert_eq!(nearest("completely_else", keys), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
