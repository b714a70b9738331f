//! Walking inputs: files, directories, stdin, compression, format detection.

use crate::{RawDoc, ReadError, ReadOptions};

pub(crate) struct Reader {
    inputs: std::vec::IntoIter<String>,
    options: ReadOptions,
}

impl Reader {
    pub(crate) fn new(inputs: Vec<String>, options: ReadOptions) -> Reader {
        Reader {
            inputs: inputs.into_iter(),
            options,
        }
    }
}

impl Iterator for Reader {
    type Item = Result<RawDoc, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        let path = self.inputs.next()?;
        let _ = &self.options;
        Some(match std::fs::read_to_string(&path) {
            Ok(text) => Ok(RawDoc {
                origin: crate::Origin::file(path),
                meta: sitrep_doc::Meta::default(),
                body: crate::Body::Text(text),
            }),
            Err(e) => Err(ReadError {
                origin: crate::Origin::file(path),
                message: e.to_string(),
                hint: None,
            }),
        })
    }
}
