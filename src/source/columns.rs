//! Ids and texts read from Arrow columns in place, as the Parquet reader
//! and the Python package's Arrow functions read them: ids as strings or
//! integers (in decimal), texts as strings of any of Arrow's three string
//! layouts.
//!
//! # Examples
//!
//! ```
//! use arrow_array::{Array, Int64Array, StringArray};
//! use chachong::source::columns::{id_at, is_string, string_at};
//!
//! let ids = Int64Array::from(vec![Some(7), None]);
//! let texts = StringArray::from(vec![Some("甲乙丙"), None]);
//! assert_eq!(id_at(&ids, 0).as_deref(), Some("7"));
//! assert_eq!(id_at(&ids, 1), None);
//! assert_eq!(string_at(&texts, 0), Some("甲乙丙"));
//! assert!(is_string(texts.data_type()) && !is_string(ids.data_type()));
//! ```

use arrow_array::cast::AsArray;
use arrow_array::Array;
use arrow_schema::DataType;

/// Whether `data_type` holds strings (`Utf8`, `LargeUtf8`, `Utf8View`).
pub fn is_string(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    )
}

/// The string at row `k` of a string column; `None` if null or if the
/// column does not hold strings.
pub fn string_at(column: &dyn Array, k: usize) -> Option<&str> {
    if column.is_null(k) {
        return None;
    }
    match column.data_type() {
        DataType::Utf8 => Some(column.as_string::<i32>().value(k)),
        DataType::LargeUtf8 => Some(column.as_string::<i64>().value(k)),
        DataType::Utf8View => Some(column.as_string_view().value(k)),
        _ => None,
    }
}

/// The id at row `k`: a string as it is, an integer in decimal; `None` if
/// null.
pub fn id_at(ids: &dyn Array, k: usize) -> Option<String> {
    if ids.is_null(k) {
        return None;
    }
    match string_at(ids, k) {
        Some(id) => Some(id.to_string()),
        None => arrow_cast::display::array_value_to_string(ids, k).ok(),
    }
}
