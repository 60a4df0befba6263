//! The languages an entry can be written in.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A language of the knowledge base. Adding one means adding its workaround heading too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Japanese, `ja`.
    Ja,
    /// English, `en`.
    En,
}

impl Lang {
    /// Every language of the knowledge base.
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    /// The language's code, as in file names, headers and `--lang` (`ja`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The `##` heading that opens the workaround section of a file in this language.
    pub fn workaround_heading(self) -> &'static str {
        match self {
            Lang::Ja => "回避策",
            Lang::En => "Workaround",
        }
    }
}

impl FromStr for Lang {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "ja" => Ok(Lang::Ja),
            "en" => Ok(Lang::En),
            other => Err(crate::Error::invalid(format!(
                "unknown language `{other}` (expected `ja` or `en`)"
            ))),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
