//! `multipart/form-data` request bodies: a generated `MultipartBody` impl lists a body's
//! parts, and the transport turns them into a form on every attempt.

use base64::Engine;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A file to upload (`type: string, format: binary`).
///
/// In a multipart body it is a file part with its name and content type. In JSON, where
/// OpenAPI 3.0 has no raw bytes, it travels as base64 text (and its name is not kept).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct FilePart {
    pub file_name: String,
    /// `None` lets the transport guess from the file name.
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

impl FilePart {
    pub fn new(file_name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        FilePart {
            file_name: file_name.into(),
            content_type: None,
            bytes: bytes.into(),
        }
    }

    #[must_use]
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .finish()
    }
}

impl Serialize for FilePart {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.bytes))
    }
}

impl<'de> Deserialize<'de> for FilePart {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(serde::de::Error::custom)?;
        Ok(FilePart {
            bytes,
            ..FilePart::default()
        })
    }
}

/// One part of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartValue {
    Text(String),
    File(FilePart),
}

/// A body sent as `multipart/form-data`.
pub trait MultipartBody {
    /// The form's parts, in the spec's property order; an error says which value could
    /// not be written.
    fn parts(&self) -> Result<Vec<(&'static str, PartValue)>, String>;
}

/// The JSON text of a part's value that has no plainer text form (an object, a list).
pub fn json_text<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| e.to_string())
}

pub(crate) fn form(
    parts: &[(&'static str, PartValue)],
) -> Result<reqwest::multipart::Form, String> {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in parts {
        form = match value {
            PartValue::Text(text) => form.text(*name, text.clone()),
            PartValue::File(file) => {
                let mut part = reqwest::multipart::Part::bytes(file.bytes.clone())
                    .file_name(file.file_name.clone());
                if let Some(content_type) = &file.content_type {
                    part = part
                        .mime_str(content_type)
                        .map_err(|_| format!("`{content_type}` is not a content type"))?;
                }
                form.part(*name, part)
            }
        };
    }
    Ok(form)
}
